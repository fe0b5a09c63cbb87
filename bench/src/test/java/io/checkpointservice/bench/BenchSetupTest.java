package io.checkpointservice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests of the benchmark set-up code that need no cluster: settings and the report (ports
 * and payloads are test-support's, tested there). No benchmark runs in the build.
 */
class BenchSetupTest {

    @Test
    void unknownStorageIsRefusedBeforeAnythingStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopbackCluster.Spec.defaults().storage("tape").syncPolicy());
        assertTrue(e.getMessage().contains("memory, disk-none, disk-fsync"), e.getMessage());
    }

    @Test
    void reportComputesRatiosAgainstTheBaselineOfTheSameRun() {
        List<Report.Row> rows = Report.parse(List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: numOwners\",\"Param: sizeBytes\",\"Param: storage\"",
                "\"io.checkpointservice.bench.WriteLatencyBenchmark.checkpointWrite:p0.50\",\"sample\",1,1,5.000000,NaN,\"us/op\",,65536,memory",
                "\"io.checkpointservice.bench.WriteLatencyBenchmark.checkpointWrite:p0.99\",\"sample\",1,1,50.000000,NaN,\"us/op\",,65536,memory",
                "\"io.checkpointservice.bench.WriteLatencyBenchmark.infinispanPut:p0.50\",\"sample\",1,1,1000.000000,NaN,\"us/op\",2,65536,",
                "\"io.checkpointservice.bench.WriteLatencyBenchmark.infinispanPut:p0.99\",\"sample\",1,1,4000.000000,NaN,\"us/op\",2,65536,"));
        String table = new Report(rows).render();
        assertTrue(table.contains("| write, memory | 5.00 | 50.0 | Infinispan DIST_SYNC put, numOwners 2 | 1000 | 4000 | 200x | 80.0x | >= 100x | pass at p50, miss at p99 |"),
                table);
    }

    @Test
    void pairedReportRatesEachKindByItsOwnTimeInTheSameRounds() {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: numOwners\",\"Param: replicaCount\",\"Param: segments\",\"Param: sizeBytes\"";
        String round = "\"io.checkpointservice.bench.PairedThroughputBenchmark.round";
        String params = "\"avgt\",1,3,%s,NaN,\"%s\",2,2,32,1048576";
        List<Report.Row> rows = Report.parse(List.of(header,
                round + "\"," + String.format(params, "800.0", "ms/op"),
                round + ":awaitAllNanos\"," + String.format(params, "2500000000", "#"),
                round + ":awaitEachNanos\"," + String.format(params, "4000000000", "#"),
                round + ":putNanos\"," + String.format(params, "3000000000", "#"),
                round + ":putTwoThreadsNanos\"," + String.format(params, "2000000000", "#"),
                round + ":rounds\"," + String.format(params, "20", "#")));
        String table = new Report(rows).render();
        // 20 rounds x 32 MiB = 640 MiB per kind: awaitAll 2.5 s = 256 MiB/s, two-thread put 2 s = 320 MiB/s.
        assertTrue(table.contains("| 2 (3) | 2 | raw put, 2 threads | 320 | one awaitAllReplicated | 256 | 80.0% | >= 80% | pass |"),
                table);
        assertTrue(table.contains("| 2 (3) | 2 | raw put, 1 thread | 213 | awaitReplicated per segment | 160 | 75.0% | >= 80% | miss |"),
                table);
    }
}
