package io.checkpointservice.ra.jca;

import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import java.util.List;

/**
 * A task of the node as a JCA Work: the application server owns the thread, as JCA asks. A
 * long-running one (a replication worker) says so, so that the server's short-running pool stays
 * free for others.
 */
final class NodeWork implements Work, WorkContextProvider {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final boolean longRunning;
    private final transient Runnable task;
    private final transient Runnable release;

    NodeWork(String name, Runnable task, Runnable release, boolean longRunning) {
        this.name = name;
        this.task = task;
        this.release = release;
        this.longRunning = longRunning;
    }

    @Override
    public void run() {
        task.run();
    }

    @Override
    public void release() {
        release.run();
    }

    @Override
    public List<WorkContext> getWorkContexts() {
        HintsContext hints = new HintsContext();
        if (longRunning) {
            hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
        }
        hints.setName(name);
        return List.of(hints);
    }
}
