package io.checkpointservice.ra.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The defaults that depend on the environment the node runs in; the fixed ones are declared with
 * their settings in {@link Settings}.
 */
public final class Defaults {

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
