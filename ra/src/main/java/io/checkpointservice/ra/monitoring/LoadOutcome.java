package io.checkpointservice.ra.monitoring;

/** What a {@code load} answered, and from where: counted by {@link NodeMetrics#loaded}. */
public enum LoadOutcome {
    /** The local copy was the newest: no network transfer. */
    LOCAL,
    /** The newest version was fetched from a replica. */
    REPLICA,
    /** The newest version was fetched from the global store. */
    GLOBAL_STORE,
    /** The segment does not exist (never written, or deleted): the application starts from defaults. */
    ABSENT,
    /** The segment exists but no intact copy was reachable: {@code SegmentUnavailableException}. */
    UNAVAILABLE
}
