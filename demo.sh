#!/usr/bin/env bash
# The checkpoint service demo: builds the adapter and the example EAR, starts a cluster of three
# WildFly nodes (standalone-ha.xml) on 127.0.0.1, runs the example job there as an HA singleton
# deployment, kills the node that runs it with SIGKILL and shows the job resuming on another node
# from the checkpoint the adapter replicated, with the measured failover and restore times.
# Every node also deploys the optional console (checkpoint-console.war): the demo prints each
# node's status page, and with --keep leaves the cluster running at the end until Ctrl-C, so that
# the page can be opened. Needs only Java 17+ and Maven; WildFly comes from Maven Central.
#
# With --server payara, the same story on Payara Server 6 (from Maven Central too): a domain whose
# deployment group of two instances runs the job, driven by the group's persistent EJB timer; the
# instance the timer fires on is killed with SIGKILL and the job resumes on the other one.
#
#   ./demo.sh [--server wildfly|payara] [options of the demo, e.g. --watch-seconds 8 or --keep]
#
# WildFly (demo/CheckpointDemo.java), ports (127.0.0.1): port offsets 1000, 1100, 1200 (http 9080,
# 9180, 9280; management 10990, 11090, 11190); WildFly JGroups 8600, 8700, 8800 (failure detection
# 8650, 8750, 8850); checkpoint cluster 27200, 27210, 27220 (failure detection 27250, 27260, 27270).
# Payara (demo/PayaraDemo.java), ports (127.0.0.1): port bases 31000 (DAS: admin 31048, http 31080,
# data grid 31049), 31100 and 31200 (instance-1, instance-2: http 31180, 31280; data grid 31159,
# 31259; each port base uses its next 100 ports); checkpoint cluster 27400, 27410 (failure
# detection 27450, 27460).
set -euo pipefail
cd "$(dirname "$0")"

server=wildfly
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server)
      [ $# -ge 2 ] || { echo "--server needs a value: wildfly or payara" >&2; exit 2; }
      server="$2"
      shift 2
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done

case "$server" in
  wildfly)
    main=CheckpointDemo
    echo "== building: mvn package -DskipTests -Pdemo for api, ra, ear-example and console (the adapter, the"
    echo "   example EAR, the console war, WildFly unpacked and the demo's JSON library copied; the first run downloads WildFly,"
    echo "   about 260 MB, from Maven Central)"
    mvn -q -B package -DskipTests -Pdemo -pl api,ra,ear-example/job,ear-example/ear,console -am
    ;;
  payara)
    main=PayaraDemo
    echo "== building: mvn package -DskipTests -Pdemo -Ddemo.skip.wildfly=true -Ddemo.skip.payara=false for api, ra"
    echo "   and ear-example (the adapter, the example job's Payara war, Payara Server unpacked and the demo's JSON library"
    echo "   copied; the first run downloads Payara, about 170 MB, from Maven Central)"
    mvn -q -B package -DskipTests -Pdemo -Ddemo.skip.wildfly=true -Ddemo.skip.payara=false \
      -pl api,ra,ear-example/job,ear-example/ear -am
    ;;
  *)
    echo "unknown server '$server': wildfly or payara" >&2
    exit 2
    ;;
esac

echo "== running demo/$main.java"
# demo/*.java share what both demos do the same way (Demo.java and the types next to it); their
# class path: Jakarta JSON Processing and Parsson, copied there by the demo profile.
rm -rf target/demo-classes
javac -d target/demo-classes -cp 'ear-example/ear/target/demo-lib/*' demo/*.java
exec java -cp "target/demo-classes:ear-example/ear/target/demo-lib/*" "$main" ${args[@]+"${args[@]}"}
