package io.checkpointservice.ra.config;

import io.checkpointservice.ra.store.SyncPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The node-wide settings, checked once when the adapter starts. Every value here is valid:
 * code that receives an AdapterSettings checks nothing again.
 *
 * @param nodeName this node's name in the cluster and in {@code Checkpoint.originNode()}
 * @param storageMode memory or disk
 * @param storageDirectory where disk mode keeps its files
 * @param syncPolicy how durable a disk write is when write returns
 * @param maxSegmentBytes the largest state a write accepts
 * @param replicaCount R: copies held by nodes other than the writer
 * @param replicationWorkers how many segments this node publishes in parallel
 */
public record AdapterSettings(String nodeName, StorageMode storageMode, Path storageDirectory,
                              SyncPolicy syncPolicy, int maxSegmentBytes, int replicaCount,
                              int replicationWorkers) {

    /** Largest accepted maxSegmentBytes: what one Java array holds, less headroom. */
    public static final int MAX_SEGMENT_BYTES_LIMIT = Integer.MAX_VALUE - 64;
    /** Sanity bound on replicaCount: more copies than this is a typo, not a plan. */
    public static final int MAX_REPLICA_COUNT = 16;
    /** Sanity bound on replicationWorkers: each one is a thread the server lends the adapter. */
    public static final int MAX_REPLICATION_WORKERS = 64;

    public AdapterSettings {
        Objects.requireNonNull(nodeName);
        Objects.requireNonNull(storageMode);
        Objects.requireNonNull(storageDirectory);
        Objects.requireNonNull(syncPolicy);
        if (replicationWorkers < 1 || replicationWorkers > MAX_REPLICATION_WORKERS) {
            throw new IllegalArgumentException("replicationWorkers " + replicationWorkers + " is outside 1.."
                    + MAX_REPLICATION_WORKERS);
        }
    }

    /** Settings with the default number of replication workers. */
    public AdapterSettings(String nodeName, StorageMode storageMode, Path storageDirectory,
                           SyncPolicy syncPolicy, int maxSegmentBytes, int replicaCount) {
        this(nodeName, storageMode, storageDirectory, syncPolicy, maxSegmentBytes, replicaCount,
                Defaults.REPLICATION_WORKERS);
    }

    /**
     * Turns raw property values (already resolved against system properties, null meaning
     * "use the default") into settings, reporting every problem at once.
     */
    public static AdapterSettings parse(RawSettings raw) {
        List<String> problems = new ArrayList<>();
        String nodeName = raw.nodeName() != null ? raw.nodeName() : Defaults.nodeName();
        if (!nodeName.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("nodeName '" + nodeName + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ - "
                    + "and unique in the cluster; set -D" + ConfigValues.SYSTEM_PROPERTY_PREFIX + "nodeName");
        }
        StorageMode mode = StorageMode.DISK;
        if (raw.storageMode() != null) {
            try {
                mode = StorageMode.parse(raw.storageMode());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        SyncPolicy sync = SyncPolicy.FSYNC;
        if (raw.syncPolicy() != null) {
            try {
                sync = SyncPolicy.parse(raw.syncPolicy());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        Path directory = null;
        try {
            directory = raw.storageDirectory() != null
                    ? Path.of(raw.storageDirectory()) : Defaults.storageDirectory(nodeName);
        } catch (RuntimeException e) {
            problems.add("storageDirectory '" + raw.storageDirectory() + "' is not a valid path: " + e.getMessage());
        }
        int maxBytes = ConfigValues.parseInt("maxSegmentBytes", raw.maxSegmentBytes(), Defaults.MAX_SEGMENT_BYTES,
                0, MAX_SEGMENT_BYTES_LIMIT, problems);
        int replicas = ConfigValues.parseInt("replicaCount", raw.replicaCount(), Defaults.REPLICA_COUNT,
                0, MAX_REPLICA_COUNT, problems);
        int workers = ConfigValues.parseInt("replicationWorkers", raw.replicationWorkers(), Defaults.REPLICATION_WORKERS,
                1, MAX_REPLICATION_WORKERS, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new AdapterSettings(nodeName, mode, directory, sync, maxBytes, replicas, workers);
    }

    /**
     * Settings of a process outside an application server: every value from its
     * {@code -Dcheckpoint.<name>} system property, else the default.
     *
     * @param defaultStorageMode the storage mode when none is given
     */
    public static AdapterSettings fromSystemProperties(String defaultStorageMode) {
        return parse(new RawSettings(
                ConfigValues.resolve("nodeName", null),
                ConfigValues.resolve("storageMode", defaultStorageMode),
                ConfigValues.resolve("storageDirectory", null),
                ConfigValues.resolve("syncPolicy", null),
                ConfigValues.resolve("maxSegmentBytes", null),
                ConfigValues.resolve("replicaCount", null),
                ConfigValues.resolve("replicationWorkers", null)));
    }

    /**
     * The values as configured, before defaults and checks; null means not set.
     */
    public record RawSettings(String nodeName, String storageMode, String storageDirectory,
                              String syncPolicy, String maxSegmentBytes, String replicaCount,
                              String replicationWorkers) {

        /** Raw values without replicationWorkers (its default). */
        public RawSettings(String nodeName, String storageMode, String storageDirectory,
                           String syncPolicy, String maxSegmentBytes, String replicaCount) {
            this(nodeName, storageMode, storageDirectory, syncPolicy, maxSegmentBytes, replicaCount, null);
        }
    }
}
