package io.checkpointservice.replica.it;

import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One cluster member running as its own OS process (see {@link JavaProcess}: its log file, SIGKILL
 * by PID, SIGSTOP/SIGCONT), with the cluster port other members list in their initialHosts.
 */
public abstract class ClusterProcess extends JavaProcess {

    /**
     * JVM flags every node gets: small footprint on a 2-core machine, readable one-line logs, and
     * with {@code -Dit.nodeLogging=<file>} that java.util.logging configuration (for example
     * src/test/resources/state-transfer-debug.properties, for Infinispan's state transfer at DEBUG).
     */
    static final List<String> COMMON_JVM_FLAGS = commonJvmFlags();

    private static List<String> commonJvmFlags() {
        List<String> flags = new ArrayList<>(List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n"));
        String logging = System.getProperty("it.nodeLogging");
        if (logging != null && !logging.isBlank()) {
            flags.add("-Djava.util.logging.config.file=" + Path.of(logging).toAbsolutePath());
        }
        return List.copyOf(flags);
    }

    /** Infinispan's "Received new [, MERGED] cluster view" line; group 1 is the member list. */
    private static final Pattern LOGGED_VIEW = Pattern.compile("Received new(?:, MERGED)? cluster view for channel "
            + "[^:]+: (?:MergeView::)?\\[[^\\]]*\\] \\(\\d+\\) \\[([^\\]]*)\\]");

    private final int clusterPort;

    protected ClusterProcess(String name, int clusterPort, Path logFile, List<String> command) {
        super(name, logFile, command);
        this.clusterPort = clusterPort;
    }

    /** @return the JGroups port, for other nodes' initialHosts */
    public int clusterPort() {
        return clusterPort;
    }

    /**
     * Waits until the newest cluster view this instance logged (Infinispan's ISPN000093/94 lines)
     * has exactly the {@code expected} members: for nodes without a control port.
     */
    public void awaitLoggedView(Set<String> expected, Duration timeout) {
        Set<String> wanted = new TreeSet<>(expected);
        AtomicReference<Set<String>> last = new AtomicReference<>(Set.of());
        try {
            Await.await("logged cluster view of " + name()).atMost(timeout).until(() -> {
                Matcher m = LOGGED_VIEW.matcher(log());
                while (m.find()) {
                    Set<String> members = new TreeSet<>();
                    for (String member : m.group(1).split(",\\s*")) {
                        members.add(member.replaceAll("\\(.*", "").trim());
                    }
                    last.set(members);
                }
                return last.get().equals(wanted);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("logged cluster view of " + name() + ": expected " + wanted + " within " + timeout
                    + " but the newest was " + last.get() + "; log " + logFile(), e);
        }
    }

    /** A fixed pause; see {@link Await#pause}. */
    static void sleep(long millis) {
        Await.pause(millis);
    }

    @Override
    public String toString() {
        return name() + "(pid " + pid() + ", port " + clusterPort + ")";
    }
}
