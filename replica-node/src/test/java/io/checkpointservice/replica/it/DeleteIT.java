package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delete over real processes: gone on every node, stale copies included, and versions never restart. */
class DeleteIT extends ClusterTestBase {

    /**
     * A writes v1; B takes over and writes v2 (A keeps its stale v1 locally); B, the writer,
     * deletes. Loads on both nodes are then empty (A's stale v1 does not come back), and a
     * re-created segment continues above v2.
     */
    @Test
    @Timeout(240)
    void deleteRemovesEverywhere() {
        List<NodeProcess> nodes = cluster.startApps(NodeOptions.memory(1), "A", "B");
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        cluster.awaitView(a, b);

        Payloads.Expected first = Payloads.Expected.of(100_000, 30);
        long v1 = a.write("doomed", first);
        assertTrue(a.awaitReplicated("doomed", v1, REPLICATION_TIMEOUT), "awaitReplicated('doomed', v1) on A: expected true");
        assertLoads(b, "doomed", v1, first, "A"); // B takes over; A keeps v1 in its local store
        Payloads.Expected second = Payloads.Expected.of(1_100_000, 31); // 2 chunks
        long v2 = b.write("doomed", second);
        assertTrue(b.awaitReplicated("doomed", v2, REPLICATION_TIMEOUT), () -> "awaitReplicated('doomed', v" + v2
                + ") on B: expected true");

        NodeProcess.Reply deleted = b.delete("doomed").expectStatus(200, "delete on the writer B");
        assertEquals("true", deleted.get("deleted"), () -> "delete of an existing segment: " + deleted);

        assertEmpty(a, "doomed", "deleted on B, loaded on A, which still held v1 locally");
        assertEmpty(b, "doomed", "deleted on B, loaded on B"); // B loads last: it owns the segment again

        Payloads.Expected again = Payloads.Expected.of(150_000, 32);
        long v3 = b.write("doomed", again);
        assertTrue(v3 > v2, () -> "re-created segment must continue above the deleted v" + v2 + " but got v" + v3);
        assertTrue(b.awaitReplicated("doomed", v3, REPLICATION_TIMEOUT), () -> "awaitReplicated('doomed', v" + v3
                + ") of the re-created segment: expected true");
        assertLoads(a, "doomed", v3, again, "B");
    }
}
