package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The window between a healed split's merged view and the end of its merge, held open on purpose:
 * every node runs with the test-only record merge hold ({@code RecordMergeHold}), armed just
 * before the heal, so the conflict resolution of the records stops at its first record and stays
 * there until the test releases it. While it is held, the losing side's nodes must answer neither
 * a load, nor a write, nor an await from their own side's records (docs/RELIABILITY.md, "Network
 * partitions"); once it is released they answer from the merged lineage.
 *
 * <p>The split is {A, C} | {B}, made with JGroups' DISCARD ({@link ChannelSplitter}): the old
 * writer's side is the larger one, which Infinispan prefers, so during the conflict resolution A
 * and C still read their own records locally (the smaller side's nodes read the preferred side's).
 */
class MergeResolutionIT extends ClusterTestBase {

    private static final NodeOptions NODES = NodeOptions.memory(2);
    private static final List<String> SEGMENTS = List.of("s0", "s1", "s2", "s3");
    private static final Duration MERGE_TIMEOUT = Duration.ofSeconds(90);

    /**
     * A writes four segments; during the split B takes all four over and writes new versions of
     * s0 and s1, while A writes two new versions of all four (its lineage holds the higher
     * numbers). The merge keeps B's lineage for all four. While the record merge is held, loads on
     * A and C, A's write and A's await of its own split-time version must not succeed; after it,
     * A's write is fenced and A loads B's lineage.
     */
    @Test
    @Timeout(420)
    void theLosingSideAnswersNothingFromItsOwnRecordsUntilTheMergeIsResolved() throws Exception {
        cluster.setting("test.recordMergeHold", "true");
        List<NodeProcess> nodes = cluster.startApps(NODES, "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(a, b, c);

        List<Payloads.Expected> base = new ArrayList<>();
        for (int i = 0; i < SEGMENTS.size(); i++) {
            base.add(Payloads.Expected.of(50_000 + i, 10 + i));
            long v = a.write(SEGMENTS.get(i), base.get(i));
            assertTrue(a.awaitReplicated(SEGMENTS.get(i), v, REPLICATION_TIMEOUT), "awaitReplicated before the split");
        }

        a.partitionFrom("B");
        c.partitionFrom("B");
        b.partitionFrom("A", "C");
        cluster.awaitView(Set.of("A", "C"), a, c);
        cluster.awaitView(Set.of("B"), b);

        // Side {B}: the singleton starts there: B takes every segment over and rewrites two.
        List<Payloads.Expected> winners = new ArrayList<>(base);
        for (int i = 0; i < SEGMENTS.size(); i++) {
            loadEventually(b, SEGMENTS.get(i));
        }
        for (int i = 0; i < 2; i++) {
            winners.set(i, Payloads.Expected.of(60_000 + i, 20 + i));
            long v = b.write(SEGMENTS.get(i), winners.get(i));
            awaitRecord(b, SEGMENTS.get(i), "B", v);
        }
        // Side {A, C}: the old writer goes on, two versions of each, published on its side.
        List<Payloads.Expected> discarded = new ArrayList<>();
        long aNewest = 0;
        for (int i = 0; i < SEGMENTS.size(); i++) {
            a.write(SEGMENTS.get(i), Payloads.Expected.of(70_000 + i, 30 + i));
            discarded.add(Payloads.Expected.of(80_000 + i, 40 + i));
            aNewest = a.write(SEGMENTS.get(i), discarded.get(i));
            awaitRecord(c, SEGMENTS.get(i), "A", aNewest);
        }

        for (NodeProcess node : nodes) {
            node.recordMergeHold("arm");
        }
        for (NodeProcess node : nodes) {
            node.heal();
        }
        cluster.awaitView(Set.of("A", "B", "C"), a, b, c);
        long mergedViewAt = System.nanoTime();
        awaitHeld(nodes);

        // The merge is held: every answer from A's and C's own records would be A's lineage.
        long newest = aNewest;
        CompletableFuture<NodeProcess.Reply> aLoadsRewritten = async(() -> a.load("s0"));
        CompletableFuture<NodeProcess.Reply> aLoadsTakenOver = async(() -> a.load("s2"));
        CompletableFuture<NodeProcess.Reply> cLoadsRewritten = async(() -> c.load("s1"));
        CompletableFuture<NodeProcess.Reply> aWrites = async(() -> a.tryWrite("s1", Payloads.Expected.of(1_000, 99)));
        CompletableFuture<Boolean> aAwaits = async(() -> a.awaitReplicated("s3", newest, Duration.ofSeconds(3)));
        assertUnavailable(aLoadsRewritten.get(), "load of s0 (rewritten by B) on A while the merge is held");
        assertUnavailable(aLoadsTakenOver.get(), "load of s2 (taken over by B) on A while the merge is held");
        assertUnavailable(cLoadsRewritten.get(), "load of s1 (rewritten by B) on C while the merge is held");
        assertUnavailable(aWrites.get(), "write of s1 (rewritten by B) on A while the merge is held");
        assertFalse(aAwaits.get(), "awaitReplicated of A's own split-time v" + newest + " of s3 while the merge is held");
        assertTrue(nodes.stream().mapToInt(node -> node.recordMergeHold("status")).sum() > 0,
                "the record merge was held throughout");
        System.out.println("merge held for " + (System.nanoTime() - mergedViewAt) / 1_000_000
                + " ms after the merged view: loads, write and await on the losing side answered unavailable");

        for (NodeProcess node : nodes) {
            node.recordMergeHold("release");
        }
        NodeProcess.Reply write = a.tryWrite("s1", Payloads.Expected.of(1_000, 99));
        long deadline = System.nanoTime() + MERGE_TIMEOUT.toNanos();
        while (write.status() == 503 && System.nanoTime() < deadline) {
            ClusterProcess.sleep(200);
            write = a.tryWrite("s1", Payloads.Expected.of(1_000, 99));
        }
        assertFailure(write, 409, StaleWriterException.class, "write of s1 on A once the merge is resolved");
        for (int i = 0; i < SEGMENTS.size(); i++) {
            String origin = i < 2 ? "B" : "A";
            long version = i < 2 ? 2 : 1;
            NodeProcess.Reply loaded = loadEventually(a, SEGMENTS.get(i));
            assertEquals(winners.get(i).sha256(), loaded.get("sha256"), "A loads the merged lineage of "
                    + SEGMENTS.get(i) + " (never its discarded " + discarded.get(i) + "): " + loaded);
            assertEquals(origin, loaded.get("originNode"), () -> "origin of " + loaded);
            assertEquals(version, loaded.version(), () -> "version of " + loaded);
        }
    }

    private static void assertUnavailable(NodeProcess.Reply reply, String context) {
        assertFailure(reply, 503, SegmentUnavailableException.class, context);
    }

    /** Waits until some node's conflict resolution is stopped at the hold. */
    private static void awaitHeld(List<NodeProcess> nodes) {
        long deadline = System.nanoTime() + MERGE_TIMEOUT.toNanos();
        while (nodes.stream().mapToInt(node -> node.recordMergeHold("status")).sum() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no node's record merge reached the hold within " + MERGE_TIMEOUT);
            }
            ClusterProcess.sleep(50);
        }
    }

    private static <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call);
    }

    /** Loads, retrying while the answer is "unavailable" (right after a split or a merge); must then be 200. */
    private static NodeProcess.Reply loadEventually(NodeProcess node, String segment) {
        long deadline = System.nanoTime() + MERGE_TIMEOUT.toNanos();
        NodeProcess.Reply reply = node.load(segment);
        while (reply.status() == 503 && System.nanoTime() < deadline) {
            ClusterProcess.sleep(200);
            reply = node.load(segment);
        }
        return reply.expectStatus(200, "load of " + segment + " on " + node.name());
    }

    private static void awaitRecord(NodeProcess node, String segment, String writer, long version) {
        long deadline = System.nanoTime() + MERGE_TIMEOUT.toNanos();
        NodeProcess.Reply last = node.record(segment);
        while (last.status() != 200 || !writer.equals(last.get("writer")) || last.version() != version) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("record of " + segment + " on " + node.name() + ": expected " + writer
                        + "'s v" + version + " but was " + last);
            }
            ClusterProcess.sleep(100);
            last = node.record(segment);
        }
    }
}
