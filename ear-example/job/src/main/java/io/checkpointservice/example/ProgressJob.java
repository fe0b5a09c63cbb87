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
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Works through the numbered stream of {@link ProgressState}, {@value #ITEMS_PER_TICK} items
 * every {@value #TICK_MILLIS} ms, and checkpoints its position every
 * {@value #CHECKPOINT_EVERY} items to segment {@value #SEGMENT}. When it starts (after a
 * deployment, a restart or a failover) it resumes from that checkpoint, or starts at 0 when
 * there is none.
 *
 * <p>Items processed after the last checkpoint are processed again after a crash: the job is
 * at-least-once per item, and because an item's effect on the digest is deterministic the
 * digest at any position is the same whether or not the job crashed on the way.
 */
@Singleton
@Startup
// The bean guards itself: ticks and the final checkpoint are synchronized, and status() reads an
// immutable snapshot, so a status request never waits for a tick that is writing to disk.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ProgressJob {

    /** The segment holding {@link ProgressState#encode()}. */
    public static final String SEGMENT = "progress-job/state";

    static final int ITEMS_PER_TICK = 20;
    static final long TICK_MILLIS = 100;
    static final int CHECKPOINT_EVERY = 100;

    private static final Logger LOG = Logger.getLogger(ProgressJob.class.getName());

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory checkpoints;

    @Resource
    private TimerService timerService;

    private volatile JobStatus status = JobStatus.waiting("starting");

    @PostConstruct
    void start() {
        // Not persistent: a persistent timer would be stored by the server and fire again after a
        // restart on its own; the job's continuity comes from the checkpoint, not the timer.
        timerService.createIntervalTimer(TICK_MILLIS, TICK_MILLIS, new TimerConfig("progress-job", false));
    }

    /**
     * One tick. The first ticks restore the state (so a slow or unavailable checkpoint service
     * delays the job instead of failing the deployment); later ones process items.
     */
    @Timeout
    synchronized void tick(Timer timer) {
        JobStatus current = status;
        if (current.state() == null) {
            restore();
            return;
        }
        ProgressState next = current.state().advance(ITEMS_PER_TICK);
        status = current.withState(next);
        // Checkpoint whenever the tick crossed a multiple of CHECKPOINT_EVERY.
        if (next.position() / CHECKPOINT_EVERY > current.state().position() / CHECKPOINT_EVERY) {
            checkpoint(next, timer);
        }
    }

    private void restore() {
        try (CheckpointConnection connection = checkpoints.getConnection()) {
            Optional<Checkpoint> saved = connection.load(SEGMENT);
            if (saved.isPresent()) {
                Checkpoint checkpoint = saved.get();
                ProgressState state = ProgressState.decode(checkpoint.state());
                status = new JobStatus(state, checkpoint.version(), checkpoint.version(), state.position(), null);
                LOG.info(() -> "progress job resumes at position " + state.position() + " from "
                        + checkpoint);
            } else {
                status = new JobStatus(ProgressState.initial(), 0, null, 0, null);
                LOG.info("progress job finds no checkpoint and starts at position 0");
            }
        } catch (SegmentUnavailableException e) {
            // The checkpoint exists but no copy is reachable yet: starting at 0 would lose the
            // work, so wait and try again on the next tick.
            if (status.problem() == null || !status.problem().startsWith("waiting")) {
                LOG.warning("progress job waits for its checkpoint: " + e.getMessage());
            }
            status = JobStatus.waiting("waiting for checkpoint: " + e.getMessage());
        }
    }

    private void checkpoint(ProgressState state, Timer timer) {
        try (CheckpointConnection connection = checkpoints.getConnection()) {
            status = status.withWritten(connection.write(SEGMENT, state.encode()));
        } catch (StaleWriterException e) {
            // Another node has taken the job over: continuing here would fork the stream.
            LOG.severe("progress job stops, another node owns it now: " + e.getMessage());
            status = status.withProblem("stopped: " + e.getMessage());
            timer.cancel();
        } catch (CheckpointException e) {
            // The previous checkpoint is intact; the next multiple of CHECKPOINT_EVERY retries.
            LOG.log(Level.WARNING, "progress job could not checkpoint position " + state.position(), e);
        }
    }

    /** A clean shutdown keeps all the work done, not only what the last checkpoint holds. */
    @PreDestroy
    synchronized void stop() {
        JobStatus current = status;
        if (current.state() == null || current.problem() != null
                || current.state().position() % CHECKPOINT_EVERY == 0) {
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
