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

    /** WildFly's node name. */
    static final String WILDFLY_NODE_NAME = "jboss.node.name";
    /** WildFly's data directory of the server. */
    static final String WILDFLY_DATA_DIR = "jboss.server.data.dir";
    /** Payara's (GlassFish's) name of the instance or domain server the JVM runs. */
    static final String PAYARA_INSTANCE_NAME = "com.sun.aas.instanceName";
    /** Payara's root directory of that instance (for a domain's server, the domain directory). */
    static final String PAYARA_INSTANCE_ROOT = "com.sun.aas.instanceRoot";
    /** The instance name of every Payara domain's own server (the DAS). */
    static final String PAYARA_DOMAIN_SERVER = "server";

    /**
     * WildFly's {@code jboss.node.name}, else Payara's instance name, else the host name, else
     * "localhost"; characters outside the node name rules become '-' and it is cut to 64, so an
     * unusual host name never stops the adapter from starting with defaults.
     */
    static String nodeName() {
        String name = System.getProperty(WILDFLY_NODE_NAME);
        if (name == null || name.isBlank()) {
            name = payaraInstanceName();
        }
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
     * Payara's instance name; for a domain's own server, which is called "server" in every domain,
     * the domain's name (its directory, the instance root), so that two domains' servers get
     * different names.
     */
    private static String payaraInstanceName() {
        String name = System.getProperty(PAYARA_INSTANCE_NAME);
        String root = System.getProperty(PAYARA_INSTANCE_ROOT);
        if (PAYARA_DOMAIN_SERVER.equals(name) && root != null && !root.isBlank()) {
            Path domain = Path.of(root).getFileName();
            return domain != null ? domain.toString() : name;
        }
        return name;
    }

    /**
     * {@code <jboss.server.data.dir>/checkpoint} inside WildFly, {@code <com.sun.aas.instanceRoot>/checkpoint}
     * inside Payara (the instance's own directory; a Payara server's working directory is its
     * config directory, no place for data), {@code <user.dir>/checkpoint-data/<node>}
     * elsewhere (a replica node started with java -jar).
     */
    static Path storageDirectory(String nodeName) {
        String dataDir = System.getProperty(WILDFLY_DATA_DIR);
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "checkpoint");
        }
        String instanceRoot = System.getProperty(PAYARA_INSTANCE_ROOT);
        if (instanceRoot != null && !instanceRoot.isBlank()) {
            return Path.of(instanceRoot, "checkpoint");
        }
        return Path.of(System.getProperty("user.dir"), "checkpoint-data", nodeName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
