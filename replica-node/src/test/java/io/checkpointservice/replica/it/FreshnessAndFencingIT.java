package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.testsupport.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** G5 (freshness) and G6 (fencing) over real processes. */
class FreshnessAndFencingIT extends ClusterTestBase {

    private static final String SEGMENT = "state";

    /**
     * Disk mode, R = 1. C holds v1 on its disk from an early load; B takes over and writes v2, v3;
     * B is killed: C's load returns B's v3, not its own v1. Then A, killed right after writing v1,
     * restarts on its old disk directory (still holding v1): its load returns v3 too.
     */
    @Test
    @Timeout(240)
    void staleLocalCopyIsReplacedByNewestVersion() {
        NodeOptions options = NodeOptions.memory(1).onDisk();
        List<NodeProcess> nodes = cluster.startApps(options, "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(a, b, c);

        byte[] v1State = "v1 of the state, written on A before anything went wrong".getBytes(StandardCharsets.UTF_8);
        Payloads.Expected v1Bytes = Payloads.Expected.ofBytes(v1State);
        long v1 = a.write(SEGMENT, v1State);
        assertTrue(a.awaitReplicated(SEGMENT, v1, REPLICATION_TIMEOUT), "awaitReplicated(v1) on A: expected true");
        assertLoads(c, SEGMENT, v1, v1Bytes, "A"); // C now has v1 on its own disk

        a.kill(); // A's disk keeps v1
        cluster.awaitView(Set.of("B", "C"), b, c);

        assertLoads(b, SEGMENT, v1, v1Bytes, "A"); // B takes over from C
        long v2 = b.write(SEGMENT, Payloads.Expected.of(310_000, 2));
        Payloads.Expected v3Bytes = Payloads.Expected.of(1_200_000, 3); // 2 chunks
        long v3 = b.write(SEGMENT, v3Bytes);
        assertTrue(v1 < v2 && v2 < v3, () -> "versions must increase across the take-over: v1 " + v1
                + ", then B wrote " + v2 + " and " + v3);
        assertTrue(b.awaitReplicated(SEGMENT, v3, REPLICATION_TIMEOUT), () -> "awaitReplicated(v" + v3
                + ") on B with C up and R = 1: expected true");

        b.kill();
        cluster.awaitView(Set.of("C"), c);
        assertLoads(c, SEGMENT, v3, v3Bytes, "B"); // never C's local v1

        NodeProcess restarted = cluster.restartApp("A", options);
        assertTrue(restarted.logTail(200).contains("with 1 segments"), () -> "precondition: the restarted A should"
                + " open its old disk store holding v1; its log:\n" + restarted.logTail(40));
        cluster.awaitView(Set.of("A", "C"), restarted, c);
        assertLoads(restarted, SEGMENT, v3, v3Bytes, "B"); // never its old v1
        assertLoads(c, SEGMENT, v3, v3Bytes, "B"); // and A's old v1 did not reach the cluster either
    }

    /**
     * A writes v1; a second write on A races B's take-over. From then on A's writes fail with
     * StaleWriterException, B's versions continue from what it loaded, and a third node loads
     * B's data: nothing of A's replaces it.
     */
    @Test
    @Timeout(240)
    void zombieWriterIsFencedAfterTakeOver() {
        List<NodeProcess> nodes = cluster.startApps(NodeOptions.memory(2), "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(a, b, c);

        Payloads.Expected first = Payloads.Expected.of(200_000, 10);
        long v1 = a.write(SEGMENT, first);
        assertTrue(a.awaitReplicated(SEGMENT, v1, REPLICATION_TIMEOUT), "awaitReplicated(v1) on A: expected true");

        // A writes again and B loads at once: A's publication of v2 (8 chunks, so it takes a
        // while) races B's take-over. Whichever wins, B's data must win from then on.
        Payloads.Expected racing = Payloads.Expected.of(8 * 1024 * 1024, 11);
        long v2 = a.write(SEGMENT, racing);
        NodeProcess.Reply taken = b.load(SEGMENT).expectStatus(200, "B's take-over load");
        long loaded = taken.version();
        System.out.println("zombie race: A wrote v" + v2 + " unawaited, B's take-over load got v" + loaded);
        assertTrue(loaded == v1 || loaded == v2, () -> "B loaded v" + loaded + ", expected v" + v1 + " or v" + v2);
        Payloads.Expected loadedBytes = loaded == v1 ? first : racing;
        assertEquals(loadedBytes.sha256(), taken.get("sha256"), () -> "bytes B loaded as v" + loaded + ": " + taken);
        assertEquals("A", taken.get("originNode"), () -> "origin of what B loaded: " + taken);

        assertFailure(a.tryWrite(SEGMENT, Payloads.Expected.of(200_000, 12)), 409, StaleWriterException.class,
                "write on A after B took the segment over");

        Payloads.Expected bFirst = Payloads.Expected.of(250_000, 20);
        long vb1 = b.write(SEGMENT, bFirst);
        assertTrue(vb1 > loaded, () -> "B's first write after loading v" + loaded + " got version " + vb1);
        assertLoads(b, SEGMENT, vb1, bFirst, "B");
        Payloads.Expected bSecond = Payloads.Expected.of(1_100_000, 21); // 2 chunks
        long vb2 = b.write(SEGMENT, bSecond);
        assertTrue(vb2 > vb1, () -> "B's versions must keep increasing: " + vb1 + " then " + vb2);
        assertTrue(b.awaitReplicated(SEGMENT, vb2, REPLICATION_TIMEOUT), () -> "awaitReplicated(v" + vb2
                + ") on B: expected true");

        assertFailure(a.tryWrite(SEGMENT, Payloads.Expected.of(200_000, 13)), 409, StaleWriterException.class,
                "second write on A, the zombie");
        assertLoads(c, SEGMENT, vb2, bSecond, "B");
    }
}
