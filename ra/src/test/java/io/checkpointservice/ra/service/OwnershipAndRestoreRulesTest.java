package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ownership and restore rules (G5, G6, G8, deletes) with several services sharing one
 * in-JVM {@link LocalCluster}: fast checks of the decision logic. That the rules hold when real
 * processes die is proven by the multi-process tests in replica-node.
 */
class OwnershipAndRestoreRulesTest {

    private static final String NS = "app";
    private final LocalCluster cluster = new LocalCluster();

    private CheckpointService node(String name) {
        return node(name, new MemoryStore());
    }

    /** A node on the given store: a new service on an old store is a node restarted on its disk. */
    private CheckpointService node(String name, MemoryStore store) {
        AdapterSettings settings = new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 4 << 20, 2);
        return new CheckpointService(settings, store, cluster.directory(), cluster.replicas(2), Clock.systemUTC());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes everything the node has pending, as its background workers would. */
    private static void replicate(CheckpointService node) {
        assertTrue(node.replicator().drain(5_000), "replicator should publish all pending segments");
    }

    @Test
    void loadOnAnotherNodeReturnsTheNewestPublishedVersion() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        a.write(NS, "job", bytes("one"));
        long v2 = a.write(NS, "job", bytes("two"));
        replicate(a);
        assertTrue(a.awaitReplicated(NS, "job", v2, Duration.ZERO), "v2 should count as replicated once published");

        Checkpoint loaded = b.load(NS, "job").orElseThrow();
        assertEquals(v2, loaded.version(), "b should load the newest version");
        assertArrayEquals(bytes("two"), loaded.state());
        assertEquals("a", loaded.originNode());
    }

    @Test
    void previousWriterIsFencedAfterTakeOverAndItsUnpublishedWriteNeverReturns() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        a.write(NS, "job", bytes("v1"));
        replicate(a);
        a.write(NS, "job", bytes("zombie-v2")); // local only: a is cut off before publishing

        Checkpoint taken = b.load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("v1"), taken.state(), "b must restore the newest published version");

        assertThrows(StaleWriterException.class, () -> a.write(NS, "job", bytes("zombie-v3")),
                "a write by the previous writer after the take-over must fail");
        replicate(a); // a's pending zombie version must not be published
        long bv = b.write(NS, "job", bytes("b-next"));
        replicate(b);
        assertEquals(taken.version() + 1, bv, "versions continue from the restored one");

        Checkpoint onThird = node("c").load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("b-next"), onThird.state(), "the zombie's copy must never replace b's");
    }

    @Test
    void staleLocalCopyIsReplacedByTheClusterNewest() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        a.write(NS, "job", bytes("old"));
        replicate(a);
        b.load(NS, "job"); // b now holds "old" locally and owns the segment
        b.write(NS, "job", bytes("newer"));
        replicate(b);

        Checkpoint back = a.load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("newer"), back.state(), "a's stale local copy must be replaced, not returned");
    }

    @Test
    void absentIsEmptyButLostReplicasAreUnavailable() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        assertTrue(b.load(NS, "never-written").isEmpty(), "a segment nobody wrote is absent");

        a.write(NS, "job", bytes("state"));
        replicate(a);
        cluster.loseAllReplicas();
        assertThrows(SegmentUnavailableException.class, () -> b.load(NS, "job"),
                "a segment whose record exists but whose copies are gone is unavailable, not absent");
    }

    @Test
    void deleteLeavesATombstoneSoOldCopiesNeverComeBackAndVersionsKeepCounting() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        a.write(NS, "job", bytes("one"));
        long v2 = a.write(NS, "job", bytes("two"));
        replicate(a);
        assertTrue(a.delete(NS, "job"), "delete of an existing segment returns true");
        assertEquals(0, cluster.chunkCount(), "delete removes the replica chunks");
        assertTrue(b.load(NS, "job").isEmpty(), "a deleted segment loads as absent on another node");
        assertFalse(b.delete(NS, "job"), "deleting it again returns false");

        long recreated = b.write(NS, "job", bytes("again"));
        assertTrue(recreated > v2, "a re-created segment's version " + recreated + " must exceed the deleted " + v2);
    }

    @Test
    void unpublishedWriteIsReturnedToItsOwnWriter() {
        CheckpointService a = node("a");
        a.write(NS, "job", bytes("one"));
        replicate(a);
        long v2 = a.write(NS, "job", bytes("two"));
        Checkpoint own = a.load(NS, "job").orElseThrow();
        assertEquals(v2, own.version(), "the owner's own newer local write is the newest version");
    }

    /**
     * A write on a node that never held the segment takes it over at once, in this node's memory;
     * the record follows only when the write is published. A load in between must return that
     * write, not the other node's older version (stored over the write, that would lose a write
     * that had returned).
     */
    @Test
    void loadRightAfterAWriteThatTookTheSegmentOverReturnsThatWrite() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        b.write(NS, "job", bytes("b-one"));
        replicate(b);

        long v2 = a.write(NS, "job", bytes("a-two")); // no load first: the write takes it over
        Checkpoint own = a.load(NS, "job").orElseThrow();
        assertEquals(v2, own.version(), "the load returns this node's own write, not b's older version");
        assertArrayEquals(bytes("a-two"), own.state());

        replicate(a);
        Checkpoint elsewhere = node("c").load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("a-two"), elsewhere.state(), "the write is published, and newest everywhere");
        assertThrows(StaleWriterException.class, () -> b.write(NS, "job", bytes("b-late")),
                "the load made the take-over the cluster's: the previous writer is fenced");
    }

    @Test
    void loadRightAfterAWriteOverAnotherNodesDeleteReturnsThatWrite() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        b.write(NS, "job", bytes("b-one"));
        replicate(b);
        assertTrue(b.delete(NS, "job"));

        long recreated = a.write(NS, "job", bytes("a-again"));
        Checkpoint own = a.load(NS, "job").orElseThrow(() -> new AssertionError(
                "the load must return this node's write that re-created the segment, not 'absent'"));
        assertEquals(recreated, own.version());
        assertArrayEquals(bytes("a-again"), own.state());
        replicate(a);
        assertArrayEquals(bytes("a-again"), node("c").load(NS, "job").orElseThrow().state());
    }

    /**
     * The previous writer, not yet fenced (the new writer's take-over is only in its own memory
     * until it publishes), publishes a version with the very number the new writer's write got.
     * The number is the same, the lineage is not: the take-over's epoch is the newer one, so its
     * write must still be published, and the previous writer is fenced from then on. Taking the
     * equal number for "already published" would keep the write on this node for good.
     */
    @Test
    void writeThatTookTheSegmentOverIsPublishedOverTheOldWritersVersionOfTheSameNumber() {
        CheckpointService a = node("a");
        CheckpointService b = node("b");
        b.write(NS, "job", bytes("b-one"));
        replicate(b);

        long aVersion = a.write(NS, "job", bytes("a-two"));
        long bVersion = b.write(NS, "job", bytes("b-two"));
        replicate(b);
        assertEquals(aVersion, bVersion, "precondition: both writes got the same version number");
        assertFalse(a.awaitReplicated(NS, "job", aVersion, Duration.ZERO),
                "b's version of the same number is not a's write: G3 must not report a's write replicated");
        assertArrayEquals(bytes("a-two"), a.load(NS, "job").orElseThrow().state(), "a load on a returns a's write");
        assertArrayEquals(bytes("a-two"), a.load(NS, "job").orElseThrow().state(),
                "and so does the next one, now that the record names a (its data is still b's)");
        replicate(a);
        assertTrue(a.awaitReplicated(NS, "job", aVersion, Duration.ZERO), "a's write, once published");

        Checkpoint loaded = node("c").load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("a-two"), loaded.state(), "the take-over's write is the newest, whatever the number");
        assertEquals("a", loaded.originNode());
        assertThrows(StaleWriterException.class, () -> b.write(NS, "job", bytes("b-three")),
                "the previous writer is fenced");
    }

    @Test
    void writerRestartedOnItsStoreReturnsItsOwnUnpublishedWriteNotTheRecordsOlderVersion() {
        MemoryStore disk = new MemoryStore();
        CheckpointService a = node("a", disk);
        a.write(NS, "job", bytes("one"));
        replicate(a);
        long v2 = a.write(NS, "job", bytes("two")); // returned, stored, not yet published: then the process dies

        CheckpointService restarted = node("a", disk); // same node name, same store, no memory of owning it
        Checkpoint own = restarted.load(NS, "job").orElseThrow();
        assertEquals(v2, own.version(), "the restarted writer's own newer write is the newest version, not the "
                + "record's older one");
        assertArrayEquals(bytes("two"), own.state());

        replicate(restarted);
        Checkpoint elsewhere = node("b").load(NS, "job").orElseThrow();
        assertEquals(v2, elsewhere.version(), "the restarted writer publishes the recovered write");
        assertArrayEquals(bytes("two"), elsewhere.state());
    }

    @Test
    void writerRestartedAfterATakeOverDoesNotResurrectItsUnpublishedWrite() {
        MemoryStore disk = new MemoryStore();
        CheckpointService a = node("a", disk);
        a.write(NS, "job", bytes("one"));
        replicate(a);
        a.write(NS, "job", bytes("a-unpublished"));
        Checkpoint taken = node("b").load(NS, "job").orElseThrow(); // b takes over: the epoch moves on
        assertArrayEquals(bytes("one"), taken.state());

        Checkpoint back = node("a", disk).load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("one"), back.state(), "a copy written under an epoch taken over since must never"
                + " come back");
    }

    @Test
    void publishingReplacesThePreviousVersionsChunks() {
        CheckpointService a = node("a");
        a.write(NS, "job", new byte[(3 << 20) / 2]);
        replicate(a);
        int afterFirst = cluster.chunkCount();
        a.write(NS, "job", new byte[10]);
        replicate(a);
        assertEquals(2, afterFirst, "1.5 MiB is stored as two 1 MiB chunks");
        assertEquals(1, cluster.chunkCount(), "only the newest version's chunks stay");
    }

    @Test
    void nodeThatHasMetNoMemberYetCallsAnUnknownSegmentUnavailableNotAbsent() {
        SegmentDirectory shared = cluster.directory();
        SegmentDirectory notYetJoined = new SegmentDirectory() {
            @Override
            public boolean knowsEveryRecord() {
                return false;
            }

            @Override
            public Optional<SegmentRecord> get(String key) {
                return Optional.empty(); // its records have not arrived
            }

            @Override
            public boolean compareAndSet(String key, Optional<SegmentRecord> expected,
                                         SegmentRecord next) {
                return shared.compareAndSet(key, expected, next);
            }
        };
        AdapterSettings settings = new AdapterSettings("late", StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 4 << 20, 2);
        CheckpointService late = new CheckpointService(settings, new MemoryStore(), notYetJoined,
                cluster.replicas(2), Clock.systemUTC());
        assertThrows(SegmentUnavailableException.class, () -> late.load(NS, "job"),
                "a node that has met no other member cannot know the segment is absent");
    }
}
