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
    /** The namespace of a connection factory that names none. */
    public static final String NAMESPACE = "default";

    private Defaults() {
    }

    /** WildFly's {@code jboss.node.name}, else the host name, else "localhost". */
    static String nodeName() {
        String jboss = System.getProperty("jboss.node.name");
        if (jboss != null && !jboss.isBlank()) {
            return jboss;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
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
