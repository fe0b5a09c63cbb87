package io.checkpointservice.ra.config;

import static io.checkpointservice.ra.config.Settings.BACKLOG_WARN_SEGMENTS;
import static io.checkpointservice.ra.config.Settings.MAX_REPLICA_COUNT;
import static io.checkpointservice.ra.config.Settings.MAX_REPLICATION_WORKERS;
import static io.checkpointservice.ra.config.Settings.MAX_SEGMENT_BYTES;
import static io.checkpointservice.ra.config.Settings.NODE_NAME;
import static io.checkpointservice.ra.config.Settings.REPLICATION_WORKERS;
import static io.checkpointservice.ra.config.Settings.REPLICA_COUNT;
import static io.checkpointservice.ra.config.Settings.STOP_DRAIN_MILLIS;
import static io.checkpointservice.ra.config.Settings.STOP_WORKERS_MILLIS;
import static io.checkpointservice.ra.config.Settings.STORAGE_DIRECTORY;
import static io.checkpointservice.ra.config.Settings.STORAGE_MODE;
import static io.checkpointservice.ra.config.Settings.SYNC_POLICY;
import static io.checkpointservice.ra.config.Settings.UNDER_REPLICATED_WARN_SECONDS;

import io.checkpointservice.ra.store.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node-wide settings of the store, the service and its replication, checked once when the
 * adapter starts (each is declared in {@link Settings}). Every value here is valid: code that
 * receives an AdapterSettings checks nothing again.
 *
 * @param nodeName this node's name in the cluster and in {@code Checkpoint.originNode()}
 * @param storageMode memory or disk
 * @param storageDirectory where disk mode keeps its files
 * @param syncPolicy how durable a disk write is when write returns
 * @param maxSegmentBytes the largest state a write accepts
 * @param replicaCount R: copies held by nodes other than the writer
 * @param replicationWorkers how many segments this node publishes in parallel
 * @param stopDrain how long a graceful stop keeps publishing pending versions
 * @param stopWorkers how long a graceful stop then waits for the replication workers to end
 * @param backlogWarnSegments the replication backlog above which the node warns, once it stays there
 * @param underReplicatedWarnAfter how long segments may stay below R copies before the node warns
 */
public record AdapterSettings(String nodeName, StorageMode storageMode, Path storageDirectory,
                              SyncPolicy syncPolicy, int maxSegmentBytes, int replicaCount,
                              int replicationWorkers, Duration stopDrain, Duration stopWorkers,
                              int backlogWarnSegments, Duration underReplicatedWarnAfter) {

    public AdapterSettings {
        Objects.requireNonNull(nodeName);
        Objects.requireNonNull(storageMode);
        Objects.requireNonNull(storageDirectory);
        Objects.requireNonNull(syncPolicy);
        Objects.requireNonNull(stopDrain);
        Objects.requireNonNull(stopWorkers);
        Objects.requireNonNull(underReplicatedWarnAfter);
        if (replicationWorkers < 1 || replicationWorkers > MAX_REPLICATION_WORKERS) {
            throw new IllegalArgumentException("replicationWorkers " + replicationWorkers + " is outside 1.."
                    + MAX_REPLICATION_WORKERS);
        }
    }

    /** Settings with the default stop timeouts and warning thresholds. */
    public AdapterSettings(String nodeName, StorageMode storageMode, Path storageDirectory,
                           SyncPolicy syncPolicy, int maxSegmentBytes, int replicaCount, int replicationWorkers) {
        this(nodeName, storageMode, storageDirectory, syncPolicy, maxSegmentBytes, replicaCount, replicationWorkers,
                Duration.ofMillis(STOP_DRAIN_MILLIS.defaultValue()), Duration.ofMillis(STOP_WORKERS_MILLIS.defaultValue()),
                BACKLOG_WARN_SEGMENTS.defaultValue(), Duration.ofSeconds(UNDER_REPLICATED_WARN_SECONDS.defaultValue()));
    }

    /** Settings with the default number of replication workers, stop timeouts and warning thresholds. */
    public AdapterSettings(String nodeName, StorageMode storageMode, Path storageDirectory,
                           SyncPolicy syncPolicy, int maxSegmentBytes, int replicaCount) {
        this(nodeName, storageMode, storageDirectory, syncPolicy, maxSegmentBytes, replicaCount,
                REPLICATION_WORKERS.defaultValue());
    }

    /**
     * Turns raw values into settings, reporting every problem at once.
     *
     * @param raw values by setting name, already resolved against system properties
     *     ({@link ConfigValues#resolve(Setting.Scope, Map)}); absent or null means the default
     */
    public static AdapterSettings parse(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        String nodeName = Objects.requireNonNullElseGet(NODE_NAME.from(raw, problems), Defaults::nodeName);
        Path directory = Objects.requireNonNullElseGet(STORAGE_DIRECTORY.from(raw, problems),
                () -> Defaults.storageDirectory(nodeName));
        AdapterSettings settings = new AdapterSettings(nodeName, STORAGE_MODE.from(raw, problems), directory,
                SYNC_POLICY.from(raw, problems), MAX_SEGMENT_BYTES.from(raw, problems),
                REPLICA_COUNT.from(raw, problems), REPLICATION_WORKERS.from(raw, problems),
                Duration.ofMillis(STOP_DRAIN_MILLIS.from(raw, problems)),
                Duration.ofMillis(STOP_WORKERS_MILLIS.from(raw, problems)),
                BACKLOG_WARN_SEGMENTS.from(raw, problems),
                Duration.ofSeconds(UNDER_REPLICATED_WARN_SECONDS.from(raw, problems)));
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    /**
     * Settings of a process outside an application server: every value from its
     * {@code -Dcheckpoint.<name>} system property, else the default.
     *
     * @param defaultStorageMode the storage mode when none is given
     */
    public static AdapterSettings fromSystemProperties(String defaultStorageMode) {
        Map<String, String> configured = new HashMap<>();
        configured.put(STORAGE_MODE.name(), defaultStorageMode);
        return parse(ConfigValues.resolve(Setting.Scope.ADAPTER, configured));
    }
}
