package io.checkpointservice.api.cdi;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Loads the segments declared with {@link PrefetchCheckpoints} while the deployment starts:
 * after CDI validated the deployment and before its startup beans run, so their first
 * {@code load} is local. Inject it to read {@link #lastReport()}.
 */
public class CheckpointPrefetchExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(CheckpointPrefetchExtension.class.getName());

    private long deploymentStartNanos;
    private final Map<String, Set<String>> namesByFactory = new LinkedHashMap<>();
    private volatile PrefetchReport lastReport;

    void deploymentStarts(@Observes BeforeBeanDiscovery event) {
        deploymentStartNanos = System.nanoTime();
    }

    <T> void collect(@Observes @WithAnnotations(PrefetchCheckpoints.class) ProcessAnnotatedType<T> type) {
        PrefetchCheckpoints declared = type.getAnnotatedType().getAnnotation(PrefetchCheckpoints.class);
        if (declared != null) {
            namesByFactory.computeIfAbsent(declared.factory(), f -> new LinkedHashSet<>())
                    .addAll(List.of(declared.value()));
        }
    }

    void prefetch(@Observes AfterDeploymentValidation event) {
        if (namesByFactory.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<String> loaded = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : namesByFactory.entrySet()) {
            prefetchFrom(entry.getKey(), entry.getValue(), loaded, absent, failed);
        }
        long end = System.nanoTime();
        PrefetchReport report = new PrefetchReport((end - deploymentStartNanos) / 1_000_000,
                (end - start) / 1_000_000, List.copyOf(loaded), List.copyOf(absent), List.copyOf(failed));
        lastReport = report;
        LOG.info(() -> "checkpoint prefetch: " + loaded.size() + " segment(s) local "
                + report.sinceDeploymentStartMillis() + " ms after deployment start (loads took "
                + report.loadMillis() + " ms); absent " + absent + (failed.isEmpty() ? "" : "; failed " + failed));
    }

    private static void prefetchFrom(String factoryName, Set<String> names, List<String> loaded,
                                     List<String> absent, List<String> failed) {
        CheckpointConnectionFactory factory;
        try {
            factory = ConnectionFactoryLookup.find(factoryName);
        } catch (CheckpointException e) {
            names.forEach(n -> failed.add(n + " (" + e.getMessage() + ")"));
            return;
        }
        try (CheckpointConnection connection = factory.getConnection()) {
            for (String name : names) {
                try {
                    if (connection.load(name).isPresent()) {
                        loaded.add(name);
                    } else {
                        absent.add(name);
                    }
                } catch (CheckpointException e) {
                    // Not fatal: the application's own load will meet the same state and decide.
                    failed.add(name + " (" + e.getMessage() + ")");
                }
            }
        } catch (CheckpointException e) {
            names.forEach(n -> failed.add(n + " (" + e.getMessage() + ")"));
        }
    }

    /** @return what the prefetch of this deployment did, or null when it declared nothing */
    public PrefetchReport lastReport() {
        return lastReport;
    }
}
