package io.checkpointservice.api;

/** The state to write is longer than the configured {@code maxSegmentBytes} (G9). */
public class SegmentTooLargeException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    public SegmentTooLargeException(String name, long size, long limit) {
        super("segment '" + name + "' has " + size + " bytes, more than maxSegmentBytes=" + limit
                + "; raise maxSegmentBytes or write smaller segments");
        this.size = size;
        this.limit = limit;
    }

    /** @return the size that was refused, in bytes */
    public long size() {
        return size;
    }

    /** @return the configured limit, in bytes */
    public long limit() {
        return limit;
    }
}
