package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** G2-G4 over real processes: replication reaches R other nodes, and the data survives SIGKILL. */
class ReplicationSurvivalIT extends ClusterTestBase {

    @Test
    @Timeout(240)
    void copiesReachReplicaCountNodesAndSurviveWriterAndRMinusOneKilled() {
        List<NodeProcess> nodes = cluster.startApps(NodeOptions.memory(2), "A", "B", "C", "D");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        NodeProcess d = nodes.get(3);
        cluster.awaitView(a, b, c, d);

        // Several segments, each with its own R + 1 = 3 owners out of the 4 nodes: the other node
        // killed below (B) owns each with probability 3/4, so it holds copies of most of them
        // (all but none with probability 1 - 4^-6); the guarantee must hold for every one.
        Map<String, Payloads.Expected> written = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            String segment = "survivor-" + i;
            Payloads.Expected payload = Payloads.Expected.of(1_500_000 + 1_000 * i, 100 + i); // 2 chunks each
            written.put(segment, payload);
            versions.put(segment, a.write(segment, payload));
        }
        for (String segment : written.keySet()) {
            long version = versions.get(segment);
            assertTrue(a.awaitReplicated(segment, version, REPLICATION_TIMEOUT), () -> "awaitReplicated('" + segment
                    + "', v" + version + ") on the writer with 4 nodes up and R = 2: expected true within "
                    + REPLICATION_TIMEOUT + " but was false");
        }

        cluster.killTogether(a, b); // the writer and R - 1 = 1 other node, at the same instant
        cluster.awaitView(Set.of("C", "D"), c, d);

        int i = 0;
        for (String segment : written.keySet()) {
            NodeProcess survivor = i++ % 2 == 0 ? c : d;
            assertLoads(survivor, segment, versions.get(segment), written.get(segment), "A");
        }
    }

    /**
     * G3 counts replicas that answer now, not the view's members. A replica frozen with SIGSTOP
     * after it acknowledged a version stays in the view until failure detection removes it
     * (FD_ALL3: 10 s), just like a SIGKILLed one until FD_SOCK2 and VERIFY_SUSPECT2 act. An
     * await of that version in the window must not say true on the strength of the view and of
     * the old acknowledgement; once the replica runs again it answers, and the await says true.
     */
    @Test
    @Timeout(240)
    void awaitReplicatedCountsOnlyReplicasThatAnswerNow() {
        List<NodeProcess> nodes = cluster.startApps(NodeOptions.memory(2), "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        // Three nodes and R + 1 = 3 owners: B and C hold every chunk A writes.
        long version = a.write("barrier", Payloads.Expected.of(200_000, 11));
        assertTrue(a.awaitReplicated("barrier", version, REPLICATION_TIMEOUT), "B and C hold v" + version);

        c.freeze();
        try {
            assertFalse(a.awaitReplicated("barrier", version, Duration.ofSeconds(2)), () -> "awaitReplicated('barrier', v"
                    + version + ") on A with C frozen: only B can answer, fewer than R = 2, expected false");
            assertTrue(a.members().contains("C"), () -> "precondition: the await ran while the view still listed C, "
                    + "members " + a.members());
        } finally {
            c.thaw();
        }
        assertTrue(a.awaitReplicated("barrier", version, REPLICATION_TIMEOUT), "C answers again after SIGCONT");
    }

    /**
     * A 64 MiB segment (64 chunks) travels to a replica and back. The restoring node B has
     * capacityFactor 0, so it holds no chunk of its own: every byte it returns was fetched over
     * the network from C, the only other chunk owner (R = 1).
     */
    @Test
    @Timeout(300)
    void sixtyFourMiBSegmentReplicatesAndRestores() {
        NodeOptions big = NodeOptions.memory(1).heap("1536m");
        NodeProcess a = cluster.launchApp("A", big);
        NodeProcess b = cluster.launchApp("B", big.capacityFactor("0"));
        NodeProcess c = cluster.launchApp("C", big);
        cluster.awaitReady(a, b, c);
        cluster.awaitView(a, b, c);

        Payloads.Expected payload = Payloads.Expected.of(64 * 1024 * 1024, 64);
        long version = a.write("big", payload);
        assertTrue(a.awaitReplicated("big", version, Duration.ofSeconds(180)), () -> "awaitReplicated('big', v"
                + version + ") of 64 MiB with R = 1: expected true within 180 s but was false");

        a.kill();
        cluster.awaitView(Set.of("B", "C"), b, c);
        assertLoads(b, "big", version, payload, "A");
    }

    /**
     * Storage-only replica nodes ({@code java -jar checkpoint-replica-node.jar}) are the only
     * nodes besides the writer, so they must be the R = 2 holders; after the writer dies, a fresh
     * app node restores from them.
     */
    @Test
    @Timeout(240)
    void storageOnlyReplicaNodesHoldCopies() {
        NodeOptions options = NodeOptions.memory(2);
        cluster.plan("A", "R1", "R2", "B");
        NodeProcess a = cluster.launchApp("A", options);
        ReplicaProcess r1 = cluster.launchReplica("R1", options);
        ReplicaProcess r2 = cluster.launchReplica("R2", options);
        cluster.awaitReady(a, r1, r2);
        cluster.awaitView(Set.of("A", "R1", "R2"), a);

        Payloads.Expected payload = Payloads.Expected.of(2_500_000, 7); // 3 chunks
        long version = a.write("on-replicas", payload);
        assertTrue(a.awaitReplicated("on-replicas", version, REPLICATION_TIMEOUT), () -> "awaitReplicated("
                + "'on-replicas', v" + version + ") with writer + 2 replica nodes and R = 2: expected true within "
                + REPLICATION_TIMEOUT + " but was false");

        a.kill();
        // A was the coordinator: B joins once the replica nodes have a view without it. (A node
        // that starts while the survivors are still detecting the dead coordinator may form a
        // cluster of its own and answer load with "empty"; see the report on ClusterNode start.)
        r1.awaitLoggedView(Set.of("R1", "R2"), TestCluster.VIEW_TIMEOUT);
        r2.awaitLoggedView(Set.of("R1", "R2"), TestCluster.VIEW_TIMEOUT);
        NodeProcess b = cluster.startApp("B", options);
        cluster.awaitView(Set.of("B", "R1", "R2"), b);
        assertLoads(b, "on-replicas", version, payload, "A");
    }
}
