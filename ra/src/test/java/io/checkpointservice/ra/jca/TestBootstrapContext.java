package io.checkpointservice.ra.jca;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an application server hands the adapter at start, for tests without a server: a
 * WorkManager that runs every Work on a daemon thread of its own, and daemon timers. It records
 * what the adapter asked of it.
 */
final class TestBootstrapContext implements BootstrapContext {

    final List<Work> scheduled = new CopyOnWriteArrayList<>();
    final List<Timer> timers = new CopyOnWriteArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final WorkManager workManager = new ThreadPerWork();

    /** @return true when {@code work} asked for a long-running thread (JCA's hint) */
    /** @return the name the work gives in its {@link HintsContext}, or null */
    static String nameOf(Work work) {
        return work instanceof WorkContextProvider provider ? provider.getWorkContexts().stream()
                .filter(HintsContext.class::isInstance).map(c -> ((HintsContext) c).getName()).findFirst().orElse(null)
                : null;
    }

    static boolean isLongRunning(Work work) {
        return work instanceof WorkContextProvider provider && provider.getWorkContexts().stream()
                .anyMatch(c -> c instanceof HintsContext hints
                        && Boolean.TRUE.equals(hints.getHints().get(HintsContext.LONGRUNNING_HINT)));
    }

    @Override
    public WorkManager getWorkManager() {
        return workManager;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        Timer timer = new Timer("test-bootstrap-timer", true);
        timers.add(timer);
        return timer;
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        return HintsContext.class.equals(workContextClass);
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }

    private final class ThreadPerWork implements WorkManager {

        @Override
        public void doWork(Work work) {
            work.run();
        }

        @Override
        public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
            work.run();
        }

        @Override
        public long startWork(Work work) {
            scheduleWork(work);
            return 0;
        }

        @Override
        public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
            return startWork(work);
        }

        @Override
        public void scheduleWork(Work work) {
            scheduled.add(work);
            Thread thread = new Thread(work, "test-work-" + threads.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
            scheduleWork(work);
        }
    }
}
