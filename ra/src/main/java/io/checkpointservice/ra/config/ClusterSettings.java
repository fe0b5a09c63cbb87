package io.checkpointservice.ra.config;

import static io.checkpointservice.ra.config.Settings.BIND_ADDRESS;
import static io.checkpointservice.ra.config.Settings.BIND_PORT;
import static io.checkpointservice.ra.config.Settings.CAPACITY_FACTOR;
import static io.checkpointservice.ra.config.Settings.CHUNK_SWEEP_SECONDS;
import static io.checkpointservice.ra.config.Settings.CLUSTER_NAME;
import static io.checkpointservice.ra.config.Settings.CLUSTER_SECRET;
import static io.checkpointservice.ra.config.Settings.CLUSTER_SECRET_FILE;
import static io.checkpointservice.ra.config.Settings.DISCOVERY;
import static io.checkpointservice.ra.config.Settings.FAILURE_DETECTION_TIMEOUT_MILLIS;
import static io.checkpointservice.ra.config.Settings.GLOBAL_STORE;
import static io.checkpointservice.ra.config.Settings.GLOBAL_STORE_PASSWORD_FILE;
import static io.checkpointservice.ra.config.Settings.GLOBAL_STORE_USER;
import static io.checkpointservice.ra.config.Settings.HEARTBEAT_INTERVAL_MILLIS;
import static io.checkpointservice.ra.config.Settings.INITIAL_HOSTS;
import static io.checkpointservice.ra.config.Settings.MACHINE_ID;
import static io.checkpointservice.ra.config.Settings.MULTICAST_ADDRESS;
import static io.checkpointservice.ra.config.Settings.RACK_ID;
import static io.checkpointservice.ra.config.Settings.SITE_ID;
import static io.checkpointservice.ra.config.Settings.STOP_REMOVALS_MILLIS;
import static io.checkpointservice.ra.config.Settings.SUSPECT_VERIFY_MILLIS;
import static io.checkpointservice.ra.config.Settings.TOMBSTONE_GRACE_SECONDS;
import static io.checkpointservice.ra.config.Settings.RETAIN_VERSIONS;
import static io.checkpointservice.ra.config.Settings.MAX_RETAIN_VERSIONS;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How this node joins the checkpoint cluster: the embedded Infinispan's own JGroups channel,
 * separate from the application server's clustering (own cluster name, own ports). Each value is
 * declared in {@link Settings}.
 *
 * @param clusterName the JGroups cluster every node of one checkpoint service uses
 * @param bindAddress the address the channel binds to; 127.0.0.1 unless set
 * @param bindPort the TCP port; default 26200 plus WildFly's port offset, so nodes started with
 *     port offsets on one host do not clash
 * @param discovery how members find each other
 * @param initialHosts for static discovery: {@code host[port]} of the members to contact
 * @param siteId topology id: copies are spread over sites first
 * @param rackId topology id: then racks
 * @param machineId topology id: then machines
 * @param capacityFactor this node's share of replicas relative to others; 0 holds none
 * @param secret when set, all cluster traffic is encrypted and authenticated with a key derived
 *     from it; null only on a loopback bind address
 * @param chunkSweepPeriod how often this node removes chunks no record can point at again
 *     (leftovers of a writer's crash or of a failed removal), besides after every merge
 * @param multicastAddress the group multicast discovery sends to
 * @param failureDetection when a member that stopped answering is removed
 * @param stopRemovals how long a graceful stop waits for background chunk removals
 * @param globalStore where the global store is and how to log in there; {@link GlobalStoreSettings#NONE} for none
 * @param tombstoneGrace how long a record without data (a tombstone or a claim) stays before the
 *     cluster forgets it ({@code TombstoneCompactor})
 * @param retainVersions how many published versions of each segment are kept (the newest included): in
 *     the global store when there is one, else on the replicas
 */
public record ClusterSettings(String clusterName, String bindAddress, int bindPort, Discovery discovery,
                              List<String> initialHosts, String siteId, String rackId, String machineId,
                              float capacityFactor, ClusterSecret secret, Duration chunkSweepPeriod,
                              String multicastAddress, FailureDetection failureDetection, Duration stopRemovals,
                              GlobalStoreSettings globalStore, Duration tombstoneGrace, int retainVersions) {

    /**
     * The first port of the checkpoint cluster, before WildFly's port offset. Below Linux's
     * ephemeral range (from 32768) with room for offsets up to 6,000, so that no outgoing
     * connection can hold it when the node starts (see {@link EphemeralPortRange}).
     */
    public static final int DEFAULT_BASE_PORT = 26200;

    /**
     * Failure detection (FD_SOCK2) listens on bindPort + this. Not 100: WildFly nodes on one
     * host usually run with port offsets 100 apart, and their default bindPorts are then 100
     * apart too, so +100 would land on the next node's channel port. Infinispan's own default
     * (50000) would overflow the port range.
     */
    public static final int FAILURE_DETECTION_PORT_OFFSET = 50;

    public ClusterSettings {
        Objects.requireNonNull(clusterName);
        Objects.requireNonNull(bindAddress);
        Objects.requireNonNull(discovery);
        initialHosts = List.copyOf(initialHosts);
        Objects.requireNonNull(chunkSweepPeriod);
        Objects.requireNonNull(multicastAddress);
        Objects.requireNonNull(failureDetection);
        Objects.requireNonNull(stopRemovals);
        Objects.requireNonNull(globalStore);
        Objects.requireNonNull(tombstoneGrace);
        if (retainVersions < 1 || retainVersions > MAX_RETAIN_VERSIONS) {
            throw new IllegalArgumentException("retainVersions " + retainVersions + " is outside 1.." + MAX_RETAIN_VERSIONS);
        }
    }

    /** Settings with the defaults of multicast address, failure detection and stop timeout. */
    public ClusterSettings(String clusterName, String bindAddress, int bindPort, Discovery discovery,
                           List<String> initialHosts, String siteId, String rackId, String machineId,
                           float capacityFactor, ClusterSecret secret, Duration chunkSweepPeriod) {
        this(clusterName, bindAddress, bindPort, discovery, initialHosts, siteId, rackId, machineId, capacityFactor,
                secret, chunkSweepPeriod, MULTICAST_ADDRESS.defaultValue(), FailureDetection.DEFAULT,
                Duration.ofMillis(STOP_REMOVALS_MILLIS.defaultValue()), GlobalStoreSettings.NONE,
                Duration.ofSeconds(TOMBSTONE_GRACE_SECONDS.defaultValue()), RETAIN_VERSIONS.defaultValue());
    }

    /** @return the same settings with {@code store} as the global store */
    public ClusterSettings withGlobalStore(GlobalStoreSettings store) {
        return new ClusterSettings(clusterName, bindAddress, bindPort, discovery, initialHosts, siteId, rackId,
                machineId, capacityFactor, secret, chunkSweepPeriod, multicastAddress, failureDetection, stopRemovals,
                store, tombstoneGrace, retainVersions);
    }

    /** @return the same settings with {@code grace} as the tombstone grace period */
    public ClusterSettings withTombstoneGrace(Duration grace) {
        return new ClusterSettings(clusterName, bindAddress, bindPort, discovery, initialHosts, siteId, rackId,
                machineId, capacityFactor, secret, chunkSweepPeriod, multicastAddress, failureDetection, stopRemovals,
                globalStore, grace, retainVersions);
    }

    /** @return the same settings keeping {@code versions} published versions of each segment */
    public ClusterSettings withRetainVersions(int versions) {
        return new ClusterSettings(clusterName, bindAddress, bindPort, discovery, initialHosts, siteId, rackId,
                machineId, capacityFactor, secret, chunkSweepPeriod, multicastAddress, failureDetection, stopRemovals,
                globalStore, tombstoneGrace, versions);
    }

    /** Default of {@code chunkSweepSeconds}. */
    public static final int DEFAULT_CHUNK_SWEEP_SECONDS = CHUNK_SWEEP_SECONDS.defaultValue();

    /** How members find each other. */
    public enum Discovery {
        /** TCPPING over the listed initialHosts: works everywhere, the default. */
        STATIC,
        /** MPING: IP multicast on the local network. */
        MULTICAST
    }

    /**
     * When a member that stopped answering is removed from the cluster (JGroups FD_ALL3 and
     * VERIFY_SUSPECT2): after {@code timeout} without a heartbeat it is suspected, after
     * {@code verifySuspect} more without an answer it is gone. Until then the cluster's
     * synchronous writes wait for it, so this is the failover time of a frozen or cut-off node.
     *
     * @param heartbeatInterval how often each member says it is alive; less than {@code timeout}
     * @param timeout silence after which a member is suspected
     * @param verifySuspect how long a suspect has to answer
     */
    public record FailureDetection(Duration heartbeatInterval, Duration timeout, Duration verifySuspect) {

        public static final FailureDetection DEFAULT = new FailureDetection(
                Duration.ofMillis(HEARTBEAT_INTERVAL_MILLIS.defaultValue()),
                Duration.ofMillis(FAILURE_DETECTION_TIMEOUT_MILLIS.defaultValue()),
                Duration.ofMillis(SUSPECT_VERIFY_MILLIS.defaultValue()));

        public FailureDetection {
            // JGroups refuses to start otherwise ("interval needs to be smaller than timeout").
            if (heartbeatInterval.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException(HEARTBEAT_INTERVAL_MILLIS + " " + heartbeatInterval.toMillis()
                        + " must be less than " + FAILURE_DETECTION_TIMEOUT_MILLIS + " " + timeout.toMillis());
            }
            Objects.requireNonNull(verifySuspect);
        }
    }

    /**
     * Cluster settings of a process outside an application server (a replica node): every
     * value from its {@code -Dcheckpoint.<name>} system property, else the default.
     */
    public static ClusterSettings fromSystemProperties() {
        return parse(ConfigValues.resolve(Setting.Scope.ADAPTER, Map.of()));
    }

    /**
     * Parses raw values, reporting every problem at once.
     *
     * @param raw values by setting name, already resolved against system properties
     *     ({@link ConfigValues#resolve(Setting.Scope, Map)}); absent or null means the default
     */
    public static ClusterSettings parse(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        String bindAddress = BIND_ADDRESS.from(raw, problems);
        ClusterSecret secret = ClusterSecret.parse(raw.get(CLUSTER_SECRET.name()), raw.get(CLUSTER_SECRET_FILE.name()),
                problems);
        boolean secretConfigured = raw.get(CLUSTER_SECRET.name()) != null || raw.get(CLUSTER_SECRET_FILE.name()) != null;
        try {
            // Only loopback traffic stays on this host: anything else must be encrypted.
            if (!InetAddress.getByName(bindAddress).isLoopbackAddress() && !secretConfigured) {
                problems.add("bindAddress " + bindAddress + " is not loopback: set clusterSecret or "
                        + "clusterSecretFile so cluster traffic is authenticated and encrypted");
            }
        } catch (UnknownHostException e) {
            problems.add("bindAddress '" + bindAddress + "' does not resolve to an address of this host");
        }
        Integer port = BIND_PORT.from(raw, problems);
        int bindPort = port != null ? port : DEFAULT_BASE_PORT + portOffset(problems);
        List<String> hosts = Objects.requireNonNullElseGet(INITIAL_HOSTS.from(raw, problems),
                () -> List.of(bindAddress + "[" + bindPort + "]"));
        FailureDetection failureDetection = FailureDetection.DEFAULT;
        try {
            failureDetection = new FailureDetection(Duration.ofMillis(HEARTBEAT_INTERVAL_MILLIS.from(raw, problems)),
                    Duration.ofMillis(FAILURE_DETECTION_TIMEOUT_MILLIS.from(raw, problems)),
                    Duration.ofMillis(SUSPECT_VERIFY_MILLIS.from(raw, problems)));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        ClusterSettings settings = new ClusterSettings(CLUSTER_NAME.from(raw, problems), bindAddress, bindPort,
                DISCOVERY.from(raw, problems), hosts, SITE_ID.from(raw, problems), RACK_ID.from(raw, problems),
                MACHINE_ID.from(raw, problems), CAPACITY_FACTOR.from(raw, problems), secret,
                Duration.ofSeconds(CHUNK_SWEEP_SECONDS.from(raw, problems)), MULTICAST_ADDRESS.from(raw, problems),
                failureDetection, Duration.ofMillis(STOP_REMOVALS_MILLIS.from(raw, problems)),
                GlobalStoreSettings.parse(GLOBAL_STORE.from(raw, problems), GLOBAL_STORE_USER.from(raw, problems),
                        GLOBAL_STORE_PASSWORD_FILE.from(raw, problems), problems),
                Duration.ofSeconds(TOMBSTONE_GRACE_SECONDS.from(raw, problems)), RETAIN_VERSIONS.from(raw, problems));
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    private static int portOffset(List<String> problems) {
        String offset = System.getProperty("jboss.socket.binding.port-offset");
        if (offset == null || offset.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(offset.trim());
        } catch (NumberFormatException e) {
            problems.add("jboss.socket.binding.port-offset '" + offset + "' is not a number; set bindPort");
            return 0;
        }
    }
}
