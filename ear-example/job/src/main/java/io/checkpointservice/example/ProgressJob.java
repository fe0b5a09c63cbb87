package io.checkpointservice.example;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Works through the numbered stream of {@link ProgressState}, {@value #ITEMS_PER_TICK} items
 * every {@value #TICK_MILLIS} ms, checkpoints its position every {@value #CHECKPOINT_EVERY}
 * items to segment {@value #SEGMENT}, and every {@value #BARRIER_EVERY} checkpoints waits (at
 * most {@value #BARRIER_TIMEOUT_MILLIS} ms) until that checkpoint is held by {@code replicaCount}
 * other nodes. When it starts (after a deployment, a restart or a failover) it resumes from
 * the newest checkpoint in the cluster, or starts at 0 when there is none.
 *
 * <p>On WildFly the EAR is an HA singleton deployment ({@code META-INF/jboss-all.xml}): it runs on
 * one node of the cluster at a time, ticking on a local timer, and when that node dies WildFly
 * starts it on another one, where the job's first {@code load} takes the segment over from the
 * dead node. Payara has no HA singleton deployment: there the web module's Payara build runs on
 * every instance of a deployment group and the job ticks only when the group's one persistent
 * timer ({@code payara.DeploymentGroupTicker}) fires on this instance; when the instance that timer
 * fires on dies, Payara moves the timer to a surviving instance, whose first tick restores the job
 * from the checkpoint.
 *
 * <p>Items processed after the last checkpoint are processed again after a crash: the job is
 * at-least-once per item, and because an item's effect on the digest is deterministic the
 * digest at any position is the same whether or not the job crashed on the way. What a crash
 * can cost is bounded: the job never resumes behind the last checkpoint the barrier confirmed
 * ({@link JobStatus#awaitedPosition()}, guarantee G4).
 */
@Singleton
@Startup
// The bean guards itself: ticks and the final checkpoint are synchronized, and status() reads an
// immutable snapshot, so a status request never waits for a tick (which may wait for the barrier).
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ProgressJob {

    /** The segment holding {@link ProgressState#encode()}. */
    public static final String SEGMENT = "progress-job/state";

    static final int ITEMS_PER_TICK = 20;
    static final long TICK_MILLIS = 100;
    /** The deployment group's timer fires once a second (the finest a schedule expresses): as many items as ten local ticks. */
    static final int ITEMS_PER_GROUP_TICK = ITEMS_PER_TICK * 10;
    static final int CHECKPOINT_EVERY = 100;
    /** Every this many checkpoints the job waits for replication (M). */
    static final int BARRIER_EVERY = 4;
    /** Short: replication on a LAN takes milliseconds; a timeout only delays the job this long. */
    static final long BARRIER_TIMEOUT_MILLIS = 1000;

    private static final Logger LOG = Logger.getLogger(ProgressJob.class.getName());

    /**
     * The EJB way: the adapter's connection factory as the resource reference eis/checkpoint,
     * mapped to the server's binding by WEB-INF/jboss-web.xml (WildFly) or glassfish-web.xml (Payara).
     */
    @Resource(name = "eis/checkpoint")
    private CheckpointConnectionFactory checkpoints;

    /** The CDI way: a bean whose connections are injected by the API jar's producer. */
    @Inject
    private ReplicationBarrier barrier;

    @Resource
    private TimerService timerService;

    private volatile JobStatus status = JobStatus.starting(System.currentTimeMillis());
    /** Guarded by this. */
    private int restoreAttempts;
    /** Guarded by this. */
    private int checkpointsSinceBarrier;

    @PostConstruct
    void start() {
        status = JobStatus.starting(System.currentTimeMillis());
        if (onPayara()) {
            LOG.info("progress job on " + nodeName() + " ticks when the deployment group's timer fires here");
            return;
        }
        // Not persistent: a persistent timer would be stored by the server and fire again after a
        // restart on its own; the job's continuity comes from the checkpoint, not the timer.
        // The first tick (the restore) runs at once: on a failover every millisecond counts.
        timerService.createIntervalTimer(0, TICK_MILLIS, new TimerConfig("progress-job", false));
        LOG.info("progress job started on " + nodeName());
    }

    /** @return true on Payara Server, which names every server instance; there the group's timer drives the job */
    static boolean onPayara() {
        return System.getProperty("com.sun.aas.instanceName") != null;
    }

    /** @return the server's name for this node: WildFly's node name or Payara's instance name */
    static String nodeName() {
        return System.getProperty("jboss.node.name", System.getProperty("com.sun.aas.instanceName", "unknown"));
    }

    /**
     * One tick of the deployment group's timer (Payara), which fires on one instance of the group
     * at a time. The first one on this instance restores the job; so does the first one after the
     * job here was fenced (another instance took it over while the timer fired there).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public synchronized void groupTick() {
        step(ITEMS_PER_GROUP_TICK, null);
    }

    /**
     * One tick. The first ticks restore the state (so a slow or unavailable checkpoint service
     * delays the job instead of failing the deployment); later ones process items.
     */
    @Timeout
    synchronized void tick(Timer timer) {
        step(ITEMS_PER_TICK, timer);
    }

    /** @param timer the local timer to cancel when another node has taken the job over; null for group ticks */
    private void step(int items, Timer timer) {
        JobStatus current = status;
        if (current.state() == null) {
            restore();
            return;
        }
        if (current.problem() != null) {
            return; // fenced: the timer is being cancelled
        }
        ProgressState next = current.state().advance(items);
        status = current.withState(next);
        // Checkpoint whenever the tick crossed a multiple of CHECKPOINT_EVERY.
        if (next.position() / CHECKPOINT_EVERY > current.state().position() / CHECKPOINT_EVERY) {
            checkpoint(next, timer);
        }
    }

    private void restore() {
        restoreAttempts++;
        try (CheckpointConnection connection = checkpoints.getConnection()) {
            long begin = System.nanoTime();
            Optional<Checkpoint> saved = connection.load(SEGMENT);
            double millis = (System.nanoTime() - begin) / 1e6;
            if (saved.isPresent()) {
                Checkpoint checkpoint = saved.get();
                ProgressState state = ProgressState.decode(checkpoint.state());
                status = status.restored(state, new JobStatus.Restore(checkpoint.version(), state.position(),
                        checkpoint.originNode(), millis, restoreAttempts, System.currentTimeMillis()));
                LOG.info(() -> String.format("progress job resumes at position %d from %s (load took %.1f ms,"
                        + " attempt %d)", state.position(), checkpoint, millis, restoreAttempts));
            } else {
                status = status.restored(ProgressState.initial(), new JobStatus.Restore(null, 0, null, millis,
                        restoreAttempts, System.currentTimeMillis()));
                LOG.info("progress job finds no checkpoint and starts at position 0");
            }
        } catch (SegmentUnavailableException e) {
            // The checkpoint exists but no copy is reachable yet: starting at 0 would lose the
            // work, so wait and try again on the next tick.
            if (status.problem() == null || !status.problem().startsWith("waiting")) {
                LOG.warning("progress job waits for its checkpoint: " + e.getMessage());
            }
            status = status.withProblem("waiting for checkpoint: " + e.getMessage());
        }
    }

    private void checkpoint(ProgressState state, Timer timer) {
        long version;
        try (CheckpointConnection connection = checkpoints.getConnection()) {
            version = connection.write(SEGMENT, state.encode());
        } catch (StaleWriterException e) {
            // Another node has taken the job over: continuing here would fork the stream.
            if (timer == null) {
                // The group's timer is shared by the whole group and must live on: should it
                // fire here again, this instance restores first.
                LOG.warning("progress job on " + nodeName() + " was taken over elsewhere: " + e.getMessage());
                status = JobStatus.starting(System.currentTimeMillis());
                return;
            }
            LOG.severe("progress job stops, another node owns it now: " + e.getMessage());
            status = status.withProblem("stopped: " + e.getMessage());
            timer.cancel();
            return;
        } catch (CheckpointException e) {
            // The previous checkpoint is intact; the next multiple of CHECKPOINT_EVERY retries.
            LOG.log(Level.WARNING, "progress job could not checkpoint position " + state.position(), e);
            return;
        }
        status = status.withCheckpoint(version, state.position());
        if (++checkpointsSinceBarrier < BARRIER_EVERY) {
            return;
        }
        checkpointsSinceBarrier = 0;
        boolean confirmed;
        try {
            confirmed = barrier.await(SEGMENT, version, Duration.ofMillis(BARRIER_TIMEOUT_MILLIS));
        } catch (CheckpointException e) {
            LOG.log(Level.WARNING, "progress job could not wait for replication of version " + version, e);
            confirmed = false;
        }
        if (!confirmed && !status.replicationPending()) {
            LOG.warning("progress job: checkpoint version " + version + " not on the replicas within "
                    + BARRIER_TIMEOUT_MILLIS + " ms; going on, the next barrier checks again");
        } else if (confirmed && status.replicationPending()) {
            LOG.info("progress job: replication confirmed again at version " + version);
        }
        status = status.withBarrier(confirmed, version, state.position());
    }

    /** A clean shutdown keeps all the work done, not only what the last checkpoint holds. */
    @PreDestroy
    synchronized void stop() {
        JobStatus current = status;
        if (current.state() == null || current.problem() != null
                || current.state().position() == current.checkpointPosition()) {
            return;
        }
        try (CheckpointConnection connection = checkpoints.getConnection()) {
            long version = connection.write(SEGMENT, current.state().encode());
            LOG.info("progress job stopped at position " + current.state().position()
                    + ", checkpoint version " + version);
        } catch (CheckpointException e) {
            LOG.log(Level.WARNING, "progress job could not write its final checkpoint", e);
        }
    }

    /** @return the job's status now; never blocks on a running tick */
    public JobStatus status() {
        return status;
    }
}
