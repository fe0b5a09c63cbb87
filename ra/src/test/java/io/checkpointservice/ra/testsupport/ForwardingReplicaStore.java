package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ReplicaStore;
import java.time.Duration;
import java.util.List;

/**
 * A replica store that passes every call on to another: tests override the calls they count,
 * hold or fail.
 */
public class ForwardingReplicaStore implements ReplicaStore {

    protected final ReplicaStore delegate;

    public ForwardingReplicaStore(ReplicaStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void putChunk(ChunkKey chunk, byte[] data) {
        delegate.putChunk(chunk, data);
    }

    @Override
    public void putChunks(List<ChunkKey> chunks, List<byte[]> data) {
        delegate.putChunks(chunks, data);
    }

    @Override
    public byte[] getChunk(ChunkKey chunk) {
        return delegate.getChunk(chunk);
    }

    @Override
    public void removeChunk(ChunkKey chunk) {
        delegate.removeChunk(chunk);
    }

    @Override
    public void removeChunkLater(ChunkKey chunk) {
        delegate.removeChunkLater(chunk);
    }

    @Override
    public int copiesOutside(ChunkKey chunk, String writer) {
        return delegate.copiesOutside(chunk, writer);
    }

    @Override
    public int placementFor(String segmentKey) {
        return delegate.placementFor(segmentKey);
    }

    @Override
    public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
        return delegate.confirmCopiesOutside(chunk, writer, timeout);
    }

    @Override
    public long membershipId() {
        return delegate.membershipId();
    }
}
