package io.checkpointservice.ra.service;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.DirectoryGlobalStore;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.testsupport.LoopbackNodes;
import io.checkpointservice.testsupport.Payloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retained versions on whole nodes (store, real cluster members, service): with
 * {@code retainVersions} 3, {@code versions} lists the newest 3 published versions on a node that
 * never wrote the segment, each {@code load(name, version)} returns exactly that version's bytes
 * (a damaged copy never), reading an old version takes nothing over (the writer goes on writing),
 * and a delete leaves nothing listed or loadable; with 1, only the newest.
 */
class RetainedVersionsOnMembersTest {

    private static final String NS = "app";
    private static final String NAME = "orders/position";
    private static final String KEY = NS + "/" + NAME;
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @TempDir
    Path global;

    private LoopbackNodes nodes;

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private void cluster(int retainVersions, boolean withGlobalStore) {
        Map<String, String> settings = new HashMap<>();
        settings.put("retainVersions", String.valueOf(retainVersions));
        if (withGlobalStore) {
            settings.put("globalStore", global.toUri().toString());
        }
        nodes = new LoopbackNodes("retained-versions-test", 6, settings);
    }

    private static byte[] state(long version) {
        return Payloads.generate(20_000 + (int) version * 1_000, version);
    }

    /** Writes 5 versions on {@code writer}, each awaited (and, with a global store, stored there). */
    private static void writeFiveVersions(CheckpointNode writer) {
        for (int i = 1; i <= 5; i++) {
            long v = writer.service().write(NS, NAME, state(i));
            assertEquals(i, v);
            assertTrue(writer.service().awaitReplicated(NS, NAME, v, AWAIT), "v" + v + " replicated");
            GlobalStore store = writer.cluster().globalStore();
            if (store.configured()) {
                SegmentRecord record = writer.cluster().directory().get(KEY).orElseThrow();
                await("v" + v + " in the global store").atMost(AWAIT).until(() -> store.holds(KEY, record));
            }
        }
    }

    @Test
    void withAGlobalStoreTheNewestThreeAreListedAndReadWithoutTakingOver() throws Exception {
        cluster(3, true);
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        nodes.start(2, "c", 1, null);
        writeFiveVersions(a);

        assertEquals(List.of(5L, 4L, 3L), b.service().versions(NS, NAME), "newest first, on a node that never wrote it");
        assertEquals(List.of(5L, 4L, 3L), a.service().versions(NS, NAME), "the same on the writer");
        for (long v = 3; v <= 5; v++) {
            Checkpoint old = b.service().load(NS, NAME, v).orElseThrow();
            assertEquals(v, old.version());
            assertEquals("a", old.originNode());
            assertArrayEquals(state(v), old.state(), "v" + v + ": exactly its bytes");
        }
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 2), "too old: not kept");
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 1), "too old: not kept");
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 6), "never published");

        // Read-only: b took nothing over and holds no copy; a's next write is accepted.
        assertEquals(Optional.empty(), b.service().store().metadata(KEY), "no local copy on b");
        assertEquals("a", b.cluster().directory().get(KEY).orElseThrow().writer(), "a is still the writer");
        assertEquals(6, a.service().write(NS, NAME, state(6)), "the writer is not fenced");
        assertTrue(a.service().awaitReplicated(NS, NAME, 6, AWAIT));
        SegmentRecord v6 = a.cluster().directory().get(KEY).orElseThrow();
        await("v6 in the global store").atMost(AWAIT).until(() -> a.cluster().globalStore().holds(KEY, v6));
        assertEquals(List.of(6L, 5L, 4L), b.service().versions(NS, NAME));
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 3), "v3 fell out of the newest three");

        // A kept copy is checked: a flipped bit is never returned, and a kept version is never "absent".
        SegmentRecord v4 = b.cluster().globalStore().versions(KEY).stream().filter(r -> r.version() == 4)
                .findFirst().orElseThrow();
        Path file = DirectoryGlobalStore.open(global).copyFile(KEY, v4);
        byte[] raw = Files.readAllBytes(file);
        raw[raw.length - 7] ^= 0x04;
        Files.write(file, raw);
        assertThrows(SegmentUnavailableException.class, () -> b.service().load(NS, NAME, 4));

        assertTrue(a.service().delete(NS, NAME));
        assertEquals(List.of(), b.service().versions(NS, NAME), "a delete leaves nothing listed");
        for (long v = 1; v <= 6; v++) {
            assertEquals(Optional.empty(), b.service().load(NS, NAME, v), "v" + v + " after the delete");
        }
        await("every kept copy removed from the global store").atMost(AWAIT)
                .until(() -> b.cluster().globalStore().versions(KEY).isEmpty());
    }

    @Test
    void keepingOneListsOnlyTheNewest() {
        cluster(1, true);
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        writeFiveVersions(a);

        assertEquals(List.of(5L), b.service().versions(NS, NAME));
        assertArrayEquals(state(5), b.service().load(NS, NAME, 5).orElseThrow().state());
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 4));
        assertEquals(1, b.cluster().globalStore().versions(KEY).size(), "the store keeps one copy");
        assertEquals(6, a.service().write(NS, NAME, state(6)), "the writer is not fenced");
    }

    @Test
    void badInputIsRefusedAndAnAbsentSegmentListsNothing() {
        cluster(3, true);
        CheckpointNode a = nodes.start(0, "a", 1, null);
        assertThrows(SegmentUnavailableException.class, () -> a.service().versions(NS, "never/written"),
                "alone, with peers configured, a node cannot tell absent from unknown (as for load)");
        nodes.start(1, "b", 1, null);
        assertEquals(List.of(), a.service().versions(NS, "never/written"));
        assertEquals(Optional.empty(), a.service().load(NS, "never/written", 1));
        assertThrows(IllegalArgumentException.class, () -> a.service().load(NS, NAME, 0));
        assertThrows(IllegalArgumentException.class, () -> a.service().load(NS, NAME, -3));
        assertThrows(InvalidSegmentNameException.class, () -> a.service().versions(NS, "../escape"));
        assertThrows(InvalidSegmentNameException.class, () -> a.service().versions(NS, null));
        assertThrows(InvalidSegmentNameException.class, () -> a.service().load(NS, "bad//name", 1));
        assertEquals(Optional.empty(), a.cluster().directory().get(NS + "/never/written"),
                "listing an absent segment claims nothing");
    }

    @Test
    void withoutAGlobalStoreTheReplicasKeepTheNewestThree() {
        cluster(3, false);
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        CheckpointNode c = nodes.start(2, "c", 1, null);
        writeFiveVersions(a);

        assertEquals(List.of(5L, 4L, 3L), b.service().versions(NS, NAME), "newest first, on a node that never wrote it");
        for (long v = 3; v <= 5; v++) {
            assertArrayEquals(state(v), b.service().load(NS, NAME, v).orElseThrow().state(), "v" + v + " from the replicas");
        }
        assertEquals(Optional.empty(), b.service().load(NS, NAME, 2), "too old: not kept");
        assertEquals(Optional.empty(), b.service().store().metadata(KEY), "no local copy on b");
        SegmentRecord beforeSix = a.cluster().directory().get(KEY).orElseThrow();
        SegmentRecord v3 = beforeSix.kept().get(1);
        assertEquals(3, v3.version());

        assertEquals(6, a.service().write(NS, NAME, state(6)), "the writer is not fenced by b's reads");
        assertTrue(a.service().awaitReplicated(NS, NAME, 6, AWAIT));
        assertEquals(List.of(6L, 5L, 4L), c.service().versions(NS, NAME));
        assertEquals(Optional.empty(), c.service().load(NS, NAME, 3), "v3 fell out of the newest three");
        await("v3's chunks removed from the replicas").atMost(AWAIT)
                .until(() -> a.cluster().replicas().getChunk(ChunkKey.of(KEY, v3, 0)) == null);

        // A node that never wrote takes the segment over; the versions kept go on with its writes.
        assertArrayEquals(state(6), c.service().load(NS, NAME).orElseThrow().state());
        assertEquals(7, c.service().write(NS, NAME, state(7)));
        assertTrue(c.service().awaitReplicated(NS, NAME, 7, AWAIT));
        assertEquals(List.of(7L, 6L, 5L), b.service().versions(NS, NAME));
        assertArrayEquals(state(5), b.service().load(NS, NAME, 5).orElseThrow().state(), "a's v5, kept after the take-over");

        SegmentRecord last = c.cluster().directory().get(KEY).orElseThrow();
        assertTrue(c.service().delete(NS, NAME));
        assertEquals(List.of(), b.service().versions(NS, NAME), "a delete leaves nothing listed");
        for (long v = 1; v <= 7; v++) {
            assertEquals(Optional.empty(), b.service().load(NS, NAME, v), "v" + v + " after the delete");
        }
        for (SegmentRecord version : last.publishedVersions()) {
            assertEquals(null, b.cluster().replicas().getChunk(ChunkKey.of(KEY, version, 0)),
                    "v" + version.version() + "'s chunks removed by the delete");
        }
    }

    /** Disk mode: the records (with the versions they keep) and the kept chunks outlive a restart of every node. */
    @Test
    void keptVersionsOnTheReplicasOutliveARestartOfTheWholeCluster(@TempDir Path disks) {
        cluster(3, false);
        CheckpointNode a = nodes.start(0, "a", 1, disks.resolve("a"));
        CheckpointNode b = nodes.start(1, "b", 1, disks.resolve("b"));
        CheckpointNode c = nodes.start(2, "c", 1, disks.resolve("c"));
        writeFiveVersions(a);
        nodes.stop(a);
        nodes.stop(b);
        nodes.stop(c);

        CheckpointNode c2 = nodes.start(5, "c", 1, disks.resolve("c")); // another order
        CheckpointNode b2 = nodes.start(4, "b", 1, disks.resolve("b"));
        nodes.start(3, "a", 1, disks.resolve("a"));
        await("the kept versions listed again").atMost(AWAIT)
                .until(() -> b2.service().versions(NS, NAME).equals(List.of(5L, 4L, 3L)));
        for (long v = 3; v <= 5; v++) {
            long version = v;
            await("v" + v + " readable on c").atMost(AWAIT).until(() -> {
                try {
                    return java.util.Arrays.equals(state(version), c2.service().load(NS, NAME, version).orElseThrow().state());
                } catch (SegmentUnavailableException e) {
                    return false; // its chunks are being put back from the nodes' disks
                }
            });
        }
    }
}
