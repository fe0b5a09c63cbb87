package io.checkpointservice.api;

/**
 * The segment exists, but no intact copy of its newest version is reachable now (G8), for
 * example while the replica nodes holding it are down. Retrying later may succeed; treating it
 * as "absent" would restart the application from defaults and lose its state.
 *
 * <p>Also thrown by {@code load}, {@code write} and {@code delete} right after a network split
 * healed, for as long as the cluster has not decided which side's lineage wins (usually a few
 * seconds; each call waits up to about 10 s before throwing): until then this node's copy and
 * ownership may be the losing side's.
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
