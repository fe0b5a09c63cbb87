package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.ForwardingSegmentDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * G1: {@code write} returns once the local store holds the version, without a network round
 * trip. The only cluster call a write may make is {@link SegmentDirectory#get}, which reads this
 * node's replicated copy of the record ({@code ClusterNode}: a REPL cache read, held here from the
 * moment the node has joined, see {@code JoinerHoldsEveryRecordOnMembersTest}); every call that goes to
 * other nodes is refused here, and recorded.
 */
class WriteStaysLocalTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "disk"})
    void aWriteMakesNoCallThatLeavesTheNode(String storage) {
        LocalCluster cluster = new LocalCluster();
        List<String> remoteCalls = new CopyOnWriteArrayList<>();
        LocalStore store = storage.equals("memory") ? new MemoryStore() : DiskStore.open(directory, SyncPolicy.NONE);
        AdapterSettings settings = new AdapterSettings("node-a", StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1 << 20, 2);
        CheckpointService node = new CheckpointService(settings, store,
                new LocalReadsOnly(cluster.directory(), remoteCalls), new NoReplicas(remoteCalls), Clock.systemUTC());
        // Another node published "other" up to v7: writing it here takes it over, still locally.
        cluster.directory().compareAndSet("app/other", Optional.empty(), SegmentRecord.builder().version(7).dataEpoch(3).epoch(3).writer("node-b")
                .size(1).checksum(0).writtenAt(Instant.now()).origin("node-b").build());
        try {
            long v1 = node.write("app", "job", new byte[] {1, 2, 3});
            long v2 = node.write("app", "job", new byte[] {4, 5});
            long other = node.write("app", "other", new byte[70_000]);

            assertEquals(List.of(), remoteCalls, "write must not call the cluster beyond a local read");
            assertEquals(List.of(1L, 2L, 8L), List.of(v1, v2, other), "versions count on from the record");
            assertArrayEquals(new byte[] {4, 5}, node.store().get("app/job").orElseThrow().data());
            assertTrue(node.replicator().backlog() >= 1, "replication is left to the background");
        } finally {
            node.close();
        }
    }

    /** The records as this node holds them: reading is local, changing them is not. */
    private static final class LocalReadsOnly extends ForwardingSegmentDirectory {
        private final List<String> remoteCalls;

        LocalReadsOnly(SegmentDirectory delegate, List<String> remoteCalls) {
            super(delegate);
            this.remoteCalls = remoteCalls;
        }

        @Override
        public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
            remoteCalls.add("compareAndSet " + key);
            throw new AssertionError("compareAndSet goes to the record's owner over the network");
        }
    }

    /** Every replica call goes to other nodes. */
    private record NoReplicas(List<String> remoteCalls) implements ReplicaStore {
        @Override
        public void putChunk(ChunkKey chunk, byte[] data) {
            remoteCalls.add("putChunk");
            throw new AssertionError("network");
        }

        @Override
        public byte[] getChunk(ChunkKey chunk) {
            remoteCalls.add("getChunk");
            throw new AssertionError("network");
        }

        @Override
        public void removeChunk(ChunkKey chunk) {
            remoteCalls.add("removeChunk");
            throw new AssertionError("network");
        }

        @Override
        public int copiesOutside(ChunkKey chunk, String writer) {
            remoteCalls.add("copiesOutside");
            throw new AssertionError("not a write's business");
        }

        @Override
        public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
            remoteCalls.add("confirmCopiesOutside");
            throw new AssertionError("not a write's business");
        }

        @Override
        public long membershipId() {
            remoteCalls.add("membershipId");
            throw new AssertionError("not a write's business");
        }
    }
}
