package io.checkpointservice.ra.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The values a node runs with, one per adapter setting of {@link Settings}: configured, given per
 * node by {@code -Dcheckpoint.<name>}, or the default the node worked out (its host name, port
 * offset, ...). Logged once at start, so that an operator comparing nodes reads what each one
 * actually uses; a {@linkplain Setting#isSecret() secret} shows only whether it is set.
 */
public final class EffectiveSettings {

    /** What a secret setting that is set shows instead of its value. */
    public static final String MASK = "****";
    /** What a setting without a value shows. */
    static final String NONE = "none";

    private EffectiveSettings() {
    }

    /** @return the start line: {@code checkpoint node 'n' runs with nodeName=n, storageMode=disk, ...} */
    public static String line(AdapterSettings adapter, ClusterSettings cluster) {
        return "checkpoint node '" + adapter.nodeName() + "' runs with " + shown(adapter, cluster).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * @return every adapter setting's shown value by name, in the README's order; secrets masked
     * @throws IllegalStateException when a declared adapter setting has no value here (a setting
     *     added to {@link Settings} but not to this list)
     */
    public static Map<String, String> shown(AdapterSettings adapter, ClusterSettings cluster) {
        Map<Setting<?>, Object> values = values(adapter, cluster);
        Map<String, String> shown = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.of(Setting.Scope.ADAPTER)) {
            if (!values.containsKey(setting)) {
                throw new IllegalStateException("setting " + setting + " has no effective value in EffectiveSettings");
            }
            Object value = values.get(setting);
            shown.put(setting.name(), value == null ? NONE : setting.isSecret() ? MASK : show(value));
        }
        return shown;
    }

    /** The parsed value of each adapter setting, in the setting's own unit. */
    private static Map<Setting<?>, Object> values(AdapterSettings a, ClusterSettings c) {
        Map<Setting<?>, Object> v = new HashMap<>();
        v.put(Settings.NODE_NAME, a.nodeName());
        v.put(Settings.STORAGE_MODE, a.storageMode());
        v.put(Settings.STORAGE_DIRECTORY, a.storageDirectory());
        v.put(Settings.SYNC_POLICY, a.syncPolicy());
        v.put(Settings.MAX_SEGMENT_BYTES, a.maxSegmentBytes());
        v.put(Settings.REPLICA_COUNT, a.replicaCount());
        v.put(Settings.REPLICATION_WORKERS, a.replicationWorkers());
        v.put(Settings.CLUSTER_NAME, c.clusterName());
        v.put(Settings.BIND_ADDRESS, c.bindAddress());
        v.put(Settings.BIND_PORT, c.bindPort());
        v.put(Settings.DISCOVERY, c.discovery());
        v.put(Settings.INITIAL_HOSTS, c.initialHosts());
        v.put(Settings.MULTICAST_ADDRESS, c.multicastAddress());
        v.put(Settings.SITE_ID, c.siteId());
        v.put(Settings.RACK_ID, c.rackId());
        v.put(Settings.MACHINE_ID, c.machineId());
        v.put(Settings.CAPACITY_FACTOR, c.capacityFactor());
        v.put(Settings.HEARTBEAT_INTERVAL_MILLIS, c.failureDetection().heartbeatInterval().toMillis());
        v.put(Settings.FAILURE_DETECTION_TIMEOUT_MILLIS, c.failureDetection().timeout().toMillis());
        v.put(Settings.SUSPECT_VERIFY_MILLIS, c.failureDetection().verifySuspect().toMillis());
        v.put(Settings.CHUNK_SWEEP_SECONDS, c.chunkSweepPeriod().toSeconds());
        v.put(Settings.TOMBSTONE_GRACE_SECONDS, c.tombstoneGrace().toSeconds());
        v.put(Settings.RETAIN_VERSIONS, c.retainVersions());
        v.put(Settings.STOP_DRAIN_MILLIS, a.stopDrain().toMillis());
        v.put(Settings.STOP_WORKERS_MILLIS, a.stopWorkers().toMillis());
        v.put(Settings.STOP_REMOVALS_MILLIS, c.stopRemovals().toMillis());
        v.put(Settings.BACKLOG_WARN_SEGMENTS, a.backlogWarnSegments());
        v.put(Settings.UNDER_REPLICATED_WARN_SECONDS, a.underReplicatedWarnAfter().toSeconds());
        v.put(Settings.GLOBAL_STORE, c.globalStore().url());
        v.put(Settings.GLOBAL_STORE_USER, c.globalStore().user());
        v.put(Settings.GLOBAL_STORE_PASSWORD_FILE, c.globalStore().passwordFile());
        ClusterSecret secret = c.secret();
        v.put(Settings.CLUSTER_SECRET, secret != null && secret.file() == null ? secret : null);
        v.put(Settings.CLUSTER_SECRET_FILE, secret != null ? secret.file() : null);
        return v;
    }

    private static String show(Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                : Kind.show(value);
    }
}
