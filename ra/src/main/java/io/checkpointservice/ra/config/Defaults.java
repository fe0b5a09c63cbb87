package io.checkpointservice.ra.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** The documented defaults, where they depend on the environment the node runs in. */
public final class Defaults {

    /** 64 MiB: the largest segment the design promises to carry. */
    public static final int MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
    /** R = 2: a segment survives its writer and one more node. */
    public static final int REPLICA_COUNT = 2;
    /**
     * 4 replication workers: each publish waits for the cluster twice (its chunks, 4 in flight, then the
     * record), so a few workers in parallel keep the network busy while one segment waits; more
     * only add threads once the cores or the network are saturated (docs/PERFORMANCE.md, P2/P3).
     */
    public static final int REPLICATION_WORKERS = 4;
    /** The namespace of a connection factory that names none. */
    public static final String NAMESPACE = "default";

    private Defaults() {
    }

    /**
     * WildFly's {@code jboss.node.name}, else the host name, else "localhost"; characters outside
     * the node name rules become '-' and it is cut to 64, so an unusual host name never stops
     * the adapter from starting with defaults.
     */
    static String nodeName() {
        String name = System.getProperty("jboss.node.name");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "-");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    /**
     * {@code <jboss.server.data.dir>/checkpoint} inside WildFly, {@code <user.dir>/checkpoint-data/<node>}
     * elsewhere (a replica node started with java -jar).
     */
    static Path storageDirectory(String nodeName) {
        String dataDir = System.getProperty("jboss.server.data.dir");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "checkpoint");
        }
        return Path.of(System.getProperty("user.dir"), "checkpoint-data", nodeName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
