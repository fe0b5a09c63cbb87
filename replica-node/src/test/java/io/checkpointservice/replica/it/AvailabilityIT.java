package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.testsupport.Payloads;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** G8 over real processes: "no such segment" is not "no copy reachable now". */
class AvailabilityIT extends ClusterTestBase {

    /**
     * A and B hold chunks (R = 1); Z has capacityFactor 0: it knows every record but holds no
     * chunk. With A and B SIGKILLed, Z's load of the written segment is unavailable, while a name
     * that was never written stays empty.
     */
    @Test
    @Timeout(240)
    void absentIsEmptyButUnreachableIsUnavailable() {
        NodeOptions options = NodeOptions.memory(1);
        NodeProcess a = cluster.launchApp("A", options);
        NodeProcess b = cluster.launchApp("B", options);
        NodeProcess z = cluster.launchApp("Z", options.capacityFactor("0"));
        cluster.awaitReady(a, b, z);
        cluster.awaitView(a, b, z);

        assertEmpty(z, "never-written", "a name nobody wrote");
        assertEmpty(a, "never-written", "a name nobody wrote, asked on another node");

        Payloads.Expected payload = Payloads.Expected.of(1_500_000, 5);
        long version = a.write("kept", payload);
        assertTrue(a.awaitReplicated("kept", version, REPLICATION_TIMEOUT), () -> "awaitReplicated('kept', v" + version
                + ") with B holding chunks and R = 1: expected true");

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("Z"), z);

        assertFailure(z.load("kept"), 503, SegmentUnavailableException.class,
                "load on Z of a segment whose every chunk owner was killed");
        assertEmpty(z, "never-written", "still absent after the chunk owners died");
        assertEmpty(z, "also-never-written", "a new name after the chunk owners died");
        // Still unavailable, not turned into "absent" by the failed attempt.
        assertFailure(z.load("kept"), 503, SegmentUnavailableException.class, "second load on Z of 'kept'");
    }

    /**
     * After every chunk owner was lost at once, new nodes with capacity join: the lost segment
     * stays unavailable (it exists, its bytes are gone; never "empty"), while new segments
     * replicate and restore again, without any node being restarted.
     */
    @Test
    @Timeout(240)
    void replicationResumesWhenChunkOwnersJoinAfterAllWereLost() {
        NodeOptions options = NodeOptions.memory(1);
        cluster.plan("A", "B", "Z", "E", "F");
        NodeProcess a = cluster.launchApp("A", options);
        NodeProcess b = cluster.launchApp("B", options);
        NodeProcess z = cluster.launchApp("Z", options.capacityFactor("0"));
        cluster.awaitReady(a, b, z);
        cluster.awaitView(a, b, z);

        long lost = a.write("lost", Payloads.Expected.of(500_000, 6));
        assertTrue(a.awaitReplicated("lost", lost, REPLICATION_TIMEOUT), "awaitReplicated('lost') on A: expected true");
        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("Z"), z);

        NodeProcess e = cluster.launchApp("E", options);
        NodeProcess f = cluster.launchApp("F", options);
        cluster.awaitReady(e, f);
        cluster.awaitView(Set.of("Z", "E", "F"), z, e, f);

        assertFailure(z.load("lost"), 503, SegmentUnavailableException.class,
                "load on Z of a segment whose every copy died, after new chunk owners joined");

        Payloads.Expected fresh = Payloads.Expected.of(1_500_000, 8);
        long version = e.write("fresh", fresh);
        assertTrue(e.awaitReplicated("fresh", version, REPLICATION_TIMEOUT), () -> "awaitReplicated('fresh', v"
                + version + ") on E with F up and R = 1, after the total loss: expected true within "
                + REPLICATION_TIMEOUT + " but was false");
        e.kill();
        cluster.awaitView(Set.of("Z", "F"), z, f);
        assertLoads(z, "fresh", version, fresh, "E");
    }
}
