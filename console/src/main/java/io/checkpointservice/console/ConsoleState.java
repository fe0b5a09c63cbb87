package io.checkpointservice.console;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the console knows: reads the nodes on request and every {@link ConsoleSettings#SAMPLE_EVERY}
 * (on the server's managed scheduler), so that the readiness rules see the time spent below R and
 * the chart has its history even while nobody looks.
 */
@ApplicationScoped
public class ConsoleState {

    private static final Logger LOG = Logger.getLogger(ConsoleState.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private final NodeReader reader = new NodeReader(ManagementFactory.getPlatformMBeanServer());
    private final ReadinessRules rules = new ReadinessRules(ConsoleSettings.belowReplicaCountLimit());
    private final History history = new History(ConsoleSettings.SAMPLES_KEPT);
    private ScheduledFuture<?> sampling;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        long every = ConsoleSettings.SAMPLE_EVERY.toMillis();
        sampling = scheduler.scheduleWithFixedDelay(this::sample, 0, every, TimeUnit.MILLISECONDS);
        LOG.info(() -> "checkpoint console started: readiness DOWN when segments stay below R copies for "
                + rules.belowReplicaCountLimit().toSeconds() + " s (" + ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS
                + "); samples every " + ConsoleSettings.SAMPLE_EVERY.toSeconds() + " s");
    }

    @PreDestroy
    void stop() {
        if (sampling != null) {
            sampling.cancel(false);
        }
    }

    /** @return the nodes now, and the verdict on them */
    public Status status() {
        long now = System.currentTimeMillis();
        NodeReader.Reading reading = reader.read();
        return new Status(now, reading, rules.observe(reading, now));
    }

    /** @return the chart's samples */
    public History history() {
        return history;
    }

    /** @return reads {@code describe} from the nodes' MBeans */
    public NodeReader reader() {
        return reader;
    }

    /** @return the readiness limit in force */
    public ReadinessRules rules() {
        return rules;
    }

    private void sample() {
        try {
            Status status = status();
            history.add(status.reading(), status.time());
        } catch (RuntimeException e) {
            // A failed sample must not end the schedule; the next one tries again.
            LOG.log(Level.FINE, "checkpoint console sample failed", e);
        }
    }
}
