package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.testsupport.LoopbackMembers;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * G1 on a node that joins a cluster holding many records: by the time {@link ClusterNode#start}
 * returns (and so before the node's service can take a write), the node holds every record in
 * its own memory, so the write path's record read never waits for another node. This holds
 * because Infinispan's {@code getCache} waits for the initial state transfer; a configuration
 * that turned that off would fail here.
 */
class JoinerHoldsEveryRecordOnMembersTest {

    private static final int RECORDS = 5_000;
    private final LoopbackMembers members = new LoopbackMembers("joiner-test", 2);

    @AfterEach
    void stop() {
        members.close();
    }

    @Test
    void aJoiningMemberHoldsEveryRecordWhenItsStartReturns() {
        ClusterNode a = members.start(0, "a", 1);
        Instant at = Instant.parse("2026-12-02T06:00:00Z");
        for (int i = 0; i < RECORDS; i++) {
            SegmentRecord record = SegmentRecord.builder().version(i + 1).dataEpoch(1).epoch(1).writer("a")
                    .size(100).checksum(i).writtenAt(at).origin("a").build();
            assertTrue(a.directory().compareAndSet("app/s" + i, Optional.empty(), record));
        }

        ClusterNode b = members.start(1, "b", 1);

        assertEquals(2, b.members().size(), "b joined a's cluster");
        int missing = 0;
        for (int i = 0; i < RECORDS; i++) {
            Optional<SegmentRecord> here = b.recordHeldHere("app/s" + i);
            if (here.isEmpty() || here.get().version() != i + 1) {
                missing++;
            }
        }
        assertEquals(0, missing, "records b did not hold in its own memory when its start returned");
    }
}
