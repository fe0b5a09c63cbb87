package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.testsupport.ForwardingReplicaStore;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How one publish talks to the cluster: chunks in bounded batches, the record, waiters woken,
 * and only then, without waiting, the previous version's chunks removed.
 */
class ReplicatorPublishTest {

    private static final String KEY = "app/job";
    private static final long EPOCH = 1;

    private final LocalCluster cluster = new LocalCluster();
    private final SegmentDirectory directory = cluster.directory();
    private final RecordingReplicas replicas = new RecordingReplicas(cluster.replicas(2));
    private final MemoryStore store = new MemoryStore();
    private final Ownership ownership = new Ownership("node-a");
    private final PublicationSignal progress = new PublicationSignal();
    private final Replicator replicator = new Replicator(store, directory, replicas, ownership, progress);

    ReplicatorPublishTest() {
        ownership.took(KEY, EPOCH);
    }

    private byte[] writeLocally(long version, int size) {
        return writeLocally(KEY, version, size);
    }

    private byte[] writeLocally(String key, long version, int size) {
        ownership.took(key, EPOCH);
        byte[] data = new byte[size];
        new Random(version).nextBytes(data);
        store.put(new StoredSegment(new SegmentMetadata(key, version, EPOCH, Instant.now(), "node-a", size,
                Checksums.crc32c(data)), data));
        return data;
    }

    @Test
    void waitersAreWokenBeforeThePreviousVersionsChunksAreRemovedAndThoseGoInTheBackground() throws Exception {
        writeLocally(1, 3 * Chunks.SIZE + 5);
        replicator.publish(KEY);
        assertEquals(4, cluster.chunkCount(), "v1 is published as 4 chunks");

        writeLocally(2, 2 * Chunks.SIZE);
        CountDownLatch woken = new CountDownLatch(1);
        long seen = progress.publications(KEY);
        Thread waiter = new Thread(() -> {
            try {
                progress.awaitPublishAfter(KEY, seen, 20_000);
                woken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-await-replicated");
        waiter.start();
        replicas.onFirstRemoval = () -> replicas.wokenBeforeRemoval = awaitQuietly(woken);
        replicator.publish(KEY);
        waiter.join(20_000);

        assertTrue(replicas.wokenBeforeRemoval, "awaitReplicated must be woken as soon as the record points at v2, "
                + "not after v1's chunks are removed");
        assertEquals(0, replicas.synchronousRemovals.get(), "publishing must not wait for removals");
        assertEquals(4, replicas.laterRemovals.get(), "each of v1's 4 chunks is removed in the background");
        assertEquals(2, cluster.chunkCount(), "only v2's 2 chunks are left");
        SegmentRecord record = directory.get(KEY).orElseThrow();
        assertEquals(2, record.version(), "the record points at v2");
    }

    @Test
    void chunksArePutAFewAtATimeAndArriveWhole() {
        byte[] data = writeLocally(1, 20 * Chunks.SIZE + 1);
        replicator.publish(KEY);

        assertEquals(List.of(4, 4, 4, 4, 4, 1), replicas.batchSizes, "21 chunks go out in batches of at most "
                + Chunks.IN_FLIGHT + ", each batch in flight at once");
        SegmentRecord record = directory.get(KEY).orElseThrow();
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        for (int i = 0; i < record.chunkCount(); i++) {
            fetched.writeBytes(replicas.getChunk(ChunkKey.of(KEY, record, i)));
        }
        assertArrayEquals(data, fetched.toByteArray(), "the chunks put together are the segment, in order");
    }

    @Test
    void itsOwnPublicationNeedsNoRoundTripForAQuestionAskedBeforeItsAcknowledgements() {
        long askedAt = System.nanoTime();
        writeLocally(1, 3 * Chunks.SIZE);
        replicator.publish(KEY);
        SegmentRecord record = directory.get(KEY).orElseThrow();

        assertTrue(held(record, askedAt));
        assertTrue(held(record, askedAt));
        assertEquals(0, replicas.confirmations.get(), "every owner acknowledged the put after the question and none "
                + "left: nobody needs to be asked");
    }

    @Test
    void aQuestionAskedAfterThePublicationIsAnsweredByTheOwnersNow() {
        writeLocally(1, 3 * Chunks.SIZE);
        replicator.publish(KEY);
        SegmentRecord record = directory.get(KEY).orElseThrow();

        // An owner that acknowledged the put may have crashed since, still listed in the view.
        assertTrue(held(record, System.nanoTime()));
        assertEquals(1, replicas.confirmations.get(), "acknowledgements from before the question prove nothing now: "
                + "the owners are asked");
        assertTrue(held(record, System.nanoTime()));
        assertEquals(2, replicas.confirmations.get(), "each later question asks the owners again");
    }

    @Test
    void fewerOwnersAnsweringThanNeededIsNotReplicatedAndPutsNothingBack() {
        writeLocally(1, 3 * Chunks.SIZE);
        replicator.publish(KEY);
        SegmentRecord record = directory.get(KEY).orElseThrow();
        replicas.batchSizes.clear();

        replicas.answering = 1; // one of the two owners froze or crashed, not yet out of the view
        assertEquals(false, held(record, System.nanoTime()), "one answer of the two needed");
        assertEquals(List.of(), replicas.batchSizes, "one owner holds it: nothing is put back");

        replicas.answering = -1; // the frozen owner never answers in time
        assertEquals(false, held(record, System.nanoTime()), "no answer in time");
        assertEquals(List.of(), replicas.batchSizes, "unanswered is not lost: nothing is put back");

        replicas.answering = 2;
        assertTrue(held(record, System.nanoTime()), "both owners answer again");
    }

    @Test
    void chunksNoOwnerHoldsArePutBackFromTheLocalCopy() {
        long askedAt = System.nanoTime();
        byte[] data = writeLocally(1, 3 * Chunks.SIZE);
        replicator.publish(KEY);
        SegmentRecord record = directory.get(KEY).orElseThrow();
        assertTrue(held(record, askedAt));

        cluster.loseAllReplicas(); // the owners leave: the membership id changes
        assertTrue(held(record, askedAt), "put back from the local copy");
        assertEquals(1, replicas.confirmations.get(), "after a membership change the owners are asked again");
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        for (int i = 0; i < record.chunkCount(); i++) {
            fetched.writeBytes(cluster.replicas(2).getChunk(ChunkKey.of(KEY, record, i)));
        }
        assertArrayEquals(data, fetched.toByteArray(), "the lost chunks are back, whole");
    }

    @Test
    void aPutBackThatFailsHalfWayLeavesNoChunkThatVouchesForTheMissingOnes() {
        byte[] data = writeLocally(1, 6 * Chunks.SIZE);
        replicator.publish(KEY);
        SegmentRecord record = directory.get(KEY).orElseThrow();
        cluster.loseAllReplicas();
        replicas.batchSizes.clear();
        replicas.failAtBatch = 1; // the second batch of the put-back fails after one of its chunks arrived

        assertEquals(false, held(record, System.nanoTime()), "the put-back failed");
        assertTrue(cluster.replicas(2).getChunk(ChunkKey.of(KEY, record, 0)) == null,
                "chunk 0, which the check probes, goes last: it must not be there while others are missing");

        replicas.failAtBatch = -1;
        assertTrue(held(record, System.nanoTime()), "the next check puts everything back");
        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        for (int i = 0; i < record.chunkCount(); i++) {
            fetched.writeBytes(cluster.replicas(2).getChunk(ChunkKey.of(KEY, record, i)));
        }
        assertArrayEquals(data, fetched.toByteArray(), "all six chunks are back, whole");
    }

    @Test
    void aProofOfAnotherVersionProvesNothing() {
        long askedAt = System.nanoTime();
        writeLocally(1, 10);
        replicator.publish(KEY);
        SegmentRecord v1 = directory.get(KEY).orElseThrow();
        SegmentRecord v2 = SegmentRecord.builder().version(2).dataEpoch(EPOCH).epoch(EPOCH).writer("node-a")
                .size(10).checksum(0)
                .writtenAt(Instant.now()).origin("node-a").chunkSize(Chunks.SIZE).build(); // a record this node never published: its chunks do not exist

        assertTrue(held(v1, askedAt));
        assertEquals(false, held(v2, askedAt), "v2's chunks were never put");
        assertEquals(1, replicas.confirmations.get(), "v2 had to be checked with the owners");
    }

    @Test
    void manySegmentsAreCheckedWithOneBatchOfQuestionsForThoseWithoutAFreshProof() {
        writeLocally("app/old-1", 1, 10);
        replicator.publish("app/old-1");
        writeLocally("app/old-2", 1, 10);
        replicator.publish("app/old-2");
        long askedAt = System.nanoTime();
        writeLocally(1, 10);
        replicator.publish(KEY); // acknowledged after the question: no need to ask about it
        Map<String, SegmentRecord> records = Map.of(KEY, directory.get(KEY).orElseThrow(),
                "app/old-1", directory.get("app/old-1").orElseThrow(), "app/old-2", directory.get("app/old-2").orElseThrow());

        assertEquals(records.keySet(), replicator.confirmation().confirmOrPutBack(records, 2, askedAt, Duration.ofSeconds(1)));
        assertEquals(List.of(Set.of("app/old-1", "app/old-2")), replicas.askedTogether,
                "one batch of questions, about the two segments published before the question only");

        replicas.answering = 1;
        assertEquals(Set.of(), replicator.confirmation().confirmOrPutBack(records, 2, System.nanoTime(), Duration.ofSeconds(1)),
                "one owner of two answers for each: none is replicated");
        replicas.answering = -1;
        assertEquals(Set.of(), replicator.confirmation().confirmOrPutBack(records, 2, System.nanoTime(), Duration.ofSeconds(1)),
                "no answer in time: none is known to be replicated");
        assertEquals(3, replicas.askedTogether.size(), "one batch per check");
    }

    private boolean held(SegmentRecord record, long askedAt) {
        return replicator.confirmation().confirmOrPutBack(Map.of(KEY, record), 2, askedAt, Duration.ofSeconds(1)).contains(KEY);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The in-JVM replicas, with every call the replicator makes counted. */
    private static final class RecordingReplicas extends ForwardingReplicaStore {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger synchronousRemovals = new AtomicInteger();
        final AtomicInteger laterRemovals = new AtomicInteger();
        final AtomicInteger confirmations = new AtomicInteger();
        /** The segments of each batch of questions. */
        final List<Set<String>> askedTogether = new CopyOnWriteArrayList<>();
        /** How many owners answer; -1: one does not answer in time. */
        volatile int answering = Integer.MAX_VALUE;
        volatile int failAtBatch = -1;
        volatile Runnable onFirstRemoval = () -> { };
        volatile boolean wokenBeforeRemoval;

        RecordingReplicas(ReplicaStore delegate) {
            super(delegate);
        }

        @Override
        public void putChunk(ChunkKey chunk, byte[] data) {
            batchSizes.add(1);
            delegate.putChunk(chunk, data);
        }

        @Override
        public void putChunks(List<ChunkKey> chunks, List<byte[]> data) {
            if (batchSizes.size() == failAtBatch) {
                batchSizes.add(chunks.size());
                delegate.putChunk(chunks.get(0), data.get(0)); // part of the batch arrives
                throw new ClusterUnavailableException("owner lost mid-batch", null);
            }
            batchSizes.add(chunks.size());
            delegate.putChunks(chunks, data);
        }

        @Override
        public Map<ChunkKey, Integer> confirmCopiesOutside(Map<ChunkKey, String> writerOf, Duration timeout) {
            askedTogether.add(writerOf.keySet().stream().map(ChunkKey::segmentKey).collect(Collectors.toSet()));
            return super.confirmCopiesOutside(writerOf, timeout); // the default: each chunk through the method below
        }

        @Override
        public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
            confirmations.incrementAndGet();
            int held = delegate.confirmCopiesOutside(chunk, writer, timeout);
            if (answering < 0) {
                throw new ClusterUnavailableException("an owner did not answer within " + timeout, null);
            }
            return Math.min(held, answering);
        }

        @Override
        public void removeChunk(ChunkKey chunk) {
            synchronousRemovals.incrementAndGet();
            delegate.removeChunk(chunk);
        }

        @Override
        public void removeChunkLater(ChunkKey chunk) {
            if (laterRemovals.getAndIncrement() == 0) {
                onFirstRemoval.run();
            }
            delegate.removeChunkLater(chunk);
        }
    }
}
