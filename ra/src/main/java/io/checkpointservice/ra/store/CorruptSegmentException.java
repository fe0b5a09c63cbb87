package io.checkpointservice.ra.store;

/** A stored copy is torn or fails its checksum; it was taken out of service and must not be returned. */
public class CorruptSegmentException extends LocalStoreException {

    private static final long serialVersionUID = 1L;

    public CorruptSegmentException(String message) {
        super(message);
    }
}
