package io.checkpointservice.it;

import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.testsupport.LogFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The WildFly nodes of arquillian.xml as the client side of a test sees them: name, ports, server
 * base directory and the operating-system process. Runs on the client only.
 */
public enum Nodes implements HttpNode {

    NODE_1("node-1", 100, "standalone.xml"),
    NODE_2("node-2", 200, "standalone.xml"),
    NODE_3("node-3", 300, "standalone.xml"),
    NODE_4("node-4", 400, "standalone.xml"),
    /** ha-1..ha-3: the three-node standalone-ha.xml cluster of the HA singleton tests. */
    HA_1("ha-1", 500, "standalone-ha.xml"),
    HA_2("ha-2", 600, "standalone-ha.xml"),
    HA_3("ha-3", 700, "standalone-ha.xml");

    private static final int BASE_HTTP_PORT = 8080;

    private final String qualifier;
    private final int portOffset;
    /** The server configuration file arquillian.xml names for the node. */
    private final String serverConfig;

    Nodes(String qualifier, int portOffset, String serverConfig) {
        this.qualifier = qualifier;
        this.portOffset = portOffset;
        this.serverConfig = serverConfig;
    }

    /** @return the Arquillian container qualifier, also the node's name */
    @Override
    public String qualifier() {
        return qualifier;
    }

    /** @return the HTTP port, 8080 plus the node's port offset */
    @Override
    public int httpPort() {
        return BASE_HTTP_PORT + portOffset;
    }

    /** @return the HTTP management port, 9990 plus the node's port offset */
    public int managementPort() {
        return 9990 + portOffset;
    }

    /** @return the node's server base directory, {@code target/nodes/<node>} */
    public Path baseDir() {
        String nodesDir = System.getProperty("nodes.dir");
        if (nodesDir == null || nodesDir.isBlank()) {
            throw new IllegalStateException("system property nodes.dir is not set; run with 'mvn verify'");
        }
        return Path.of(nodesDir, qualifier).toAbsolutePath().normalize();
    }

    /** @return the node's deployment scanner directory, {@code <base dir>/deployments} */
    public Path deploymentsDir() {
        return baseDir().resolve("deployments");
    }

    /**
     * Puts the build's server configuration back (the distribution's {@code standalone.xml}): a
     * server killed with SIGKILL keeps its deployments in its configuration and deploys them again
     * at its next start, where a test that deploys the same archives would find them a duplicate.
     * Only for the plain nodes (node-1..node-4), and only while the node is stopped.
     */
    public void resetConfiguration() {
        String jbossHome = System.getProperty("jboss.home");
        if (jbossHome == null || jbossHome.isBlank()) {
            throw new IllegalStateException("system property jboss.home is not set; run with 'mvn verify'");
        }
        Path pristine = Path.of(jbossHome, "standalone", "configuration", "standalone.xml");
        try {
            Files.copy(pristine, baseDir().resolve("configuration").resolve("standalone.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the configuration of " + qualifier, e);
        }
    }

    /** @return the node's server.log, for failure messages */
    public Path serverLog() {
        return baseDir().resolve("log").resolve("server.log");
    }

    /**
     * The configuration override for {@code ContainerController.start(name, config)}: the node's
     * base JVM arguments from the build plus {@code extraJvmArguments}, and the server
     * configuration of arquillian.xml. Arquillian keeps an override for every later start of the
     * container in the same run, also a start without one; so every start goes through this
     * method (with no extra arguments for the plain node), and a test that starts a node with
     * another configuration file replaces the {@code serverConfig} entry.
     *
     * @param extraJvmArguments such as {@code -Dcheckpoint.storageMode=disk}
     * @return a mutable map with the keys {@code javaVmArguments} and {@code serverConfig}
     */
    public Map<String, String> startConfig(String... extraJvmArguments) {
        String property = qualifier + ".jvm.args";
        String base = System.getProperty(property);
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run with 'mvn verify'");
        }
        Map<String, String> config = new HashMap<>();
        config.put("javaVmArguments", base + " " + String.join(" ", extraJvmArguments));
        config.put("serverConfig", serverConfig);
        return config;
    }

    /**
     * Finds the node's server JVM among all processes of this machine by the
     * {@code -Djboss.server.base.dir=} argument only that node's JVM has.
     *
     * @return the running server processes of this node (normally zero or one)
     */
    public List<ProcessHandle> serverProcesses() {
        String marker = "-Djboss.server.base.dir=" + baseDir();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive)
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> hasArgument(p, marker))
                    .collect(Collectors.toList());
        }
    }

    /**
     * @return the single running server process of this node
     * @throws IllegalStateException when none or several run
     */
    public ProcessHandle serverProcess() {
        List<ProcessHandle> found = serverProcesses();
        if (found.size() != 1) {
            throw new IllegalStateException("expected exactly 1 running server process of " + qualifier
                    + " (base dir " + baseDir() + "), found " + found.size() + ": "
                    + found.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", ")));
        }
        return found.get(0);
    }

    /**
     * Sends SIGKILL to every server process of this node and waits until they are gone. Used both
     * by tests that crash a node on purpose and as the last resort of cleanup.
     *
     * @param timeout how long to wait for the processes to exit
     * @return the pids killed
     */
    public List<Long> killServerProcesses(Duration timeout) {
        List<ProcessHandle> processes = serverProcesses();
        for (ProcessHandle process : processes) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("server process " + process.pid() + " of " + qualifier
                        + " did not exit within " + timeout + " after SIGKILL", e);
            }
        }
        return processes.stream().map(ProcessHandle::pid).collect(Collectors.toList());
    }

    /**
     * @param lines how many lines from the end
     * @return the last lines of the node's server.log, or a note why there are none
     */
    public String serverLogTail(int lines) {
        return LogFiles.tail(serverLog(), lines);
    }

    private static boolean hasArgument(ProcessHandle process, String argument) {
        ProcessHandle.Info info = process.info();
        if (info.arguments().isPresent()) {
            return Arrays.asList(info.arguments().get()).contains(argument);
        }
        // Without readable arguments fall back to the command line, with a word boundary after it.
        return info.commandLine()
                .map(line -> (line + " ").contains(" " + argument + " "))
                .orElse(false);
    }
}
