package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.threads.NodeThreads;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's threads in an application server: every task runs as a Work on the adapter's
 * WorkManager, and a delayed one is started by a timer of the BootstrapContext. The timer only
 * hands the task to the WorkManager, since JCA asks timer tasks to be brief and a sweep is not.
 */
final class WorkManagerThreads implements NodeThreads, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkManagerThreads.class.getName());

    private final WorkManager workManager;
    private final Timer timer;

    WorkManagerThreads(BootstrapContext context) throws UnavailableException {
        this.workManager = context.getWorkManager();
        this.timer = context.createTimer();
    }

    @Override
    public void runLongLived(String name, Runnable task, Runnable release) {
        try {
            workManager.scheduleWork(new NodeWork(name, task, release, true));
        } catch (WorkException e) {
            throw new IllegalStateException("the WorkManager refused " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Scheduled runLater(String name, Runnable task, Duration delay) {
        TimerTask handOver = new TimerTask() {
            @Override
            public void run() {
                try {
                    workManager.scheduleWork(new NodeWork(name, task, () -> { }, false));
                } catch (WorkException | RuntimeException e) { // an exception here would end the timer
                    LOG.log(Level.FINE, name + " not run: the WorkManager refused it: " + e.getMessage(), e);
                }
            }
        };
        timer.schedule(handOver, Math.max(0, delay.toMillis())); // IllegalStateException once closed
        return handOver::cancel;
    }

    /** Drops the delayed tasks; the server releases the Work it runs when it stops the adapter. */
    @Override
    public void close() {
        timer.cancel();
    }
}
