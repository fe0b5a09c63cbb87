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
 * Retained versions on separate node processes ({@code retainVersions} 3, R = 1, disk mode): A
 * writes five versions and is SIGKILLed; B, which never wrote the segment, lists the newest three
 * and loads each with exactly its bytes, finds the oldest two not kept, and takes nothing over
 * (the record still names A as writer). Then every node is SIGKILLed at once and started again:
 * the same three versions are listed and loadable.
 *
 * <p>Without a global store the replicas keep the old versions and bring them back from their
 * disks; with one (a shared directory) the old versions are kept there, and a brand-new set of
 * nodes whose disks are empty finds them in it.
 */
class RetainedVersionsIT extends ClusterTestBase {

    private static final String SEGMENT = "kept";
    private static final NodeOptions DISK = NodeOptions.memory(1).onDisk("none").retainVersions(3);
    /** Time for restarted nodes to put chunks back, or for the archiver to store a version. */
    private static final Duration AVAILABLE_WITHIN = Duration.ofSeconds(60);

    @Test
    @Timeout(420)
    void replicasKeepTheNewestThreeVersionsThroughAWholeClusterRestart() {
        List<NodeProcess> nodes = cluster.startApps(DISK, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Map<Long, Payloads.Expected> written = writeFiveVersions(nodes.get(0));

        cluster.killTogether(nodes.get(0));
        NodeProcess b = nodes.get(1);
        checkKeptVersions(b, written);
        assertEquals("A", b.record(SEGMENT).expectStatus(200, "record on B").get("writer"),
                "loading old versions on B took the segment over");

        cluster.killTogether(nodes.get(1), nodes.get(2));
        NodeProcess c = cluster.restartApp("C", DISK);
        b = cluster.restartApp("B", DISK);
        NodeProcess a = cluster.restartApp("A", DISK);
        cluster.awaitView(a, b, c);
        checkKeptVersions(c, written);
    }

    @Test
    @Timeout(420)
    void theGlobalStoreKeepsTheNewestThreeVersionsForABrandNewCluster() {
        NodeOptions options = DISK.globalStore(cluster.globalStoreDirectory());
        List<NodeProcess> nodes = cluster.startApps(options, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Map<Long, Payloads.Expected> written = writeFiveVersions(nodes.get(0));
        // The replicas archive in the background: wait until the global store lists what it keeps.
        awaitVersions(nodes.get(1), List.of(5L, 4L, 3L));

        cluster.killTogether(nodes.get(0));
        checkKeptVersions(nodes.get(1), written);

        cluster.killTogether(nodes.get(1), nodes.get(2));
        for (String node : List.of("A", "B", "C")) {
            Directories.deleteRecursively(cluster.dataDirectory(node));
        }
        NodeProcess c = cluster.restartApp("C", options);
        NodeProcess b = cluster.restartApp("B", options);
        cluster.awaitView(b, c);
        checkKeptVersions(c, written);
    }

    /** A writes versions 1 to 5 of the segment, each awaited (G3): each is published. */
    private static Map<Long, Payloads.Expected> writeFiveVersions(NodeProcess a) {
        Map<Long, Payloads.Expected> written = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            Payloads.Expected payload = Payloads.Expected.of(i % 2 == 0 ? 20_000 + i : 1_300_000 + i, 70 + i);
            long version = a.write(SEGMENT, payload);
            assertEquals(i, version, "version of write " + i + " on A");
            assertTrue(a.awaitReplicated(SEGMENT, version, REPLICATION_TIMEOUT),
                    "awaitReplicated('" + SEGMENT + "', v" + version + ") on A with three nodes up");
            written.put(version, payload);
        }
        return written;
    }

    /**
     * On {@code node}: versions lists 5, 4, 3; each loads with the bytes A wrote; versions 1 and 2
     * are not kept (404, never other bytes).
     */
    private static void checkKeptVersions(NodeProcess node, Map<Long, Payloads.Expected> written) {
        awaitVersions(node, List.of(5L, 4L, 3L));
        for (long version = 5; version >= 3; version--) {
            NodeProcess.Reply loaded = loadWhenAvailable(node, version);
            Payloads.Expected expected = written.get(version);
            assertEquals(200, loaded.status(), "load('" + SEGMENT + "', " + version + ") on " + node.name()
                    + ": expected the version A wrote, was " + loaded);
            assertEquals(version, loaded.version(), "version loaded on " + node.name() + ": " + loaded);
            assertEquals(expected.sha256(), loaded.get("sha256"), "bytes of v" + version + " on " + node.name()
                    + " differ from the " + expected + " A wrote: " + loaded);
            assertEquals("A", loaded.get("originNode"), "origin of v" + version + " on " + node.name());
        }
        for (long version = 1; version <= 2; version++) {
            NodeProcess.Reply notKept = node.loadVersion(SEGMENT, version);
            assertEquals(404, notKept.status(), "load('" + SEGMENT + "', " + version + ") on " + node.name()
                    + ": older than the three kept, expected 'not kept' but was " + notKept);
        }
    }

    private static void awaitVersions(NodeProcess node, List<Long> expected) {
        AtomicReference<List<Long>> listed = new AtomicReference<>();
        await("versions('" + SEGMENT + "') on " + node.name() + " listing " + expected)
                .atMost(AVAILABLE_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .pollInSameThread()
                .untilAsserted(() -> {
                    listed.set(node.versions(SEGMENT));
                    assertEquals(expected, listed.get(), "versions('" + SEGMENT + "') on " + node.name());
                });
    }

    /** Loads the version until the answer is not "unavailable" (chunks being put back). */
    private static NodeProcess.Reply loadWhenAvailable(NodeProcess node, long version) {
        AtomicReference<NodeProcess.Reply> reply = new AtomicReference<>();
        await("load('" + SEGMENT + "', " + version + ") on " + node.name())
                .atMost(AVAILABLE_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .pollInSameThread()
                .untilAsserted(() -> {
                    reply.set(node.loadVersion(SEGMENT, version));
                    assertNotEquals(503, reply.get().status(), () -> "still 'unavailable': " + reply.get());
                });
        return reply.get();
    }
}
