package io.checkpointservice.api;

/** A segment name is null, empty, too long or uses characters outside the documented set (G9). */
public class InvalidSegmentNameException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public InvalidSegmentNameException(String message) {
        super(message);
    }
}
