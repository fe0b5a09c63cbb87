package io.checkpointservice.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failover scenario on two real WildFly nodes: write on A, SIGKILL A, load on B (G2, G3, G4,
 * G5, G6 across a crash). Besides the one segment awaited with {@code awaitReplicated}, three
 * are awaited together with {@code awaitAllReplicated}, and B must load each of them.
 *
 * <p>A is node-3, B is node-4 ({@link TwoNodeFailoverBase}). Both run the adapter in memory storage mode in a
 * checkpoint cluster of their own ({@code checkpoint-failover-it}, static initial hosts listing both,
 * R = 1; see {@code failover.cluster.args} in pom.xml), so once A's JVM is killed, B's replica copy
 * is the only copy left anywhere. The client drives {@link SegmentServlet} on each node over
 * HTTP and kills A's server JVM by its pid (SIGKILL: no shutdown hook, no graceful leave, no last
 * replication).
 *
 * <p>The cluster runs with a cluster secret ({@code clusterSecretFile}, written by the build): the
 * test checks that both nodes say their traffic is encrypted and authenticated, so the whole
 * scenario is also the end-to-end test of a secured cluster on WildFly. At the end a third node,
 * C (node-2), starts with the same cluster name and hosts but without the secret, and must stay
 * out: neither C nor B finds a replica for a probe.
 *
 * <p>Not asserted: that B held no copy in its local store before the kill. The API has no way to
 * look into a node's local store without {@code load}, and a {@code load} on B would take the
 * segment over, which is not the scenario. It holds by construction: B is in memory mode and its
 * application never wrote or loaded the segment, so the only copy B can have is the replica
 * copy the cluster put there (which {@code awaitReplicated} on A reported).
 */
class WriterKilledIT extends TwoNodeFailoverBase {

    /** A peer without the cluster secret, started at the end: it must not get into A and B's cluster. */
    private static final Nodes C = Nodes.NODE_2;
    private static final String C_ADAPTER = "node-2-checkpoint-ra";
    private static final String C_APP = "node-2-segment-app";
    /** How long C's and B's probes may wait for a replica that must never come. */
    private static final Duration OUTSIDER_PROBE_TIMEOUT = Duration.ofSeconds(8);

    /** How long the two adapters may take to see each other after both are deployed. */
    private static final Duration CLUSTER_FORMATION_DEADLINE = Duration.ofSeconds(60);
    /** The barrier for the real segment, once the cluster is known to have two members. */
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(15);
    /** How long B's load may answer "unavailable, retry" (G8) while the cluster notices A's death. */
    private static final Duration LOAD_AFTER_KILL_DEADLINE = Duration.ofSeconds(30);
    private static final int SEGMENT_BYTES = 384 * 1024;

    @Deployment(name = C_ADAPTER, order = 5, managed = false, testable = false)
    @TargetsContainer("node-2")
    static ResourceAdapterArchive adapterOnC() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = C_APP, order = 6, managed = false, testable = false)
    @TargetsContainer("node-2")
    static WebArchive applicationOnC() {
        return application();
    }

    /** Phase name to milliseconds, printed at the end (target/failsafe-reports/*-output.txt). */
    private final Map<String, Long> timings = new LinkedHashMap<>();

    @BeforeEach
    void startBothNodesAndDeploy() {
        for (Nodes node : List.of(A, B, C)) {
            assertEquals(List.of(), node.serverProcesses().stream().map(ProcessHandle::pid).toList(),
                    "expected no " + node.qualifier() + " server process before the test (pids)");
            node.resetConfiguration(); // no deployments left by a test that killed this node before
        }
        timed("start+deploy " + A.qualifier(), () -> startAndDeploy(A, A.startConfig(), A_ADAPTER, A_APP));
        timed("start+deploy " + B.qualifier(), () -> startAndDeploy(B, B.startConfig(), B_ADAPTER, B_APP));
    }

    @Override
    List<Nodes> nodes() {
        return List.of(C, B, A);
    }

    @Override
    void afterNodesStopped() {
        System.out.println("WriterKilledIT timings (ms): " + timings);
    }

    @AfterAll
    static void noPeerProcessLeftBehind() {
        C.killServerProcesses(KILL_TIMEOUT);
    }

    @Test
    void segmentWrittenOnAIsLoadedOnBFromItsReplicaAfterSigkillOfA() throws Exception {
        timed("cluster of 2 formed", this::awaitTwoMemberCluster);
        for (Nodes node : List.of(A, B)) {
            assertClusterTrafficSealed(node);
        }

        String name = "failover-it/writer-killed/" + UUID.randomUUID();
        byte[] state = randomBytes(SEGMENT_BYTES, 42L);
        String expectedSha256 = SegmentServlet.sha256(state);

        long version = client.put(A, name, state);
        assertTrue(version > 0, "expected a positive version from write on " + A.qualifier() + ", got " + version);
        long barrierStart = System.nanoTime();
        boolean replicated = client.awaitReplicated(A, name, version, REPLICATION_TIMEOUT);
        timings.put("awaitReplicated", millisSince(barrierStart));
        assertTrue(replicated, "expected awaitReplicated(" + name + ", v" + version + ", " + REPLICATION_TIMEOUT
                + ") on " + A.qualifier() + " to return true with R = 1 and " + B.qualifier() + " in the cluster"
                + logs());

        // Three more segments, awaited together: each must be on B as well when A dies.
        Map<String, byte[]> parts = new LinkedHashMap<>();
        Map<String, Long> partVersions = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String part = name + "-part-" + i;
            parts.put(part, randomBytes(SEGMENT_BYTES / 4, 100L + i));
            partVersions.put(part, client.put(A, part, parts.get(part)));
        }
        long allStart = System.nanoTime();
        boolean allReplicated = client.awaitAllReplicated(A, partVersions, REPLICATION_TIMEOUT);
        timings.put("awaitAllReplicated of 3", millisSince(allStart));
        assertTrue(allReplicated, "expected awaitAllReplicated(" + partVersions + ", " + REPLICATION_TIMEOUT + ") on "
                + A.qualifier() + " to return true with R = 1 and " + B.qualifier() + " in the cluster" + logs());

        // SIGKILL of A's server JVM right after the barrier: A's memory store dies with it.
        ProcessHandle serverA = A.serverProcess();
        long pid = serverA.pid();
        long killStart = System.nanoTime();
        assertTrue(serverA.destroyForcibly(), "expected SIGKILL to be sent to " + A.qualifier() + " pid " + pid);
        serverA.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(serverA.isAlive(), "expected pid " + pid + " of " + A.qualifier() + " to be dead after SIGKILL");
        timings.put("SIGKILL " + A.qualifier(), millisSince(killStart));
        markStoppedForArquillian(A);

        long loadStart = System.nanoTime();
        SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(B, name, LOAD_AFTER_KILL_DEADLINE,
                "after SIGKILL of " + A.qualifier());
        timings.put("load on " + B.qualifier() + " after kill", millisSince(loadStart));
        System.out.println("WriterKilledIT: load on " + B.qualifier() + " answered after " + loaded.attempts()
                + " attempt(s); earlier answers: " + loaded.earlierAnswers());

        assertEquals(version, loaded.version(), "expected " + B.qualifier() + " to load the version written on "
                + A.qualifier() + " before the kill");
        assertEquals(A.qualifier(), loaded.originNode(), "expected the origin node of the loaded segment to be the "
                + "killed writer");
        assertEquals(expectedSha256, loaded.sha256Header(), "expected the SHA-256 that " + B.qualifier()
                + " computed of what load returned to be that of the bytes written on " + A.qualifier());
        assertEquals(expectedSha256, SegmentServlet.sha256(loaded.state()),
                "expected the SHA-256 of the bytes received from " + B.qualifier() + " to be that of the bytes written");
        if (!Arrays.equals(state, loaded.state())) {
            fail("expected the " + state.length + " bytes written on " + A.qualifier() + ", got " + loaded.state().length
                    + " bytes differing first at index " + Arrays.mismatch(state, loaded.state()));
        }

        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            SegmentClient.Loaded loadedPart = client.loadRetryingWhileUnavailable(B, part.getKey(), LOAD_AFTER_KILL_DEADLINE,
                    "after SIGKILL of " + A.qualifier());
            assertEquals(partVersions.get(part.getKey()), loadedPart.version(), "expected " + B.qualifier()
                    + " to load the version of " + part.getKey() + " that awaitAllReplicated confirmed on " + A.qualifier());
            assertEquals(SegmentServlet.sha256(part.getValue()), SegmentServlet.sha256(loadedPart.state()),
                    "expected the bytes of " + part.getKey() + " written on " + A.qualifier());
        }

        // B took the segment over: its next write continues the version sequence (G6, versions across failovers).
        long next = client.put(B, name, new byte[] {7});
        assertTrue(next > version, "expected the first write on " + B.qualifier() + " after the failover to return a "
                + "version greater than " + version + ", got " + next);

        timed("peer without the secret kept out", this::peerWithoutTheSecretStaysOut);
    }

    /**
     * C (node-2) runs the adapter with the failover cluster's name and hosts but without the
     * secret ({@code failover.unsecured.peer.args} in pom.xml). Its clear-text discovery reaches B,
     * which only accepts sealed messages: neither side may count the other as a member. With R = 1,
     * a probe written on either then never reaches R replicas.
     */
    private void peerWithoutTheSecretStaysOut() {
        String args = System.getProperty("failover.unsecured.peer.args");
        assertTrue(args != null && !args.isBlank(), "expected system property failover.unsecured.peer.args (pom.xml)");
        startAndDeploy(C, C.startConfig(args), C_ADAPTER, C_APP);
        try {
            String probe = "failover-it/outsider-probe/" + UUID.randomUUID();
            long onC = client.put(C, probe, new byte[] {1});
            assertFalse(client.awaitReplicated(C, probe, onC, OUTSIDER_PROBE_TIMEOUT), "expected " + C.qualifier()
                    + " (no cluster secret) to find no replica for its probe: it must not have joined " + B.qualifier()
                    + "'s secured cluster" + logs());
            long onB = client.put(B, probe, new byte[] {2});
            assertFalse(client.awaitReplicated(B, probe, onB, OUTSIDER_PROBE_TIMEOUT), "expected " + B.qualifier()
                    + " (the only secured node left) to find no replica for its probe: it must not have admitted "
                    + C.qualifier() + ", which has no cluster secret" + logs());
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP to " + C.qualifier() + " or " + B.qualifier() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String joined = "joined checkpoint cluster 'checkpoint-failover-it'";
        List<String> lines = C.serverLogTail(5000).lines().filter(line -> line.contains(joined)).toList();
        assertTrue(lines.size() == 1 && lines.get(0).contains("traffic in clear") && lines.get(0).contains("members [node-2]"),
                "expected " + C.qualifier() + "'s server.log to say once that it " + joined + " in clear and alone, got "
                        + lines + logs());
    }

    // ----------------------------------------------------------------------------------------

    /**
     * Writes a probe segment on A and polls {@code awaitReplicated} until it is true: with R = 1 it
     * can only be once B is a member and holds the probe's copy.
     */
    private void awaitTwoMemberCluster() {
        String probe = "failover-it/probe/" + UUID.randomUUID();
        try {
            long version = client.put(A, probe, "probe".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + CLUSTER_FORMATION_DEADLINE.toNanos();
            int polls = 0;
            while (System.nanoTime() < deadline) {
                polls++;
                if (client.awaitReplicated(A, probe, version, Duration.ofSeconds(2))) {
                    return;
                }
            }
            fail("expected " + A.qualifier() + " and " + B.qualifier() + " to form a 2-member checkpoint cluster "
                    + "within " + CLUSTER_FORMATION_DEADLINE + ": awaitReplicated of probe " + probe + " v" + version
                    + " stayed false over " + polls + " polls" + logs());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP to " + A.qualifier() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Both nodes run with the build's clusterSecretFile ({@code failover.cluster.args} in pom.xml),
     * so this whole scenario runs over an encrypted, authenticated checkpoint cluster. The adapter
     * says so when it joins; without that line the test would prove nothing about the secret.
     */
    private void assertClusterTrafficSealed(Nodes node) {
        String joined = "joined checkpoint cluster 'checkpoint-failover-it'";
        String sealed = "traffic encrypted and authenticated";
        try {
            List<String> lines = Files.readAllLines(node.serverLog()).stream()
                    .filter(line -> line.contains(joined)).toList();
            assertTrue(!lines.isEmpty() && lines.stream().allMatch(line -> line.contains(sealed)),
                    "expected " + node.qualifier() + "'s server.log to say it " + joined + " with '" + sealed
                            + "' (clusterSecretFile set), got " + lines + logs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + node.serverLog(), e);
        }
    }

    /**
     * Tells Arquillian that A is no longer running, so that nothing later tries to talk to it. The
     * process is already dead; a failure here only means Arquillian's bookkeeping disagrees.
     */
    private void markStoppedForArquillian(Nodes node) {
        try {
            controller.kill(node.qualifier());
        } catch (RuntimeException e) {
            System.out.println("WriterKilledIT: controller.kill(" + node.qualifier() + ") after SIGKILL: " + e);
        }
        if (controller.isStarted(node.qualifier())) {
            try {
                controller.stop(node.qualifier());
            } catch (RuntimeException e) {
                System.out.println("WriterKilledIT: controller.stop(" + node.qualifier() + ") after SIGKILL: " + e);
            }
        }
    }

    private void timed(String phase, Runnable action) {
        long start = System.nanoTime();
        action.run();
        timings.put(phase, millisSince(start));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

}
