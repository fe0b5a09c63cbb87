package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.replication.Replicator;
import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import java.util.List;

/**
 * One replication worker on the adapter's WorkManager: the application server owns the thread,
 * as JCA asks, and is told it runs for the adapter's lifetime.
 */
final class ReplicationWork implements Work, WorkContextProvider {

    private static final long serialVersionUID = 1L;

    private final transient Replicator replicator;

    ReplicationWork(Replicator replicator) {
        this.replicator = replicator;
    }

    @Override
    public void run() {
        replicator.runWorker();
    }

    @Override
    public void release() {
        replicator.stop();
    }

    /** Asks for a long-running thread, so the short-running pool stays free for others. */
    @Override
    public List<WorkContext> getWorkContexts() {
        HintsContext hints = new HintsContext();
        hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
        hints.setName("checkpoint-replication");
        return List.of(hints);
    }
}
