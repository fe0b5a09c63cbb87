package io.checkpointservice.ra.monitoring;

/**
 * One cluster member as this node sees it; a JMX client receives it as CompositeData with the
 * items {@code name}, {@code reachable} and {@code sinceTime} (MXBean mapping of the getters).
 */
public final class MemberStatus {

    private final String name;
    private final boolean reachable;
    private final long sinceTime;

    MemberStatus(String name, boolean reachable, long sinceTime) {
        this.name = name;
        this.reachable = reachable;
        this.sinceTime = sinceTime;
    }

    /** @return the member's node name */
    public String getName() {
        return name;
    }

    /** @return true while the member is in the current cluster view */
    public boolean isReachable() {
        return reachable;
    }

    /** @return when this node saw it become reachable or unreachable, in milliseconds since the epoch */
    public long getSinceTime() {
        return sinceTime;
    }
}
