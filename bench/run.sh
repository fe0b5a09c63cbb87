#!/usr/bin/env bash
# Runs the benchmark suites of docs/PERFORMANCE.md one after the other (never in parallel: they
# would measure each other), then prints the ratio tables. Run from the project root after
#   mvn -q -B -pl bench,replica-node -am package -DskipTests
#   bench/setup-postgres.sh start        (optional: without it the PostgreSQL baseline is skipped)
#
#   bench/run.sh [RESULTS_DIR] [suite ...]     suites: p1 p3 p4 p2 p2paired p5 p1durability p2durability restart
#                                              (default: all, in that order)
#
# JMH options come from BENCH_JMH_OPTS (default: a short run, -f 1 -wi 2 -i 3; P3 and P2 warm up
# longer: BENCH_P3_OPTS, default -f 1 -wi 10 -i 3, and BENCH_P2_OPTS, default -f 1 -wi 4 -i 3, with 10 s iterations; P2's
# paired verdict runs three forks of each pair, BENCH_P2_PAIRED_OPTS, default -f 3 -wi 12 -i 3); BENCH_P4_STORED
# narrows P4's segmentsStored values (default 1,10000,100000). The persistence figures: p1durability
# (BENCH_P1_DURABILITY_OPTS, default -f 2 -wi 2 -i 3: two forks of each, for the run's noise),
# p2durability (BENCH_P2_DURABILITY_OPTS, default -f 1 -wi 12 -i 3) and restart (RestartProbe,
# arguments BENCH_RESTART_ARGS, default 10000 4096 3 10). Results: one JMH
# CSV and log per suite in RESULTS_DIR (default bench/target/results), the tables in report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS="${1:-bench/target/results}"
shift || true
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(p1 p3 p4 p2 p2paired p5 p1durability p2durability restart)
OPTS="${BENCH_JMH_OPTS:--f 1 -wi 2 -i 3}"
mkdir -p "$RESULTS"
[ -f bench/target/benchmarks.jar ] || { echo "bench/target/benchmarks.jar missing: mvn -q -B -pl bench,replica-node -am package -DskipTests first" >&2; exit 1; }
# A copy: a rebuild while the suites run must not change the jar under the running JVMs.
JAR="$RESULTS/benchmarks.jar"
cp bench/target/benchmarks.jar "$JAR"

conditions() {
  echo "$(date -u +%FT%TZ) $1: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, \
$(free -g | awk '/Mem:/{print $2}') GiB, git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- ra api replica-node || echo '+uncommitted changes in ra/api/replica-node')" \
    | tee -a "$RESULTS/conditions.txt"
}

# Waits until the machine is quiet before a suite: the previous suite's leftovers (its JVMs
# exiting, the kernel writing back the pages its disk benchmarks dirtied) must not run during
# the next suite's measurement. Quiet: the CPUs at least 90% idle over 2 s; at most 120 s.
settle() {
  local start=$SECONDS busy total
  sync
  while [ $((SECONDS - start)) -lt 120 ]; do
    read -r busy total < <(cpu_ticks)
    sleep 2
    read -r busy2 total2 < <(cpu_ticks)
    if [ $(( (busy2 - busy) * 100 )) -le $(( (total2 - total) * 10 )) ]; then
      break
    fi
  done
  echo "settled in $((SECONDS - start)) s" >> "$RESULTS/conditions.txt"
}

# Prints the busy and total CPU ticks since boot (/proc/stat; idle and iowait count as not busy).
cpu_ticks() {
  awk '/^cpu /{idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total - idle, total}' /proc/stat
}

jmh() {
  local name="$1"; shift
  settle
  conditions "start $name"
  # shellcheck disable=SC2086
  java -jar "$JAR" "$@" ${SUITE_OPTS:-$OPTS} -rf csv -rff "$RESULTS/$name.csv" > "$RESULTS/$name.log" 2>&1 \
    || echo "$name: JMH exited with $? (see $RESULTS/$name.log)"
  conditions "end $name"
}

for suite in "${SUITES[@]}"; do
  case "$suite" in
    p1) jmh p1 WriteLatencyBenchmark -p storage=memory,disk-none,disk-fsync -w 3s -r 3s ;;
    # P3 needs a longer warm-up than the default: three JVMs share 2 cores, and the product keeps
    # the offered 1,000 writes/s only from about its sixth 10 s iteration (docs/PERFORMANCE.md).
    p3) SUITE_OPTS="${BENCH_P3_OPTS:--f 1 -wi 10 -i 3}" jmh p3 ReplicationLagBenchmark -w 10s -r 10s ;;
    # 2 GiB replicas: the raw-gets baseline of 64 MiB with 100,000 segments stored runs a 1 GiB replica out of heap.
    p4) jmh p4 RestoreBenchmark -p segmentsStored="${BENCH_P4_STORED:-1,10000,100000}" -w 5s -r 5s \
          -jvmArgsAppend "-Xmx3g -Djava.net.preferIPv4Stack=true -Dbench.replicaHeap=2g" ;;
    # R = 2 (the default) has the numOwners-3 baseline's copies, R = 1 the numOwners-2 baseline's.
    # A longer warm-up than the default: with 2 x 5 s the product's batches still get faster
    # through the measured iterations, three JVMs warming on 2 cores.
    # The separate forks of each method, on clusters of their own: absolute MiB/s of every method.
    p2) SUITE_OPTS="${BENCH_P2_OPTS:--f 1 -wi 4 -i 3}" jmh p2 '\.ThroughputBenchmark\.' -p replicaCount=1,2 -w 10s -r 10s ;;
    # P2's verdict: product and raw batches taking turns in one fork on one cluster, three forks of
    # each pair (separate forks of one method differ by up to 2x, see docs/PERFORMANCE.md). R = 2
    # against both baselines' owners, R = 1 against the numOwners-2 baseline's same two copies.
    # 12 warm-up iterations: JMH's -prof comp shows the JIT compiling the product's paths for about
    # ten 10 s iterations, three JVMs warming on 2 cores (docs/PERFORMANCE.md, Method).
    p2paired)
      SUITE_OPTS="${BENCH_P2_PAIRED_OPTS:--f 3 -wi 12 -i 3}" jmh p2paired-r2 PairedThroughputBenchmark \
        -p replicaCount=2 -p numOwners=2,3 -w 10s -r 10s
      SUITE_OPTS="${BENCH_P2_PAIRED_OPTS:--f 3 -wi 12 -i 3}" jmh p2paired-r1 PairedThroughputBenchmark \
        -p replicaCount=1 -p numOwners=2 -w 10s -r 10s
      ;;
    p5)
      settle
      conditions "start p5"
      java -Xmx3g -XX:MarkSweepDeadRatio=0 -Dp5.histogram=true -Djava.net.preferIPv4Stack=true -cp "$JAR" io.checkpointservice.bench.HeapProbe 100000 1024 1 64 15 \
        > "$RESULTS/p5.log" 2>&1 || echo "p5: HeapProbe exited with $?"
      java -Xmx3g -XX:MarkSweepDeadRatio=0 -Dp5.histogram=true -Djava.net.preferIPv4Stack=true -cp "$JAR" io.checkpointservice.bench.HeapProbe 100000 1024 0 64 15 \
        > "$RESULTS/p5-capacity0.log" 2>&1 || echo "p5: HeapProbe (capacityFactor 0) exited with $?"
      conditions "end p5"
      ;;
    # Persistence (record and chunk journals on every node) and the global store against the same
    # storage without them, each in forks of its own: a disk store without journals is a bench-only
    # assembly (UnjournaledNode), the product has no such setting.
    p1durability)
      SUITE_OPTS="${BENCH_P1_DURABILITY_OPTS:--f 2 -wi 2 -i 3}" jmh p1durability-disk 'WriteLatencyBenchmark\.checkpointWrite' \
        -p storage=disk-none -p durability=none,journals,journals+global -w 3s -r 3s
      SUITE_OPTS="${BENCH_P1_DURABILITY_OPTS:--f 2 -wi 2 -i 3}" jmh p1durability-memory 'WriteLatencyBenchmark\.checkpointWrite' \
        -p storage=memory -p durability=none,global -w 3s -r 3s
      ;;
    # Paired as P2 is judged: each fork's product-to-raw ratio, then the ratios of the forks compared.
    p2durability)
      SUITE_OPTS="${BENCH_P2_DURABILITY_OPTS:--f 1 -wi 12 -i 3}" jmh p2durability PairedThroughputBenchmark \
        -p replicaCount=2 -p numOwners=3 -p storage=disk-none -p durability=none,journals,journals+global -w 10s -r 10s
      ;;
    restart)
      settle
      conditions "start restart"
      # shellcheck disable=SC2086
      java -cp "$JAR" io.checkpointservice.bench.RestartProbe ${BENCH_RESTART_ARGS:-10000 4096 3 10} \
        > "$RESULTS/restart.log" 2>&1 || echo "restart: RestartProbe exited with $?"
      conditions "end restart"
      ;;
    *) echo "unknown suite $suite (p1 p3 p4 p2 p2paired p5 p1durability p2durability restart)" >&2; exit 2 ;;
  esac
done

csvs=("$RESULTS"/p[1-4]*.csv)
if [ -e "${csvs[0]}" ]; then
  java -cp "$JAR" io.checkpointservice.bench.Report "${csvs[@]}" | tee "$RESULTS/report.md"
fi
for log in "$RESULTS"/p5*.log; do
  [ -e "$log" ] && grep -E '^(P5|\||overhead)' "$log"
done
if [ -e "$RESULTS/restart.log" ]; then
  grep -E '^(RESTART|\||A wrote)' "$RESULTS/restart.log" | tee -a "$RESULTS/report.md"
fi
