package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import java.util.Optional;

/**
 * A directory that passes every call on to another: tests override the one call they watch,
 * hold or refuse (usually {@link #compareAndSet}, the directory's only call that goes to other
 * nodes).
 */
public class ForwardingSegmentDirectory implements SegmentDirectory {

    protected final SegmentDirectory delegate;

    public ForwardingSegmentDirectory(SegmentDirectory delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean knowsEveryRecord() {
        return delegate.knowsEveryRecord();
    }

    @Override
    public Optional<SegmentRecord> get(String key) {
        return delegate.get(key);
    }

    @Override
    public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
        return delegate.compareAndSet(key, expected, next);
    }
}
