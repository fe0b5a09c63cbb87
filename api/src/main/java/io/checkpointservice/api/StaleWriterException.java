package io.checkpointservice.api;

/**
 * Another node has taken the segment over (by loading it) since this node last wrote it (G6).
 * This node's application must stop working on that state: another instance owns it now.
 */
public class StaleWriterException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public StaleWriterException(String message) {
        super(message);
    }
}
