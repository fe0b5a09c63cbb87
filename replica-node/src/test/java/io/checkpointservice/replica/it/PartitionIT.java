package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network splits (docs/RELIABILITY.md, "Network partitions") with real processes and a real split
 * of the checkpoint cluster's views: every node drops the other side's messages with JGroups'
 * DISCARD ({@link ChannelSplitter}), so heartbeats stop and each side installs a view of its own,
 * then stops dropping them and MERGE3 merges the views.
 *
 * <p>R = 2: chunks have three owners, so with three nodes every node holds them, and with four each
 * side of two keeps at least one copy and can load. An application server would start the singleton on both sides; the tests do what
 * it would: load (take over) and write on each side.
 */
class PartitionIT extends ClusterTestBase {

    private static final String SEGMENT = "state";
    private static final Duration SPLIT_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The default sweep period (10 minutes), not the 1 s of other tests: this test counts exactly
     * the chunks the merge's sweep removes, which a routine sweep would share (and, racing a
     * replicator's own removal of a superseded version, could add to). So a routine sweep on both
     * sides of a split is not exercised here; docs/RELIABILITY.md gives the argument why it is safe.
     */
    private static final NodeOptions SPLIT_NODES = NodeOptions.memory(2).chunkSweepSeconds("600");
    private static final Pattern SWEPT = Pattern.compile("removed (\\d+) abandoned chunks");

    /**
     * Three nodes split into {A, C} and {B}: the old writer's side is the larger one, which
     * Infinispan prefers. A keeps writing on its side (and so holds a local copy with a higher
     * version number than anything of B's); B, alone, takes over and writes. After the merge every node's
     * record is B's lineage (the later take-over), A's next write is fenced, and a load on any
     * node, A included, returns B's newest bytes.
     */
    @Test
    @Timeout(420)
    void takeOverOnOneSideWinsOverTheOldWriterOnTheOther() {
        List<NodeProcess> nodes = cluster.startApps(SPLIT_NODES, "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(a, b, c);

        Payloads.Expected base = Payloads.Expected.of(300_000, 1);
        long v1 = a.write(SEGMENT, base);
        assertTrue(a.awaitReplicated(SEGMENT, v1, REPLICATION_TIMEOUT), "awaitReplicated(v1) on A: expected true");

        split(List.of(a, c), List.of(b));

        // Side {A, C}: the old writer goes on writing and publishing, unaware of the other side.
        long aLast = 0;
        for (int i = 0; i < 3; i++) {
            aLast = a.write(SEGMENT, Payloads.Expected.of(400_000 + i, 100 + i));
        }
        long aPublished = aLast;
        awaitRecord(c, "A's v" + aPublished + " published on its side",
                r -> r.version() == aPublished && "A".equals(r.get("writer")));

        // Side {B}: the singleton starts on B, which loads (takes over) and writes.
        assertLoadsEventually(b, v1, base, "A");
        Payloads.Expected bFirst = Payloads.Expected.of(500_000, 200);
        long bv1 = b.write(SEGMENT, bFirst);
        Payloads.Expected bNewest = Payloads.Expected.of(1_300_000, 201); // 2 chunks
        long bv2 = b.write(SEGMENT, bNewest);
        awaitRecord(b, "B's v" + bv2 + " published on its side",
                r -> r.version() == bv2 && "B".equals(r.get("writer")));
        long aFinal = a.write(SEGMENT, Payloads.Expected.of(600_000, 102)); // A still writes on its side
        assertTrue(aFinal > bv2, () -> "precondition: A's stale lineage should hold the higher version number,"
                + " A v" + aFinal + " vs B v" + bv2);
        awaitRecord(c, "A's v" + aFinal + " published on its side", r -> r.version() == aFinal);
        long bEpoch = Long.parseLong(b.record(SEGMENT).expectStatus(200, "B's record").get("epoch"));

        heal(a, b, c);

        for (NodeProcess node : nodes) {
            awaitRecord(node, "B's lineage after the merge", r -> r.version() == bv2
                    && "B".equals(r.get("writer")) && Long.parseLong(r.get("epoch")) == bEpoch);
        }
        assertFailure(a.tryWrite(SEGMENT, Payloads.Expected.of(100_000, 103)), 409, StaleWriterException.class,
                "write on A, the old writer, after the merge");
        assertLoadsEventually(c, bv2, bNewest, "B");
        assertLoadsEventually(a, bv2, bNewest, "B"); // never its own higher-numbered local copy
        assertLoadsEventually(b, bv2, bNewest, "B"); // and B takes it back: A's load changed nothing
        awaitSwept(1, nodes); // A's last version on its side: one chunk no record points at any more
        System.out.println("partition: A wrote up to v" + aFinal + " on its side, B took over (epoch " + bEpoch
                + ") and wrote v" + bv1 + ", v" + bv2 + "; after the merge every node loads B's v" + bv2);
    }

    /**
     * Both sides take the segment over from the same record, so both claim the same epoch, and
     * both write the same version number with different bytes. After the merge every node agrees
     * on one winner by the documented rule (same epoch, same version: the greater writer name, C),
     * the loser B is fenced, and a load anywhere, B included, returns C's bytes.
     */
    @Test
    @Timeout(420)
    void takeOversOnBothSidesAgreeOnOneWinner() {
        List<NodeProcess> nodes = cluster.startApps(SPLIT_NODES, "A", "B", "C", "D");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        NodeProcess d = nodes.get(3);
        cluster.awaitView(a, b, c, d);

        Payloads.Expected base = Payloads.Expected.of(300_000, 1);
        long v1 = a.write(SEGMENT, base);
        assertTrue(a.awaitReplicated(SEGMENT, v1, REPLICATION_TIMEOUT), "awaitReplicated(v1) on A: expected true");

        split(List.of(a, c), List.of(b, d));

        assertLoadsEventually(c, v1, base, "A");
        assertLoadsEventually(b, v1, base, "A");
        String cEpoch = c.record(SEGMENT).expectStatus(200, "C's record").get("epoch");
        String bEpoch = b.record(SEGMENT).expectStatus(200, "B's record").get("epoch");
        assertEquals(cEpoch, bEpoch, "precondition: both sides took over from the same record, so with the same epoch");

        Payloads.Expected cBytes = Payloads.Expected.of(1_100_000, 300); // 2 chunks
        Payloads.Expected bBytes = Payloads.Expected.of(1_200_000, 400); // 2 chunks, other bytes
        long cv = c.write(SEGMENT, cBytes);
        long bv = b.write(SEGMENT, bBytes);
        assertEquals(cv, bv, "precondition: both sides write the same version number");
        awaitRecord(a, "C's v" + cv + " published on its side", r -> r.version() == cv && "C".equals(r.get("writer")));
        awaitRecord(d, "B's v" + bv + " published on its side", r -> r.version() == bv && "B".equals(r.get("writer")));

        heal(a, b, c, d);

        for (NodeProcess node : nodes) {
            awaitRecord(node, "C's lineage (same epoch and version: the greater writer name wins)",
                    r -> r.version() == cv && "C".equals(r.get("writer")) && cEpoch.equals(r.get("epoch")));
        }
        assertFailure(b.tryWrite(SEGMENT, Payloads.Expected.of(100_000, 401)), 409, StaleWriterException.class,
                "write on B, the losing side's writer, after the merge");
        assertFailure(a.tryWrite(SEGMENT, Payloads.Expected.of(100_000, 2)), 409, StaleWriterException.class,
                "write on A, the writer before the split");
        assertLoadsEventually(d, cv, cBytes, "C");
        assertLoadsEventually(b, cv, cBytes, "C"); // its own copy has the same number but other bytes
        assertLoadsEventually(a, cv, cBytes, "C");
        awaitSwept(2, nodes); // B's version: two chunks no record points at any more
        Payloads.Expected after = Payloads.Expected.of(200_000, 500);
        long next = a.write(SEGMENT, after); // A now owns it, having loaded last
        assertTrue(next > cv, () -> "versions go on increasing after the merge: v" + cv + " then v" + next);
        // The write is local (G1); only once it is replicated may another node's load be held to it.
        assertTrue(a.awaitReplicated(SEGMENT, next, REPLICATION_TIMEOUT),
                () -> "awaitReplicated(v" + next + ") on A after the merge: expected true");
        assertLoads(c, SEGMENT, next, after, "A");
    }

    /** Cuts the cluster into the two sides and waits until each side sees only itself. */
    private void split(List<NodeProcess> left, List<NodeProcess> right) {
        String[] leftNames = left.stream().map(NodeProcess::name).toArray(String[]::new);
        String[] rightNames = right.stream().map(NodeProcess::name).toArray(String[]::new);
        left.forEach(node -> node.partitionFrom(rightNames));
        right.forEach(node -> node.partitionFrom(leftNames));
        awaitMembers(Set.of(leftNames), left);
        awaitMembers(Set.of(rightNames), right);
    }

    private void heal(NodeProcess... nodes) {
        for (NodeProcess node : nodes) {
            node.heal();
        }
        Set<String> all = new TreeSet<>();
        for (NodeProcess node : nodes) {
            all.add(node.name());
        }
        awaitMembers(all, List.of(nodes));
    }

    private static void awaitMembers(Set<String> expected, List<NodeProcess> observers) {
        long deadline = System.nanoTime() + SPLIT_TIMEOUT.toNanos();
        for (NodeProcess observer : observers) {
            while (!new TreeSet<>(observer.members()).equals(new TreeSet<>(expected))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("view of " + observer.name() + ": expected " + new TreeSet<>(expected)
                            + " within " + SPLIT_TIMEOUT + " but was " + observer.members());
                }
                ClusterProcess.sleep(200);
            }
        }
    }

    /**
     * Waits until the nodes together have logged removing exactly {@code expected} chunks of the
     * losing side (AbandonedChunkSweeper runs on every node, 15 s after a merge).
     */
    private static void awaitSwept(int expected, List<NodeProcess> nodes) {
        long deadline = System.nanoTime() + SPLIT_TIMEOUT.toNanos();
        int swept = 0;
        while (swept < expected && System.nanoTime() < deadline) {
            ClusterProcess.sleep(1_000);
            swept = 0;
            for (NodeProcess node : nodes) {
                try {
                    Matcher m = SWEPT.matcher(Files.readString(node.logFile(), StandardCharsets.UTF_8));
                    while (m.find()) {
                        swept += Integer.parseInt(m.group(1));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertEquals(expected, swept, "abandoned chunks of the losing side removed after the merge (node logs)");
    }

    /** Polls {@code node}'s copy of the record until it matches. */
    private static void awaitRecord(NodeProcess node, String what, Predicate<NodeProcess.Reply> matches) {
        long deadline = System.nanoTime() + SPLIT_TIMEOUT.toNanos();
        NodeProcess.Reply last = node.record(SEGMENT);
        while (last.status() != 200 || !matches.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("record on " + node.name() + ": expected " + what + " within "
                        + SPLIT_TIMEOUT + " but was " + last);
            }
            ClusterProcess.sleep(200);
            last = node.record(SEGMENT);
        }
    }

    /**
     * Loads until the topology has settled: right after a split or a merge a load may find chunk
     * owners still moving or conflict resolution still running (503, documented as retryable);
     * anything else must be exactly the expected version and bytes.
     */
    private static void assertLoadsEventually(NodeProcess node, long version, Payloads.Expected bytes, String origin) {
        long deadline = System.nanoTime() + SPLIT_TIMEOUT.toNanos();
        NodeProcess.Reply reply = node.load(SEGMENT);
        while (reply.status() == 503 && System.nanoTime() < deadline) {
            ClusterProcess.sleep(500);
            reply = node.load(SEGMENT);
        }
        if (reply.status() == 503) {
            throw new AssertionError("load on " + node.name() + " stayed unavailable for " + SPLIT_TIMEOUT + ": " + reply);
        }
        assertLoads(node, SEGMENT, version, bytes, origin);
    }
}
