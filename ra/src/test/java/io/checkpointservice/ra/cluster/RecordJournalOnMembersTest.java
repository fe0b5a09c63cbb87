package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.testsupport.LoopbackMembers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.infinispan.commands.write.PutKeyValueCommand;
import org.infinispan.commands.write.ReplaceCommand;
import org.infinispan.context.InvocationContext;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.interceptors.AsyncInterceptorChain;
import org.infinispan.interceptors.DDAsyncInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records a cluster had come back when all its members stop and start again, each from its
 * own {@link RecordJournal}, on real members: whichever member starts first, the newest record
 * of each segment wins, and a journal older than the cluster never takes a record back.
 */
class RecordJournalOnMembersTest {

    private static final Instant AT = Instant.parse("2026-12-07T01:00:00Z");
    /** Four ports: each member starts twice, never on a port it just left. */
    private final LoopbackMembers members = new LoopbackMembers("journal-test", 4);

    @TempDir
    Path disks;

    @AfterEach
    void stop() {
        members.close();
    }

    @Test
    void theMemberThatStoppedLastBringsItsNewerRecordsBackWhenItStartsSecond() {
        ClusterNode a = members.start(0, "a", 1, disks.resolve("a"));
        ClusterNode b = members.start(1, "b", 1, disks.resolve("b"));
        assertTrue(a.directory().compareAndSet("app/x", Optional.empty(), data(1, 1, "a")));
        b.close(); // b's journal: x at v1 only

        assertTrue(a.directory().compareAndSet("app/x", Optional.of(data(1, 1, "a")), data(2, 1, "a")));
        assertTrue(a.directory().compareAndSet("app/y", Optional.empty(), data(1, 1, "a")));
        a.close(); // a's journal: x at v2, and y

        ClusterNode b2 = members.start(3, "b", 1, disks.resolve("b")); // the older journal first
        assertEquals(Optional.of(data(1, 1, "a")), b2.recordHeldHere("app/x"), "b alone remembers x at v1");
        ClusterNode a2 = members.start(2, "a", 1, disks.resolve("a"));

        for (ClusterNode node : new ClusterNode[] {a2, b2}) {
            assertEquals(Optional.of(data(2, 1, "a")), node.recordHeldHere("app/x"), "x on " + node.nodeName());
            assertEquals(Optional.of(data(1, 1, "a")), node.recordHeldHere("app/y"), "y on " + node.nodeName());
        }
    }

    @Test
    void aMemberWhoseKeptRecordsTheClusterRefusesDoesNotStartAndKeepsThem() {
        ClusterNode a = members.start(0, "a", 1, disks.resolve("a"));
        assertTrue(a.directory().compareAndSet("app/x", Optional.empty(), data(2, 1, "a")));
        a.close(); // the cluster is gone; only a's journal knows x

        ClusterNode b = members.start(1, "b", 1, null);
        RefuseWrites refusal = new RefuseWrites();
        ComponentRegistry.of(b.recordsCache()).getComponent(AsyncInterceptorChain.class).addInterceptor(refusal, 0);

        ClusterUnavailableException refused = assertThrows(ClusterUnavailableException.class,
                () -> members.start(2, "a", 1, disks.resolve("a")),
                "a start that could not bring x back would answer \"absent\" for it");
        assertTrue(refused.getMessage().contains("could not be brought back into the cluster"), refused.getMessage());
        assertEquals(Optional.empty(), b.recordHeldHere("app/x"), "b never took the refused record");

        ComponentRegistry.of(b.recordsCache()).getComponent(AsyncInterceptorChain.class)
                .removeInterceptor(RefuseWrites.class);
        ClusterNode a3 = members.start(3, "a", 1, disks.resolve("a"));
        assertEquals(Optional.of(data(2, 1, "a")), a3.recordHeldHere("app/x"), "x from a's journal, on a");
        assertEquals(Optional.of(data(2, 1, "a")), b.recordHeldHere("app/x"), "x from a's journal, on b");
    }

    /** Makes a member refuse every record write, as a member whose lock on a record timed out would. */
    private static final class RefuseWrites extends DDAsyncInterceptor {
        @Override
        public Object visitPutKeyValueCommand(InvocationContext ctx, PutKeyValueCommand command) {
            throw new IllegalStateException("refused by the test");
        }

        @Override
        public Object visitReplaceCommand(InvocationContext ctx, ReplaceCommand command) {
            throw new IllegalStateException("refused by the test");
        }
    }

    @Test
    void aJournalOlderThanTheClusterNeverTakesARecordBack() {
        ClusterNode a = members.start(0, "a", 1, disks.resolve("a"));
        ClusterNode b = members.start(1, "b", 1, disks.resolve("b"));
        // a wrote up to v5 under epoch 1; then a stops and b takes the segment over (epoch 2) at v3:
        // a higher version of an older lineage, which must not come back.
        assertTrue(a.directory().compareAndSet("app/x", Optional.empty(), data(5, 1, "a")));
        a.close();
        SegmentRecord takenOver = data(3, 2, "b");
        assertTrue(b.directory().compareAndSet("app/x", Optional.of(data(5, 1, "a")), takenOver));

        ClusterNode a2 = members.start(2, "a", 1, disks.resolve("a"));

        assertEquals(Optional.of(takenOver), a2.recordHeldHere("app/x"), "x on the restarted a");
        assertEquals(Optional.of(takenOver), b.recordHeldHere("app/x"), "x on b");
        b.close();
        a2.close();
        // Both journals now hold the take-over: a cluster restarted from either keeps it.
        ClusterNode a3 = members.start(3, "a", 1, disks.resolve("a"));
        assertEquals(Optional.of(takenOver), a3.recordHeldHere("app/x"), "x from a's journal after the restart");
    }

    @Test
    void aDeletedSegmentStaysDeletedAfterEveryMemberRestarts() {
        ClusterNode a = members.start(0, "a", 1, disks.resolve("a"));
        ClusterNode b = members.start(1, "b", 1, disks.resolve("b"));
        assertTrue(a.directory().compareAndSet("app/x", Optional.empty(), data(4, 1, "a")));
        SegmentRecord tombstone = SegmentRecord.claim(1, "a", 4, AT);
        assertTrue(a.directory().compareAndSet("app/x", Optional.of(data(4, 1, "a")), tombstone));
        a.close();
        b.close();

        ClusterNode b2 = members.start(2, "b", 1, disks.resolve("b"));
        ClusterNode a2 = members.start(3, "a", 1, disks.resolve("a"));

        assertEquals(Optional.of(tombstone), b2.recordHeldHere("app/x"));
        assertEquals(Optional.of(tombstone), a2.recordHeldHere("app/x"));
    }

    private static SegmentRecord data(long version, long epoch, String writer) {
        return SegmentRecord.builder().version(version).dataEpoch(epoch).epoch(epoch).writer(writer)
                .size(100).checksum((int) version).writtenAt(AT).origin(writer).build();
    }
}
