package io.checkpointservice.ra.threads;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A task a node repeats on its {@link NodeThreads}, each run scheduled when the one before ended
 * (runs never pile up, whatever they take), until closed. A run that throws is logged and the
 * next one still comes.
 */
public final class Repeating implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Repeating.class.getName());

    private final NodeThreads threads;
    private final String name;
    private final Runnable task;
    private final Duration period;
    private volatile boolean closed;
    private volatile NodeThreads.Scheduled next = () -> { };

    private Repeating(NodeThreads threads, String name, Runnable task, Duration period) {
        this.threads = threads;
        this.name = name;
        this.task = task;
        this.period = period;
    }

    /** Runs {@code task} at once and then {@code period} after each run ended. */
    public static Repeating start(NodeThreads threads, String name, Duration period, Runnable task) {
        Repeating repeating = new Repeating(threads, name, task, period);
        repeating.schedule(Duration.ZERO);
        return repeating;
    }

    private void run() {
        try {
            if (!closed) {
                task.run();
            }
        } catch (RuntimeException e) { // the cluster may be stopping: the next run, if any, will do
            LOG.log(Level.FINE, name + " skipped a run: " + e, e);
        } finally {
            schedule(period);
        }
    }

    private void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = threads.runLater(name, this::run, delay);
        } catch (RuntimeException e) { // the embedding is taking its threads back: the node is stopping
            LOG.fine(() -> name + " not scheduled: " + e.getMessage());
        }
    }

    /** No run starts afterwards; one under way finishes. */
    @Override
    public void close() {
        closed = true;
        next.cancel();
    }
}
