package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * G3 after every replica of a segment was lost at once: the cluster still names R owners (the
 * nodes that replaced the lost ones), but they hold nothing. {@code awaitReplicated} must not
 * count them as copies; the node that holds the record's version locally puts it back.
 *
 * <p>The sequence: a writer and its replicas killed in two quick crashes, the writer restarted on
 * its disk and its load returning its local copy. An await that counted the new owners would say
 * true, and the next load elsewhere would be unavailable.
 */
class AwaitAfterLostReplicasTest {

    private static final String NS = "app";
    /** The in-JVM cluster: like Infinispan after a total loss, it names R owners whatever they hold. */
    private final LocalCluster cluster = new LocalCluster();

    private CheckpointService node(String name) {
        AdapterSettings settings = new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 4 << 20, 2);
        return new CheckpointService(settings, new MemoryStore(), cluster.directory(), cluster.replicas(2),
                Clock.systemUTC());
    }

    private static void replicate(CheckpointService node) {
        assertTrue(node.replicator().drain(5_000), "replicator should publish all pending segments");
    }

    @Test
    void awaitPutsLostReplicasBackFromTheWritersLocalCopy() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        byte[] state = new byte[2_500_000]; // 3 chunks
        new java.util.Random(7).nextBytes(state);
        long v = a.write(NS, "job", state);
        replicate(a);
        assertTrue(a.awaitReplicated(NS, "job", v, Duration.ZERO), "published: replicated");

        cluster.loseAllReplicas();
        assertThrows(SegmentUnavailableException.class, () -> b.load(NS, "job"), "precondition: the copies are gone");

        assertTrue(a.awaitReplicated(NS, "job", v, Duration.ZERO),
                "the writer holds v" + v + " itself: awaitReplicated puts the copies back and then says true");
        assertArrayEquals(state, b.load(NS, "job").orElseThrow().state(), "the copies are really back");
    }

    @Test
    void awaitIsFalseWhenNoCopyIsLeftAnywhere() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        long v = a.write(NS, "job", "state".getBytes(StandardCharsets.UTF_8));
        replicate(a);
        cluster.loseAllReplicas();

        assertFalse(b.awaitReplicated(NS, "job", v, Duration.ofMillis(200)),
                "no node holds v" + v + " any more (b never had it): awaitReplicated must not say true");
    }
}
