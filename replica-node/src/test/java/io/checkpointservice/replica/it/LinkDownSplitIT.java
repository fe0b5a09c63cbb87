package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real network split, repeated: three nodes, each in a network namespace of its own
 * ({@link NetworkNamespaces}), in a cluster secured by a cluster secret file, R = 1, memory
 * storage, failure detection after 5 s + 1 s; two such clusters side by side, each taking half the splits. Each split: A writes 10 segments and awaits them; A's link is taken down; B takes all
 * 10 over and writes new versions of 5 (and awaits them) while the isolated A writes new versions
 * of all 10; the link comes back. From then on A loads every segment over and over until each
 * has answered its merged lineage once, and once A has installed the merged view it tries one
 * write of a segment B rewrote: no load that began after A's merged view may return A's
 * discarded bytes (or anything but the merged lineage), and the write must never succeed. docs/RELIABILITY.md, "Network partitions", has the
 * figures this prints: the time from the merged view to the first correct load.
 *
 * <p>Needs root to make the namespaces; where {@code ip netns add} is not allowed the test says
 * so and is skipped. {@code -Dit.linkDownSplits=N} sets the number of splits: 6 by default, which keeps
 * {@code mvn verify} short; {@code -Dit.linkDownSplits=20} is the longer run docs/RELIABILITY.md reports.
 */
class LinkDownSplitIT extends ClusterTestBase {

    private static final int SPLITS = Integer.getInteger("it.linkDownSplits", 6);
    private static final int SEGMENTS = 10;
    private static final int REWRITTEN = 5;
    private static final NodeOptions NODES = NodeOptions.memory(1);
    private static final long LOAD_PAUSE_MILLIS = 200;

    @Test
    @Timeout(1_200)
    void theIsolatedWriterNeverAnswersFromItsDiscardedLineageAfterTheLinkComesBack() throws Exception {
        // Two clusters of three side by side, each its own cluster name and secret, half the splits
        // each: a split waits mostly for failure detection, so this halves the run. Failure
        // detection is shortened too (5 s + 1 s instead of 10 s + 1 s): what is checked starts at
        // the merged view, which failure detection does not change.
        List<List<String>> names = List.of(List.of("A", "B", "C"), List.of("A2", "B2", "C2"));
        NetworkNamespaces net;
        try {
            net = NetworkNamespaces.create(names.stream().flatMap(List::stream).toArray(String[]::new));
        } catch (IllegalStateException e) {
            Assumptions.abort("network namespaces cannot be created on this machine (needs root and iproute2): "
                    + e.getMessage());
            return;
        }
        TestCluster second = new TestCluster(getClass().getSimpleName(), "secondCluster");
        List<TestCluster> clusters = List.of(cluster, second);
        List<Round> rounds = new ArrayList<>();
        ExecutorService sides = Executors.newFixedThreadPool(clusters.size());
        try {
            List<List<NodeProcess>> nodes = new ArrayList<>();
            for (int c = 0; c < clusters.size(); c++) {
                clusters.get(c).runIn(net);
                clusters.get(c).setting("clusterSecretFile", secretFile(clusters.get(c)).toString());
                clusters.get(c).setting("heartbeatIntervalMillis", "1000");
                clusters.get(c).setting("failureDetectionTimeoutMillis", "5000");
                nodes.add(clusters.get(c).startApps(NODES, names.get(c).toArray(String[]::new)));
            }
            List<Future<List<Round>>> runs = new ArrayList<>();
            for (int c = 0; c < clusters.size(); c++) {
                TestCluster testCluster = clusters.get(c);
                List<NodeProcess> three = nodes.get(c);
                int splits = SPLITS / clusters.size() + (c < SPLITS % clusters.size() ? 1 : 0);
                runs.add(sides.submit(() -> splits(testCluster, net, three, splits)));
            }
            for (Future<List<Round>> run : runs) {
                rounds.addAll(run.get());
            }
        } finally {
            sides.shutdownNow();
            for (TestCluster testCluster : clusters) {
                testCluster.close(); // the nodes first: their namespaces go next
            }
            net.close();
        }
        long stale = rounds.stream().mapToLong(r -> r.stale).sum();
        assertEquals(0, stale, "loads on the isolated writer that returned anything but the merged lineage, over "
                + rounds.size() + " splits");
        System.out.println("link-down splits: " + rounds.size() + ", stale answers 0; merged view to first correct load (ms): "
                + summary(rounds.stream().mapToLong(r -> r.firstCorrectMillis).sorted().toArray())
                + "; to every segment correct (ms): "
                + summary(rounds.stream().mapToLong(r -> r.allCorrectMillis).sorted().toArray())
                + "; loads answered unavailable meanwhile: " + rounds.stream().mapToLong(r -> r.unavailable).sum());
    }

    /** {@code splits} splits of one cluster, one after the other; its first node is the writer A. */
    private static List<Round> splits(TestCluster cluster, NetworkNamespaces net, List<NodeProcess> nodes, int splits)
            throws Exception {
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        List<Round> rounds = new ArrayList<>();
        for (int split = 1; split <= splits; split++) {
            Round round = split(split, cluster, net, nodes);
            rounds.add(round);
            System.out.println("link-down split " + split + " of " + nodes + ": " + round);
        }
        return rounds;
    }

    private static Round split(int split, TestCluster cluster, NetworkNamespaces net, List<NodeProcess> nodes)
            throws Exception {
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        List<Payloads.Expected> merged = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            merged.add(Payloads.Expected.of(20_000 + i, split * 1_000L + i));
            long v = a.write(segment(i), merged.get(i));
            assertTrue(a.awaitReplicated(segment(i), v, REPLICATION_TIMEOUT),
                    "split " + split + ": awaitReplicated of " + segment(i) + " v" + v + " before the split");
        }

        net.linkDown(a.name());
        cluster.awaitView(Set.of(a.name()), a);
        cluster.awaitView(Set.of(b.name(), c.name()), b, c);

        for (int i = 0; i < SEGMENTS; i++) {
            loadEventually(b, segment(i));
        }
        for (int i = 0; i < REWRITTEN; i++) {
            merged.set(i, Payloads.Expected.of(30_000 + i, split * 1_000L + 100 + i));
            long v = b.write(segment(i), merged.get(i));
            assertTrue(b.awaitReplicated(segment(i), v, REPLICATION_TIMEOUT),
                    "split " + split + ": awaitReplicated of B's " + segment(i) + " v" + v + " on its side");
        }
        List<String> discarded = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            Payloads.Expected lost = Payloads.Expected.of(40_000 + i, split * 1_000L + 200 + i);
            a.write(segment(i), lost);
            discarded.add(lost.sha256());
        }

        net.linkUp(a.name());
        // A loads from the moment the link is back; a load that began once A's view held every
        // member must answer the merged lineage (or unavailable), never A's own.
        CompletableFuture<Long> mergedView = CompletableFuture.supplyAsync(() -> {
            while (a.members().size() < 3) {
                ClusterProcess.sleep(20);
            }
            return System.nanoTime();
        });
        // Before any load of s0 takes it back: A is fenced from it by B's rewrite.
        CompletableFuture<NodeProcess.Reply> fencedWrite = mergedView.thenApplyAsync(at -> fencedWrite(a, split));
        Round round = new Round();
        boolean[] correct = new boolean[SEGMENTS];
        int done = 0;
        while (done < SEGMENTS) {
            for (int i = 0; i < SEGMENTS; i++) {
                if (correct[i] || (i == 0 && !fencedWrite.isDone())) {
                    continue;
                }
                NodeProcess.Reply reply = a.load(segment(i));
                if (reply.status() == 503) {
                    round.unavailable++;
                    continue;
                }
                reply.expectStatus(200, "split " + split + ": load of " + segment(i) + " on A");
                if (Integer.parseInt(reply.get("membersBefore")) < 3) {
                    round.beforeMergedView++; // A's own side still: answered as during the split
                    continue;
                }
                long millis = (System.nanoTime() - mergedView.getNow(System.nanoTime())) / 1_000_000;
                if (merged.get(i).sha256().equals(reply.get("sha256"))) {
                    correct[i] = true;
                    done++;
                    round.firstCorrectMillis = Math.min(round.firstCorrectMillis, millis);
                    round.allCorrectMillis = millis;
                } else {
                    round.stale++;
                    System.out.println("split " + split + ": STALE load of " + segment(i) + " on A " + millis
                            + " ms after the merged view" + (discarded.get(i).equals(reply.get("sha256"))
                            ? " (A's discarded split-time bytes)" : "") + ": " + reply);
                }
            }
            if (done < SEGMENTS) {
                ClusterProcess.sleep(LOAD_PAUSE_MILLIS);
            }
        }
        NodeProcess.Reply write = fencedWrite.get();
        assertFailure(write, 409, io.checkpointservice.api.StaleWriterException.class,
                "split " + split + ": A's write of " + segment(0) + " (rewritten by B) after the merged view");
        return round;
    }

    /** A's write of s0, retried while unavailable; anything but "fenced" is answered at once. */
    private static NodeProcess.Reply fencedWrite(NodeProcess a, int split) {
        NodeProcess.Reply reply = a.tryWrite(segment(0), Payloads.Expected.of(1_000, split));
        while (reply.status() == 503) {
            ClusterProcess.sleep(LOAD_PAUSE_MILLIS);
            reply = a.tryWrite(segment(0), Payloads.Expected.of(1_000, split));
        }
        return reply;
    }

    private static void loadEventually(NodeProcess node, String segment) {
        NodeProcess.Reply reply = node.load(segment);
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        while (reply.status() == 503 && System.nanoTime() < deadline) {
            ClusterProcess.sleep(LOAD_PAUSE_MILLIS);
            reply = node.load(segment);
        }
        reply.expectStatus(200, "load of " + segment + " on " + node.name());
    }

    private static String segment(int i) {
        return "s" + i;
    }

    private static Path secretFile(TestCluster cluster) throws IOException {
        Path file = cluster.dataDirectory("secret").resolveSibling("cluster-secret");
        Files.createDirectories(file.getParent());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
        return file;
    }

    private static String summary(long[] sorted) {
        return "min " + sorted[0] + ", median " + sorted[sorted.length / 2] + ", max " + sorted[sorted.length - 1];
    }

    /** What one split's heal looked like from A. */
    private static final class Round {
        long firstCorrectMillis = Long.MAX_VALUE;
        long allCorrectMillis;
        long unavailable;
        long beforeMergedView;
        long stale;

        @Override
        public String toString() {
            return "first correct load " + firstCorrectMillis + " ms after the merged view, every segment correct after "
                    + allCorrectMillis + " ms, " + unavailable + " loads unavailable, " + stale + " stale ("
                    + beforeMergedView + " loads began before it)";
        }
    }
}
