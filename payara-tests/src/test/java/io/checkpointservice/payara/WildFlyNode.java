package io.checkpointservice.payara;

import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.testsupport.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A WildFly server started the way an administrator starts one ({@code bin/standalone.sh} of the
 * distribution the build unpacks, {@code standalone.xml}, every listener on 127.0.0.1), from a
 * server base directory of its own whose {@code deployments/} holds the adapter; it deploys what
 * is there at every start. Its checkpoint settings come from a system property of the test JVM
 * in the form Payara's domains take them ({@code checkpoint.a=x;checkpoint.b=y}), so one cluster
 * of both servers is written down once in pom.xml. Runs on the client only.
 */
final class WildFlyNode implements HttpNode {

    private static final Pattern STARTED = Pattern.compile("WFLYSRV0025|WFLYSRV0026");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final int portOffset;
    private final String settingsProperty;
    private JavaProcess process;

    /**
     * @param name the node's name (its checkpoint node name is set in its settings)
     * @param portOffset WildFly's {@code jboss.socket.binding.port-offset}
     * @param settingsProperty the test JVM's system property with the node's checkpoint settings
     */
    WildFlyNode(String name, int portOffset, String settingsProperty) {
        this.name = name;
        this.portOffset = portOffset;
        this.settingsProperty = settingsProperty;
    }

    @Override
    public String qualifier() {
        return name;
    }

    /** @return 8080 plus the port offset */
    @Override
    public int httpPort() {
        return 8080 + portOffset;
    }

    /** @return {@code mixed.wildfly.dir}, the server base directory the build prepared */
    Path baseDir() {
        return Path.of(required("mixed.wildfly.dir")).toAbsolutePath().normalize();
    }

    /** Puts {@code war} into {@code deployments/}, to be deployed at the next start. */
    void addDeployment(WebArchive war) {
        war.as(ZipExporter.class).exportTo(baseDir().resolve("deployments").resolve(war.getName()).toFile(), true);
    }

    /** Starts the server; {@link #awaitStarted} waits for it. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " runs already: " + process);
        }
        Path standalone = Path.of(required("wildfly.home"), "bin", "standalone.sh");
        List<String> command = new ArrayList<>(List.of("/bin/sh", standalone.toString(),
                "-c", "standalone.xml",
                "-Djboss.server.base.dir=" + baseDir(),
                "-Djboss.node.name=" + name,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djava.net.preferIPv4Stack=true"));
        for (String setting : required(settingsProperty).split(";")) {
            if (!setting.isBlank()) {
                command.add("-D" + setting.trim());
            }
        }
        process = JavaProcess.start(name, baseDir().resolve("console.log"), command);
    }

    /**
     * Waits until the server has started and deployed everything in {@code deployments/}.
     *
     * @throws AssertionError when it does not start in time, exits, or starts with a failed deployment
     */
    void awaitStarted() {
        String line = process.awaitLogLine(STARTED, START_TIMEOUT).group();
        if (line.contains("WFLYSRV0026")) {
            throw new AssertionError(name + " started with errors (a deployment failed); log "
                    + process.logFile() + ":\n" + process.logTail(60));
        }
        try (Stream<Path> markers = Files.list(baseDir().resolve("deployments"))) {
            List<String> failed = markers.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".failed")).toList();
            if (!failed.isEmpty()) {
                throw new AssertionError(name + ": deployments failed " + failed + "; log:\n" + process.logTail(60));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + baseDir().resolve("deployments"), e);
        }
    }

    /** SIGKILL of the server JVM and its start script; returns once both are gone. */
    long kill() {
        long pid = process.pid();
        process.kill();
        return pid;
    }

    /** For cleanup: kills the server if it still runs. */
    void killQuietly() {
        if (process != null) {
            process.killQuietly();
        }
    }

    /** @return the end of this start's console output, for failure messages */
    String logTail(int lines) {
        return process == null ? "(" + name + " never started)" : process.logTail(lines);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run with 'mvn verify'");
        }
        return value;
    }
}
