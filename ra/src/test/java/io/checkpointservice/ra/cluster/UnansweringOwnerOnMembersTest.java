package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.ra.testsupport.LoopbackMembers;
import io.checkpointservice.ra.testsupport.ServiceOnMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * G3 against owners whose answer differs from what the view says, on real cluster members
 * (three Infinispan members on 127.0.0.1, R = 2, so every member owns every chunk): an owner
 * that stopped answering but is still in the view, and owners that answer they hold nothing
 * (replacements after a total loss), whose copies the writer puts back. A crashed
 * or frozen node stays in the view until failure detection removes it (FD_ALL3's 10 s here, or
 * FD_SOCK2 plus VERIFY_SUSPECT2 after a crash); in that window counting owners in the view says
 * the copies are there, and only asking the owners tells. "Frozen" is JGroups' DISCARD dropping
 * every message of one member, as a SIGSTOPped or long-paused JVM does. The randomized fault
 * trials found awaitReplicated saying true in that window (seed -5163545173022923858).
 */
class UnansweringOwnerOnMembersTest {

    private static final String NS = "app";
    /** Chunk 0 of v1 of segment app/job, written by a. */
    private static final ChunkKey CHUNK = new ChunkKey("app/job", 1, "a", 1, 0);

    private final LoopbackMembers members = new LoopbackMembers("unanswering-owner", 3);
    private ServiceOnMember onA;
    private CheckpointService service;

    @AfterEach
    void stop() throws InterruptedException {
        if (onA != null) {
            onA.close();
        }
        members.close();
    }

    @Test
    @Timeout(60)
    void onlyOwnersThatAnswerHoldingTheChunkAreCounted() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        ClusterNode c = abc[2];
        a.replicas().putChunk(CHUNK, new byte[] {1, 2, 3});
        Duration patience = Duration.ofSeconds(5);

        assertEquals(2, a.replicas().confirmCopiesOutside(CHUNK, "a", patience), "b and c answer, a is the writer");
        assertEquals(2, c.replicas().confirmCopiesOutside(CHUNK, "a", patience),
                "asked from c: its own copy is looked up here, b's is asked for");
        assertEquals(0, a.replicas().confirmCopiesOutside(new ChunkKey("app/job", 1, "a", 2, 0), "a", patience),
                "a chunk nobody holds");
    }

    @Test
    @Timeout(60)
    void aFrozenOwnerStillCountsInTheViewButCannotConfirm() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        ClusterNode c = abc[2];
        a.replicas().putChunk(CHUNK, new byte[] {1, 2, 3});

        DISCARD frozen = freeze(c);
        try {
            assertEquals(2, a.replicas().copiesOutside(CHUNK, "a"), "precondition: the view still lists c");
            long start = System.nanoTime();
            assertThrows(ClusterUnavailableException.class,
                    () -> a.replicas().confirmCopiesOutside(CHUNK, "a", Duration.ofMillis(1_500)),
                    "c cannot answer: the owners' confirmation must fail, not count c");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 5_000, "gave up after its timeout, not later: took " + tookMillis + " ms");
        } finally {
            frozen.discardAll(false);
        }
        assertEquals(2, a.replicas().confirmCopiesOutside(CHUNK, "a", Duration.ofSeconds(10)), "c answers again");
    }

    @Test
    @Timeout(90)
    void awaitReplicatedIsFalseWhileAnOwnerCannotAnswerThoughTheViewStillListsIt() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        ClusterNode c = abc[2];
        long version = writeAndAwaitOn(a);

        DISCARD frozen = freeze(c);
        try {
            assertFalse(service.awaitReplicated(NS, "job", version, Duration.ofMillis(1_500)),
                    "c stopped answering after it acknowledged v" + version + ": only b is known to hold it now");
            assertTrue(a.members().contains("c"), "precondition: the answer above was given while the view still "
                    + "listed c (failure detection takes 10 s), members " + a.members());
            String key = new SegmentKey(NS, "job").key();
            assertEquals(2, a.replicas().copiesOutside(ChunkKey.of(key, a.directory().get(key).orElseThrow(), 0), "a"),
                    "precondition: counting owners in the view still says two");
        } finally {
            frozen.discardAll(false);
        }
        assertTrue(service.awaitReplicated(NS, "job", version, Duration.ofSeconds(30)), "c answers again");
    }

    /**
     * A batch's questions are all out at once: with c frozen, 16 segments cost one timeout, not
     * sixteen (asked one after the other, each question after the first would wait at least the
     * 0.5 s every check gives the owners, 9 s in all).
     */
    @Test
    @Timeout(90)
    void manyChunksAreConfirmedWithAllQuestionsOutAtOnce() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        ClusterNode c = abc[2];
        Map<ChunkKey, String> writerOf = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            ChunkKey chunk = new ChunkKey("app/part-" + i, 1, "a", 1, 0);
            a.replicas().putChunk(chunk, new byte[] {(byte) i});
            writerOf.put(chunk, "a");
        }
        ChunkKey neverPut = new ChunkKey("app/never-put", 1, "a", 1, 0);
        writerOf.put(neverPut, "a");
        Map<ChunkKey, Integer> expected = new HashMap<>();
        writerOf.keySet().forEach(chunk -> expected.put(chunk, chunk.equals(neverPut) ? 0 : 2));

        assertEquals(expected, a.replicas().confirmCopiesOutside(writerOf, Duration.ofSeconds(5)),
                "b and c hold every chunk but the one never put");

        DISCARD frozen = freeze(c);
        try {
            long start = System.nanoTime();
            Map<ChunkKey, Integer> answered = a.replicas().confirmCopiesOutside(writerOf, Duration.ofMillis(1_500));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Map.of(), answered, "c owns every chunk and cannot answer: none is known to be held");
            assertTrue(tookMillis < 5_000, "one timeout for all the questions, not one each: took " + tookMillis + " ms");
        } finally {
            frozen.discardAll(false);
        }
        assertEquals(expected, a.replicas().confirmCopiesOutside(writerOf, Duration.ofSeconds(10)), "c answers again");
    }

    /** Questions go out in waves of {@link InfinispanReplicaStore.QUESTIONS_IN_FLIGHT}: every chunk of every wave is answered. */
    @Test
    @Timeout(90)
    void aBatchOfMoreThanOneWaveIsAnsweredWhole() {
        ClusterNode a = startThree()[0];
        int count = 2 * InfinispanReplicaStore.QUESTIONS_IN_FLIGHT + 7;
        List<ChunkKey> chunks = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        Map<ChunkKey, String> writerOf = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ChunkKey chunk = new ChunkKey("app/wave-" + i, 1, "a", 1, 0);
            chunks.add(chunk);
            data.add(new byte[] {(byte) i});
            writerOf.put(chunk, "a");
        }
        a.replicas().putChunks(chunks, data);
        a.replicas().removeChunk(chunks.get(InfinispanReplicaStore.QUESTIONS_IN_FLIGHT)); // one chunk nobody holds any more

        Map<ChunkKey, Integer> answered = a.replicas().confirmCopiesOutside(writerOf, Duration.ofSeconds(20));

        assertEquals(count, answered.size(), "an answer for every chunk of all three waves");
        assertEquals(0, answered.get(chunks.get(InfinispanReplicaStore.QUESTIONS_IN_FLIGHT)), "the removed chunk is held by nobody");
        assertEquals(count - 1, answered.values().stream().filter(owners -> owners == 2).count(),
                "b and c hold every other chunk");
    }

    @Test
    @Timeout(90)
    void awaitAllReplicatedIsFalseWhileAnOwnerOfEverySegmentCannotAnswer() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        ClusterNode c = abc[2];
        Map<String, Long> versions = new HashMap<>(Map.of("job", writeAndAwaitOn(a)));
        for (int i = 0; i < 15; i++) {
            versions.put("part-" + i, service.write(NS, "part-" + i, new byte[4096]));
        }
        assertTrue(service.awaitAllReplicated(NS, versions, Duration.ofSeconds(30)), "b and c hold all sixteen");

        DISCARD frozen = freeze(c);
        try {
            long start = System.nanoTime();
            assertFalse(service.awaitAllReplicated(NS, versions, Duration.ofMillis(1_500)),
                    "c stopped answering after it acknowledged them: only b is known to hold them now");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 5_000, "the owners of all sixteen were asked together: took " + tookMillis + " ms");
            assertTrue(a.members().contains("c"), "precondition: the answer above was given while the view still "
                    + "listed c (failure detection takes 10 s), members " + a.members());
        } finally {
            frozen.discardAll(false);
        }
        assertTrue(service.awaitAllReplicated(NS, versions, Duration.ofSeconds(30)), "c answers again");
    }

    /**
     * The put-back decision rests on the owners' answers: after every owner lost the chunks of
     * the published version (as nodes that replaced them all hold nothing), an await of that
     * version finds no owner holding them, puts this node's identical local copy back under the
     * record's own chunk keys, and says true only because the owners hold it again.
     */
    @Test
    @Timeout(90)
    void chunksNoOwnerHoldsAnyMoreArePutBackBeforeAwaitSaysTrue() {
        ClusterNode a = startThree()[0];
        long version = writeAndAwaitOn(a);
        String key = new SegmentKey(NS, "job").key();
        SegmentRecord record = a.directory().get(key).orElseThrow();
        ChunkKey chunk = ChunkKey.of(key, record, 0);
        a.replicas().removeChunk(chunk); // from every owner: the record points at chunks nobody holds
        assertEquals(0, a.replicas().confirmCopiesOutside(chunk, "a", Duration.ofSeconds(5)), "precondition: all lost");

        assertTrue(service.awaitReplicated(NS, "job", version, Duration.ofSeconds(30)),
                "a holds v" + version + " locally: it puts the chunks back and the owners confirm them");
        assertEquals(2, a.replicas().confirmCopiesOutside(chunk, "a", Duration.ofSeconds(5)), "b and c hold it again");
        assertEquals(record, a.directory().get(key).orElseThrow(), "the record is untouched");
    }

    /** Writes 64 KiB on {@code a} through a service with one replication worker and awaits it. */
    private long writeAndAwaitOn(ClusterNode a) {
        onA = new ServiceOnMember(a, 1 << 20, 2);
        service = onA.service();
        byte[] state = new byte[64 * 1024];
        Arrays.fill(state, (byte) 7);
        long version = service.write(NS, "job", state);
        assertTrue(service.awaitReplicated(NS, "job", version, Duration.ofSeconds(30)), "b and c hold it");
        return version;
    }

    /** Members a, b and c, R = 2: with three members every one owns every chunk. */
    private ClusterNode[] startThree() {
        return new ClusterNode[] {members.start(0, "a", 2), members.start(1, "b", 2), members.start(2, "c", 2)};
    }

    /** Drops every message the member sends or receives, as a frozen process would; sockets stay open. */
    private static DISCARD freeze(ClusterNode member) {
        DISCARD discard = new DISCARD();
        discard.setAddress(member.channel().getAddress());
        try {
            member.channel().getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
        } catch (Exception e) {
            throw new IllegalStateException("cannot insert DISCARD into " + member.nodeName() + "'s stack", e);
        }
        discard.discardAll(true);
        return discard;
    }
}
