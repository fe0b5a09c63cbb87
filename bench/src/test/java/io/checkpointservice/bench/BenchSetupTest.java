package io.checkpointservice.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests of the benchmark set-up code that need no cluster: ports, payloads, settings and
 * the report. No benchmark runs in the build.
 */
class BenchSetupTest {

    @Test
    void clusterPortsAreFreeTogetherWithTheirFailureDetectionPort() throws IOException {
        int first = LoopbackPorts.clusterPort();
        int second = LoopbackPorts.clusterPort();
        assertNotEquals(first, second, "the same port was handed out twice");
        for (int port : new int[] {first, first + LoopbackPorts.FAILURE_DETECTION_OFFSET}) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    void payloadsAreRepeatableAndNamesDistinct() {
        assertArrayEquals(Payloads.random(4096, 1), Payloads.random(4096, 1));
        assertEquals(65536, Payloads.random(65536, 2).length);
        assertEquals(List.of("p-0", "p-1", "p-2"), List.of(Payloads.names("p", 3)));
    }

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
}
