package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.infinispan.remoting.transport.Address;
import org.infinispan.topology.CacheTopology.Phase;
import org.junit.jupiter.api.Test;

/**
 * When a sweep may judge chunks abandoned: only once the merge is resolved everywhere (a node still
 * holding the losing record would remove the winner's chunks).
 */
class AbandonedChunkSweeperTest {

    private static final Address A = Address.random("a");
    private static final Address B = Address.random("b");

    @Test
    void settledWhenEveryMemberIsInAStableTopology() {
        assertTrue(AbandonedChunkSweeper.isSettled(Phase.NO_REBALANCE, List.of(A, B), List.of(B, A)));
    }

    @Test
    void notSettledWhileConflictsAreResolvedOrOwnersMove() {
        for (Phase phase : List.of(Phase.CONFLICT_RESOLUTION, Phase.READ_OLD_WRITE_ALL, Phase.READ_ALL_WRITE_ALL,
                Phase.READ_NEW_WRITE_ALL)) {
            assertFalse(AbandonedChunkSweeper.isSettled(phase, List.of(A, B), List.of(A, B)), phase.name());
        }
    }

    @Test
    void notSettledBeforeTheMergedTopologyIsInstalled() {
        // Right after the merged view, each side still runs its own partition's topology.
        assertFalse(AbandonedChunkSweeper.isSettled(Phase.NO_REBALANCE, List.of(A), List.of(A, B)));
    }
}
