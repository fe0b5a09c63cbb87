package io.checkpointservice.api;

/**
 * The segment exists, but no intact copy of its newest version is reachable now (G8), for
 * example while the replica nodes holding it are down. Retrying later may succeed; treating it
 * as "absent" would restart the application from defaults and lose its state.
 */
public class SegmentUnavailableException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public SegmentUnavailableException(String message) {
        super(message);
    }

    public SegmentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
