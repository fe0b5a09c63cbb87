package io.checkpointservice.ra.threads;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link NodeThreads} of a JVM without an application server: the replica node, the benchmarks
 * and tests. The resource adapter never uses it (it refuses to start without its server's
 * BootstrapContext), so the threads created here are never the adapter's. Threads are daemons,
 * so a forgotten close does not keep a JVM alive.
 */
public final class PlainNodeThreads implements NodeThreads, AutoCloseable {

    private final String prefix;
    /** One thread for every delayed task: they are short, and run one after the other. */
    private final ScheduledThreadPoolExecutor timer;
    private final List<Runnable> releases = new CopyOnWriteArrayList<>();

    /** @param prefix starts the name of every thread, to tell the nodes of one JVM apart */
    public PlainNodeThreads(String prefix) {
        this.prefix = prefix;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> daemon(task, prefix + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void runLongLived(String name, Runnable task, Runnable release) {
        releases.add(release);
        daemon(task, prefix + "-" + name).start();
    }

    @Override
    public Scheduled runLater(String name, Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> run = timer.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> run.cancel(false);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("closed: " + name + " not scheduled", e);
        }
    }

    /** Drops the delayed tasks and releases the long-lived ones, as a server does on shutdown. */
    @Override
    public void close() {
        timer.shutdownNow();
        releases.forEach(Runnable::run);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
