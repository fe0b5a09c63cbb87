package io.checkpointservice.ra.monitoring;

import io.checkpointservice.ra.config.Settings;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.threads.NodeThreads;
import io.checkpointservice.ra.threads.Repeating;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Looks at the node every second, on the node's threads: notes the cluster view's members,
 * counts the segments below R copies every {@link #COUNT_EVERY} (less often when a count takes
 * long, see {@link #COUNT_SHARE}), and warns when the replication backlog or that count stays up
 * too long ({@link SustainedCondition}: rate-limited, with an INFO line when it ends). Nothing
 * here runs on the write or load path.
 */
final class HealthWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HealthWatch.class.getName());
    static final Duration TICK = Duration.ofSeconds(1);
    /** Counting the segments below R reads a record per segment this node writes: every 5 s, not every second. */
    static final Duration COUNT_EVERY = Duration.ofSeconds(5);
    /**
     * A count of many segments (100,000 take a few hundred ms) waits this many times its own
     * duration before the next: counting never takes more than 1% of a core from the application.
     */
    static final int COUNT_SHARE = 100;
    private static final String NAME = "checkpoint-health-watch";

    private final NodeThreads threads;
    private final Replicator replicator;
    private final UnderReplication underReplication;
    private final MemberReachability members;
    private final Supplier<List<String>> view;
    private final int backlogWarnSegments;
    private final int replicaCount;
    private final SustainedCondition backlogHigh;
    private final SustainedCondition belowReplicaCount;
    private volatile int underReplicated;
    private volatile long countedAt;
    private Repeating looks;
    private long nextCountAt = Long.MIN_VALUE;

    /**
     * @param view the names of the current view's members
     * @param underReplicatedWarnAfter how long segments may stay below R before the warning
     */
    HealthWatch(NodeThreads threads, Replicator replicator, UnderReplication underReplication,
                MemberReachability members, Supplier<List<String>> view, int replicaCount,
                int backlogWarnSegments, Duration underReplicatedWarnAfter) {
        this.threads = threads;
        this.replicator = replicator;
        this.underReplication = underReplication;
        this.members = members;
        this.view = view;
        this.replicaCount = replicaCount;
        this.backlogWarnSegments = backlogWarnSegments;
        this.backlogHigh = new SustainedCondition(LOG, Duration.ofSeconds(Settings.BACKLOG_WARN_AFTER_SECONDS));
        this.belowReplicaCount = new SustainedCondition(LOG, underReplicatedWarnAfter);
    }

    /** Starts looking; the first look is at once. */
    void start() {
        looks = Repeating.start(threads, NAME, TICK, this::tick);
    }

    /** @return the last count of segments below R copies */
    int underReplicated() {
        return underReplicated;
    }

    /** @return when the segments below R copies were last counted (ms since the epoch); 0 before the first count */
    long countedAt() {
        return countedAt;
    }

    private void tick() {
        long now = System.currentTimeMillis();
        List<String> current = view.get();
        members.observe(current, now);
        if (now >= nextCountAt) {
            long started = System.nanoTime();
            underReplicated = underReplication.count();
            countedAt = now;
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            nextCountAt = now + Math.max(COUNT_EVERY.toMillis(), tookMillis * COUNT_SHARE);
        }
        int waiting = replicator.backlog();
        backlogHigh.observe(waiting > backlogWarnSegments, now,
                () -> "replication backlog: " + waiting + " segments wait to be published (the oldest for "
                        + replicator.oldestWaitMillis() + " ms), more than backlogWarnSegments "
                        + backlogWarnSegments + "; the replicas are slow or unreachable (members now: "
                        + current + ")",
                () -> "replication backlog back to " + replicator.backlog()
                        + " segments, at most backlogWarnSegments " + backlogWarnSegments);
        int below = underReplicated;
        belowReplicaCount.observe(below > 0, now,
                () -> below + " segments this node writes have fewer than replicaCount " + replicaCount
                        + " copies on other nodes (members now: " + current + "); they survive the loss of "
                        + "fewer nodes until members join",
                () -> "every segment this node writes has replicaCount " + replicaCount
                        + " copies on other nodes again");
    }

    @Override
    public void close() {
        if (looks != null) {
            looks.close();
        }
    }
}
