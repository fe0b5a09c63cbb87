#!/usr/bin/env bash
# The checkpoint service demo: builds everything, then runs a WildFly node with the resource
# adapter and the example EAR, kills it with SIGKILL, starts it again and shows the job
# resuming from its checkpoint. Needs only Java 17+ and Maven; WildFly comes from Maven Central.
#
#   ./demo.sh [options of demo/CheckpointDemo.java, e.g. --watch-seconds 8]
#
# Ports: 127.0.0.1 with port offset 1000 (http 9080, management 10990).
set -euo pipefail
cd "$(dirname "$0")"

echo "== building: mvn install -DskipTests -Pdemo (the adapter, the example EAR, and WildFly unpacked;"
echo "   the first run downloads WildFly, about 260 MB, from Maven Central)"
mvn -q -B install -DskipTests -Pdemo

echo "== running demo/CheckpointDemo.java"
exec java demo/CheckpointDemo.java "$@"
