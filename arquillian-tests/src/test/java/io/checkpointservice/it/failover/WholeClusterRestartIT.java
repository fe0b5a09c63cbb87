package io.checkpointservice.it.failover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.testsupport.Directories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Disk mode on two real WildFly nodes, both server JVMs SIGKILLed at the same instant and started
 * again in the other order: B, which never wrote or loaded the segments, loads every one that A
 * had written and awaited, with A's bytes; then A loads them too. With {@code retainVersions} 2,
 * both nodes also list the older version of a segment written twice and load it with its bytes.
 * The records come back from the nodes' disks and the chunks from the replica's disk or A's own
 * copy (docs/ARCHITECTURE.md, "Persistence in disk mode").
 *
 * <p>A is node-3, B is node-4 ({@link TwoNodeFailoverBase}: the failover cluster of pom.xml, R = 1,
 * cluster secret), started here in disk mode with storage directories of this test.
 */
class WholeClusterRestartIT extends TwoNodeFailoverBase {

    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);
    /** How long loads may answer "unavailable, retry" while the restarted nodes put the chunks back. */
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);
    private static final Path STORAGE = Path.of(System.getProperty("nodes.dir", "target/nodes"), "whole-cluster-restart");

    @Test
    void everyAwaitedSegmentLoadsOnTheOtherNodeAfterBothWereKilledAndRestarted() throws Exception {
        Directories.deleteRecursively(STORAGE);
        A.resetConfiguration(); // no deployments left by a test that killed these nodes before
        B.resetConfiguration();
        start(A, A_ADAPTER, A_APP);
        start(B, B_ADAPTER, B_APP);

        Map<String, byte[]> written = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        String prefix = "restart-it/" + UUID.randomUUID() + "/";
        String twice = prefix + 1; // written twice: its older version must come back too (retainVersions 2)
        byte[] older = new byte[30_000];
        new Random(-1).nextBytes(older);
        long olderVersion = client.put(A, twice, older);
        assertTrue(awaitWithB(Map.of(twice, olderVersion)), "expected awaitReplicated(" + twice + ", v" + olderVersion
                + ") on " + A.qualifier() + " to say true with " + B.qualifier() + " in the cluster within "
                + REPLICATION_TIMEOUT + logs());
        for (int i = 0; i < 4; i++) {
            byte[] state = new byte[i == 0 ? 1_500_000 : 40_000 + i]; // one of two chunks, three of one
            new Random(i).nextBytes(state);
            written.put(prefix + i, state);
            versions.put(prefix + i, client.put(A, prefix + i, state));
        }
        assertTrue(awaitWithB(versions), "expected awaitAllReplicated(" + versions + ") on " + A.qualifier() + " to say true with "
                + B.qualifier() + " in the cluster within " + REPLICATION_TIMEOUT + logs());

        killTogether(A, B);
        restart(B); // the servers deploy the adapter and the application again by themselves
        restart(A);

        for (Nodes node : List.of(B, A)) {
            for (Map.Entry<String, byte[]> segment : written.entrySet()) {
                SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(node, segment.getKey(), LOAD_DEADLINE,
                        "after both nodes were SIGKILLed and restarted, " + B.qualifier() + " first");
                assertEquals(versions.get(segment.getKey()), loaded.version(), "version of " + segment.getKey()
                        + " loaded on " + node.qualifier() + " after the restart");
                assertEquals(A.qualifier(), loaded.originNode(), "origin of " + segment.getKey());
                assertArrayEquals(segment.getValue(), loaded.state(), "bytes of " + segment.getKey() + " loaded on "
                        + node.qualifier() + " after the restart");
            }
            assertEquals(List.of(versions.get(twice), olderVersion), client.versions(node, twice),
                    "versions of " + twice + " kept on " + node.qualifier() + " after the restart");
            SegmentClient.Loaded kept = client.loadVersion(node, twice, olderVersion, LOAD_DEADLINE).orElseThrow(() -> new AssertionError(
                    "v" + olderVersion + " of " + twice + " not kept on " + node.qualifier() + " after the restart" + logs()));
            assertEquals(olderVersion, kept.version(), "version of the older " + twice + " on " + node.qualifier());
            assertArrayEquals(older, kept.state(), "bytes of v" + olderVersion + " of " + twice + " on " + node.qualifier());
        }
    }

    /** Awaits the versions on A, again and again until B has joined and holds every copy. */
    private boolean awaitWithB(Map<String, Long> versions) throws Exception {
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        boolean replicated = false;
        while (!replicated && System.nanoTime() < deadline) {
            replicated = client.awaitAllReplicated(A, versions, Duration.ofSeconds(5));
        }
        return replicated;
    }

    private void start(Nodes node, String adapter, String app) {
        startAndDeploy(node, diskMode(node), adapter, app);
    }

    /** Starts the node's server in disk mode; it deploys again whatever it had deployed before. */
    private void restart(Nodes node) {
        controller.start(node.qualifier(), diskMode(node));
    }

    private static Map<String, String> diskMode(Nodes node) {
        return node.startConfig(
                "-Dcheckpoint.storageMode=disk",
                "-Dcheckpoint.syncPolicy=none",
                "-Dcheckpoint.retainVersions=2",
                "-Dcheckpoint.storageDirectory=" + STORAGE.resolve(node.qualifier()).toAbsolutePath());
    }
}
