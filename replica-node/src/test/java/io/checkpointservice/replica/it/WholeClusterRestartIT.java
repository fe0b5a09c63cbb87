package io.checkpointservice.replica.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Disk mode, every node of the cluster stopped at once and started again: the cluster's records
 * come back from the nodes' disks, so a node that was not the writer still knows every segment
 * and loads it (the writer's own disk copy puts the replica chunks back), and no load anywhere
 * removes the writer's copy. Without persisted records the restarted cluster knew nothing: the
 * first load on another node answered "absent", claimed the segment, and the writer's next load
 * then deleted its own copy as stale.
 */
class WholeClusterRestartIT extends ClusterTestBase {

    private static final NodeOptions DISK = NodeOptions.memory(1).onDisk("none");
    /** Time for restarted nodes to put the chunks back; loads answer "unavailable" (503) until then. */
    private static final Duration AVAILABLE_WITHIN = Duration.ofSeconds(60);

    @Test
    @Timeout(420)
    void gracefulStopOfEveryNodeLosesNoAwaitedSegment() {
        List<NodeProcess> nodes = cluster.startApps(DISK, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Map<String, Written> written = writeAndAwait(nodes.get(0));

        for (NodeProcess node : nodes) {
            node.shutdown(Duration.ofSeconds(60));
        }
        restartInAnotherOrderAndCheck(written);
    }

    @Test
    @Timeout(420)
    void everyNodeKilledAtOnceLosesNoAwaitedSegment() {
        List<NodeProcess> nodes = cluster.startApps(DISK, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Map<String, Written> written = writeAndAwait(nodes.get(0));

        cluster.killTogether(nodes.toArray(NodeProcess[]::new));
        restartInAnotherOrderAndCheck(written);
    }

    /**
     * Every node killed, and the writer's host never comes back (its disk lost): B and C hold
     * every awaited version on their disks (R = 1: each version's two owners include B or C) and
     * put the chunks back when they start.
     */
    @Test
    @Timeout(420)
    void everyNodeKilledAndTheWritersDiskLostLosesNoAwaitedSegment() {
        List<NodeProcess> nodes = cluster.startApps(DISK, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Map<String, Written> written = writeAndAwait(nodes.get(0));

        cluster.killTogether(nodes.toArray(NodeProcess[]::new));
        Directories.deleteRecursively(cluster.dataDirectory("A"));
        NodeProcess c = cluster.restartApp("C", DISK);
        NodeProcess b = cluster.restartApp("B", DISK);
        cluster.awaitView(b, c);

        written.forEach((segment, w) -> loadWhenAvailable(b, segment, w));
        written.forEach((segment, w) -> loadWhenAvailable(c, segment, w));
    }

    /** A writes segments of one and of two chunks and awaits every one (G3). */
    private static Map<String, Written> writeAndAwait(NodeProcess a) {
        Map<String, Written> written = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            String segment = "restart-" + i;
            Payloads.Expected payload = Payloads.Expected.of(i % 2 == 0 ? 20_000 + i : 1_300_000 + i, 40 + i);
            long version = a.write(segment, payload);
            if (i % 3 == 0) { // some segments carry a later version, so the newest is what must come back
                payload = Payloads.Expected.of(30_000 + i, 80 + i);
                version = a.write(segment, payload);
            }
            written.put(segment, new Written(version, payload));
        }
        written.forEach((segment, w) -> assertTrue(a.awaitReplicated(segment, w.version, REPLICATION_TIMEOUT),
                () -> "awaitReplicated('" + segment + "', v" + w.version + ") on A with three nodes up: expected true"));
        return written;
    }

    /**
     * C first, then B, then A (the writer last): B, which never wrote or loaded these segments,
     * loads each of them; then A, whose disk holds the only full copies from before, loads them too.
     */
    private void restartInAnotherOrderAndCheck(Map<String, Written> written) {
        NodeProcess c = cluster.restartApp("C", DISK);
        NodeProcess b = cluster.restartApp("B", DISK);
        NodeProcess a = cluster.restartApp("A", DISK);
        cluster.awaitView(a, b, c);

        for (Map.Entry<String, Written> entry : written.entrySet()) {
            loadWhenAvailable(b, entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, Written> entry : written.entrySet()) {
            loadWhenAvailable(a, entry.getKey(), entry.getValue());
        }
    }

    /**
     * Loads until the answer is not "unavailable" (the chunks are being put back), then asserts
     * exactly the version and bytes written before the restart: never "absent".
     */
    private static void loadWhenAvailable(NodeProcess node, String segment, Written expected) {
        AtomicReference<NodeProcess.Reply> reply = new AtomicReference<>();
        await("load of '" + segment + "' on " + node.name() + " after every node restarted")
                .atMost(AVAILABLE_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .untilAsserted(() -> {
                    reply.set(node.load(segment));
                    assertNotEquals(503, reply.get().status(), () -> "still 'unavailable', expected v"
                            + expected.version + " (written and awaited on A before): " + reply.get());
                });
        NodeProcess.Reply last = reply.get();
        assertEquals(200, last.status(), () -> "load of '" + segment + "' on " + node.name()
                + " after every node restarted: expected v" + expected.version + " (written and awaited on A before)"
                + " but was " + last);
        assertEquals(expected.version, last.version(), () -> "version of '" + segment + "' on " + node.name() + ": " + last);
        assertEquals(expected.payload.sha256(), last.get("sha256"), () -> "bytes of '" + segment + "' on "
                + node.name() + " differ from the " + expected.payload + " written: " + last);
        assertEquals("A", last.get("originNode"), () -> "origin of '" + segment + "' on " + node.name() + ": " + last);
    }

    private record Written(long version, Payloads.Expected payload) {
    }
}
