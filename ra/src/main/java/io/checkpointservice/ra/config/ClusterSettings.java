package io.checkpointservice.ra.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How this node joins the checkpoint cluster: the embedded Infinispan's own JGroups channel,
 * separate from the application server's clustering (own cluster name, own ports).
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
 * @param chunkSweepPeriod how often this node removes chunks no record can point at again
 *     (leftovers of a writer's crash or of a failed removal), besides after every merge
 * @param secret when set, all cluster traffic is encrypted and authenticated with a key derived
 *     from it; null only on a loopback bind address
 */
public record ClusterSettings(String clusterName, String bindAddress, int bindPort, Discovery discovery,
                              List<String> initialHosts, String siteId, String rackId, String machineId,
                              float capacityFactor, ClusterSecret secret, Duration chunkSweepPeriod) {

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
    }

    /** Default of {@code chunkSweepSeconds}. */
    public static final int DEFAULT_CHUNK_SWEEP_SECONDS = 600;

    /** How members find each other. */
    public enum Discovery {
        /** TCPPING over the listed initialHosts: works everywhere, the default. */
        STATIC,
        /** MPING: IP multicast on the local network. */
        MULTICAST;

        static Discovery parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("discovery '" + value + "' is not one of: static, multicast");
            }
        }
    }

    /** Names of the config properties (and {@code checkpoint.<name>} system properties) read here. */
    public static final List<String> PROPERTY_NAMES = List.of("clusterName", "bindAddress", "bindPort",
            "discovery", "initialHosts", "siteId", "rackId", "machineId", "capacityFactor", "clusterSecret",
            "clusterSecretFile", "chunkSweepSeconds");

    /**
     * Cluster settings of a process outside an application server (a replica node): every
     * value from its {@code -Dcheckpoint.<name>} system property, else the default.
     */
    public static ClusterSettings fromSystemProperties() {
        Map<String, String> raw = new HashMap<>();
        for (String property : PROPERTY_NAMES) {
            String value = ConfigValues.resolve(property, null);
            if (value != null) {
                raw.put(property, value);
            }
        }
        return parse(raw);
    }

    /**
     * Parses raw values keyed by config property name (already resolved against system
     * properties; absent or null means default), reporting every problem at once.
     */
    public static ClusterSettings parse(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        String clusterName = value(raw, "clusterName", "checkpoint-service");
        if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("clusterName '" + clusterName + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        String bindAddress = value(raw, "bindAddress", "127.0.0.1");
        ClusterSecret secret = ClusterSecret.parse(raw.get("clusterSecret"), raw.get("clusterSecretFile"), problems);
        boolean secretConfigured = raw.get("clusterSecret") != null || raw.get("clusterSecretFile") != null;
        try {
            // Only loopback traffic stays on this host: anything else must be encrypted.
            if (!InetAddress.getByName(bindAddress).isLoopbackAddress() && !secretConfigured) {
                problems.add("bindAddress " + bindAddress + " is not loopback: set clusterSecret or "
                        + "clusterSecretFile so cluster traffic is authenticated and encrypted");
            }
        } catch (UnknownHostException e) {
            problems.add("bindAddress '" + bindAddress + "' does not resolve to an address of this host");
        }
        int bindPort = DEFAULT_BASE_PORT + portOffset(problems);
        String port = raw.get("bindPort");
        if (port != null) {
            bindPort = parsePort("bindPort", port, problems);
        }
        Discovery discovery = Discovery.STATIC;
        try {
            discovery = Discovery.parse(value(raw, "discovery", "static"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        List<String> hosts = new ArrayList<>();
        String initialHosts = raw.get("initialHosts");
        if (initialHosts == null) {
            hosts.add(bindAddress + "[" + bindPort + "]");
        } else {
            for (String host : initialHosts.split(",")) {
                String h = host.trim();
                if (h.isEmpty()) {
                    continue;
                }
                if (!h.matches("[A-Za-z0-9.:_-]+\\[\\d{1,5}]")) {
                    problems.add("initialHosts entry '" + h + "' is not host[port], e.g. 127.0.0.1[26200]");
                } else {
                    hosts.add(h);
                }
            }
        }
        float capacity = 1.0f;
        String capacityValue = raw.get("capacityFactor");
        if (capacityValue != null) {
            try {
                capacity = Float.parseFloat(capacityValue);
                if (!(capacity >= 0 && capacity <= 1000)) {
                    problems.add("capacityFactor " + capacityValue + " is outside 0..1000");
                }
            } catch (NumberFormatException e) {
                problems.add("capacityFactor '" + capacityValue + "' is not a number");
            }
        }
        int sweepSeconds = ConfigValues.parseInt("chunkSweepSeconds", raw.get("chunkSweepSeconds"),
                DEFAULT_CHUNK_SWEEP_SECONDS, 1, 86_400, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new ClusterSettings(clusterName, bindAddress, bindPort, discovery, hosts,
                raw.get("siteId"), raw.get("rackId"), raw.get("machineId"), capacity, secret,
                Duration.ofSeconds(sweepSeconds));
    }

    private static String value(Map<String, String> raw, String key, String defaultValue) {
        String v = raw.get(key);
        return v == null ? defaultValue : v;
    }

    private static int parsePort(String name, String value, List<String> problems) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                problems.add(name + " " + p + " is outside 1..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            problems.add(name + " '" + value + "' is not a port number");
            return 0;
        }
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
