package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** G10 over real processes: copies move when members leave and join. */
class MembershipIT extends ClusterTestBase {

    /**
     * 3 nodes, R = 2: after a non-writer dies only one other node holds the segment, so the
     * barrier cannot hold; a newcomer joins and receives a copy without anyone writing again, so
     * the barrier holds again; then both original survivors die and the newcomer restores it.
     */
    @Test
    @Timeout(240)
    void membershipChangeRestoresReplicaCount() {
        NodeOptions options = NodeOptions.memory(2);
        cluster.plan("A", "B", "C", "D");
        List<NodeProcess> nodes = cluster.startApps(options, "A", "B", "C");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        cluster.awaitView(a, b, c);

        Payloads.Expected payload = Payloads.Expected.of(2_500_000, 9); // 3 chunks
        long version = a.write("moving", payload);
        assertTrue(a.awaitReplicated("moving", version, REPLICATION_TIMEOUT), () -> "awaitReplicated('moving', v"
                + version + ") with 3 nodes and R = 2: expected true");

        c.kill();
        cluster.awaitView(Set.of("A", "B"), a, b);
        // Once A's view no longer has C, C must not count as a holder any more: the chunk cache's
        // topology lags the view by some milliseconds, so copiesOutside counts only owners in the
        // current view.
        assertFalse(a.awaitReplicated("moving", version, Duration.ofSeconds(1)), "awaitReplicated with only one "
                + "node besides the writer and R = 2: expected false (at most 1 copy off the writer) but was true");

        NodeProcess d = cluster.startApp("D", options);
        cluster.awaitView(Set.of("A", "B", "D"), a, b, d);
        long started = System.nanoTime();
        assertTrue(a.awaitReplicated("moving", version, REPLICATION_TIMEOUT), () -> "awaitReplicated('moving', v"
                + version + ") after newcomer D joined: expected true within " + REPLICATION_TIMEOUT
                + " (copies moved by state transfer, no new write) but was false");
        System.out.println("replica count restored " + (System.nanoTime() - started) / 1_000_000
                + " ms after D was in every view");

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("D"), d);
        assertLoads(d, "moving", version, payload, "A");
    }
}
