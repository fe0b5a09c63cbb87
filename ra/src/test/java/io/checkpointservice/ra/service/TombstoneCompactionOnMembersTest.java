package io.checkpointservice.ra.service;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.testsupport.LoopbackNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on whole nodes (store, real cluster members, service): a deleted segment's tombstone
 * and a load's claim are forgotten by every node once older than {@code tombstoneGraceSeconds},
 * not before; what a node still holds of such a segment goes with it; and a node that was away
 * while the cluster forgot a delete does not bring the deleted segment back.
 */
class TombstoneCompactionOnMembersTest {

    private static final String NS = "app";
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration FORGOTTEN_WITHIN = Duration.ofSeconds(20);

    private final LoopbackNodes nodes = new LoopbackNodes("compaction-test", 4,
            Map.of("tombstoneGraceSeconds", String.valueOf(GRACE.toSeconds())));

    @TempDir
    Path disks;

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    @Test
    void aDeletedSegmentIsForgottenEverywhereAfterItsGracePeriodAndNotBefore() {
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        long v = a.service().write(NS, "x", bytes("a's state"));
        assertTrue(a.service().awaitReplicated(NS, "x", v, Duration.ofSeconds(10)));
        assertArrayEquals(bytes("a's state"), b.service().load(NS, "x").orElseThrow().state(), "b takes x over");
        assertTrue(b.service().delete(NS, "x"));
        assertTrue(a.service().store().metadata(key("x")).isPresent(), "a still holds its copy from before the take-over");

        Optional<SegmentRecord> tombstone = a.cluster().directory().get(key("x"));
        assertTrue(tombstone.isPresent() && !tombstone.get().hasData(), "a tombstone right after the delete: " + tombstone);
        assertThrows(StaleWriterException.class, () -> a.service().write(NS, "x", bytes("stale")),
                "within the grace period the tombstone fences a, the writer before the take-over");

        await("x forgotten on both nodes").atMost(FORGOTTEN_WITHIN).until(() ->
                a.cluster().directory().get(key("x")).isEmpty() && b.cluster().directory().get(key("x")).isEmpty());
        assertTrue(tombstone.get().writtenAt().plus(GRACE).isBefore(Instant.now()),
                "not forgotten before its grace period");
        await("a's older copy dropped").atMost(FORGOTTEN_WITHIN)
                .until(() -> a.service().store().metadata(key("x")).isEmpty());
        assertEquals(Optional.empty(), a.service().load(NS, "x"), "absent on a: its old copy must not come back");
        assertEquals(Optional.empty(), b.service().load(NS, "x"), "absent on b");
    }

    @Test
    void aForgottenNameStartsAfreshAndAClaimOfAnAbsentSegmentIsForgottenToo() {
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        assertEquals(Optional.empty(), a.service().load(NS, "never"), "a load of a segment never written");
        assertTrue(a.cluster().directory().get(key("never")).isPresent(), "it leaves a claim");
        a.service().write(NS, "y", bytes("y1"));
        assertTrue(a.service().delete(NS, "y"));

        await("the claim and the tombstone forgotten").atMost(FORGOTTEN_WITHIN).until(() ->
                b.cluster().directory().get(key("never")).isEmpty() && b.cluster().directory().get(key("y")).isEmpty());
        // Each node drops what it held of a forgotten segment on one of its threads, after the removal.
        await("a forgets it owned them: its memory stays flat").atMost(FORGOTTEN_WITHIN).until(() -> a.service()
                .ownership().owned().noneMatch(k -> k.equals(key("y")) || k.equals(key("never"))));
        assertEquals(1, b.service().write(NS, "y", bytes("y again")), "the name starts afresh at version 1");
        assertArrayEquals(bytes("y again"), b.service().load(NS, "y").orElseThrow().state());
    }

    /**
     * b (disk mode) writes x, which reaches a; b stops; a takes x over and deletes it; the cluster
     * forgets the tombstone. b starts again from its disk, whose journal and store still hold x:
     * x must stay deleted.
     */
    @Test
    void aNodeAwayWhileTheClusterForgotADeleteDoesNotBringTheSegmentBack() {
        CheckpointNode a = nodes.start(0, "a", 1, disks.resolve("a"));
        CheckpointNode b = nodes.start(1, "b", 1, disks.resolve("b"));
        long v = b.service().write(NS, "x", bytes("deleted while b was away"));
        assertTrue(b.service().awaitReplicated(NS, "x", v, Duration.ofSeconds(10)));
        b.service().write(NS, "kept", bytes("b's other segment"));
        assertTrue(b.service().awaitReplicated(NS, "kept", 1, Duration.ofSeconds(10)));
        nodes.stop(b);

        assertTrue(a.service().load(NS, "x").isPresent());
        assertTrue(a.service().delete(NS, "x"));
        await("x forgotten on a").atMost(FORGOTTEN_WITHIN).until(() -> a.cluster().directory().get(key("x")).isEmpty());

        CheckpointNode b2 = nodes.start(2, "b", 1, disks.resolve("b"));
        assertEquals(Optional.empty(), b2.cluster().directory().get(key("x")), "b's journal did not bring x's record back");
        assertEquals(Optional.empty(), a.cluster().directory().get(key("x")), "nor on a");
        assertEquals(Optional.empty(), b2.service().load(NS, "x"), "x stays deleted on b");
        assertEquals(Optional.empty(), a.service().load(NS, "x"), "and on a");
        assertArrayEquals(bytes("b's other segment"), b2.service().load(NS, "kept").orElseThrow().state(),
                "a segment the cluster still has loads as before");
    }

    private static String key(String name) {
        return new SegmentKey(NS, name).key();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
