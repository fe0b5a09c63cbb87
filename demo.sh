#!/usr/bin/env bash
# The checkpoint service demo: builds the adapter and the example EAR, starts a cluster of three
# WildFly nodes (standalone-ha.xml) on 127.0.0.1, runs the example job there as an HA singleton
# deployment, kills the node that runs it with SIGKILL and shows the job resuming on another node
# from the checkpoint the adapter replicated, with the measured failover and restore times.
# Every node also deploys the optional console (checkpoint-console.war): the demo prints each
# node's status page, and with --keep leaves the cluster running at the end until Ctrl-C, so that
# the page can be opened. Needs only Java 17+ and Maven; WildFly comes from Maven Central.
#
#   ./demo.sh [options of demo/CheckpointDemo.java, e.g. --watch-seconds 8 or --keep]
#
# Ports (127.0.0.1): port offsets 1000, 1100, 1200 (http 9080, 9180, 9280; management 10990,
# 11090, 11190); WildFly JGroups 8600, 8700, 8800 (failure detection 8650, 8750, 8850);
# checkpoint cluster 27200, 27210, 27220 (failure detection 27250, 27260, 27270).
set -euo pipefail
cd "$(dirname "$0")"

echo "== building: mvn install -DskipTests -Pdemo for api, ra, ear-example and console (the adapter, the"
echo "   example EAR, the console war, WildFly unpacked and the demo's JSON library copied; the first run downloads WildFly,"
echo "   about 260 MB, from Maven Central)"
mvn -q -B install -DskipTests -Pdemo -pl api,ra,ear-example/job,ear-example/ear,console -am

echo "== running demo/CheckpointDemo.java"
# Its class path: Jakarta JSON Processing and Parsson, copied there by the demo profile.
exec java -cp 'ear-example/ear/target/demo-lib/*' demo/CheckpointDemo.java "$@"
