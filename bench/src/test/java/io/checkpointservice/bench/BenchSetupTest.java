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

    @Test
    void journalsWithoutADiskStoreAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopbackCluster.Spec.defaults().storage("memory").durability("journals"));
        assertTrue(e.getMessage().contains("needs a disk store"), e.getMessage());
        LoopbackCluster.Spec baseline = LoopbackCluster.Spec.defaults().storage("disk-none").durability("none");
        assertTrue(!baseline.journals() && !baseline.globalStore(), baseline.toString());
        LoopbackCluster.Spec both = LoopbackCluster.Spec.defaults().storage("disk-none").durability("journals+global");
        assertTrue(both.journals() && both.globalStore(), both.toString());
    }

    @Test
    void durabilityReportComparesEachForksRatioWithTheBaselineForks() {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: durability\",\"Param: numOwners\",\"Param: replicaCount\",\"Param: segments\",\"Param: sizeBytes\",\"Param: storage\"";
        String round = "\"io.checkpointservice.bench.PairedThroughputBenchmark.round";
        String params = "\"avgt\",1,3,%s,NaN,\"%s\",%s,3,2,32,1048576,disk-none";
        List<String> lines = new java.util.ArrayList<>(List.of(header));
        // Baseline: product as fast as the raw put (100%); journals: product takes twice as long (50%).
        for (String[] fork : new String[][] {{"none", "1000000000"}, {"journals", "2000000000"}}) {
            lines.add(round + ":awaitAllNanos\"," + String.format(params, fork[1], "#", fork[0]));
            lines.add(round + ":awaitEachNanos\"," + String.format(params, fork[1], "#", fork[0]));
            lines.add(round + ":putNanos\"," + String.format(params, "1000000000", "#", fork[0]));
            lines.add(round + ":putTwoThreadsNanos\"," + String.format(params, "1000000000", "#", fork[0]));
            lines.add(round + ":rounds\"," + String.format(params, "10", "#", fork[0]));
        }
        String table = new Report(Report.parse(lines)).render();
        assertTrue(table.contains("| disk-none | journals | 2 | 3 | one awaitAllReplicated | 160 | 320 / 320 | 50.0% / 50.0% | 50.0% / 50.0% | >= 70% | miss |"),
                table);
        assertTrue(!table.contains("### P2 paired: product and raw"), "durability rows stay out of the P2 paired table: " + table);
    }
}
