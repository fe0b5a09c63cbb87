package io.checkpointservice.replica.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster member running as its own OS process, with stdout and stderr appended to its log
 * file. Killed for real: {@link #kill()} sends SIGKILL to its PID.
 */
public abstract class ClusterProcess {

    /** JVM flags every node gets: small footprint on a 2-core machine, readable one-line logs. */
    static final List<String> COMMON_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true",
            "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");

    /** Infinispan's "Received new [, MERGED] cluster view" line; group 1 is the member list. */
    private static final Pattern LOGGED_VIEW = Pattern.compile("Received new(?:, MERGED)? cluster view for channel "
            + "[^:]+: (?:MergeView::)?\\[[^\\]]*\\] \\(\\d+\\) \\[([^\\]]*)\\]");

    private final String name;
    private final int clusterPort;
    private final Path logFile;
    private final Process process;
    private final long logStart;

    protected ClusterProcess(String name, int clusterPort, Path logFile, List<String> command) {
        this.name = name;
        this.clusterPort = clusterPort;
        this.logFile = logFile;
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " starting " + name + ": "
                    + String.join(" ", abbreviated(command)) + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            this.logStart = Files.size(logFile);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        ProcessRegistry.started(process);
    }

    /** @return the java executable of the running JVM */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** @return {@code -Dcheckpoint.<key>=<value>} for every entry */
    static List<String> checkpointProperties(Map<String, String> properties) {
        List<String> flags = new ArrayList<>();
        properties.forEach((k, v) -> flags.add("-Dcheckpoint." + k + "=" + v));
        return flags;
    }

    public String name() {
        return name;
    }

    /** @return the JGroups port, for other nodes' initialHosts */
    public int clusterPort() {
        return clusterPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Sends SIGKILL without waiting for the process to be gone; {@link #kill} waits. */
    void sendKill() {
        process.destroyForcibly();
    }

    /** SIGKILL: no shutdown hook, no graceful leave, no drain. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessRegistry.ended(process);
        appendToLog("=== " + Instant.now() + " killed with SIGKILL by the test (pid " + pid() + ")");
    }

    /**
     * Waits until the process exits by itself.
     *
     * @throws AssertionError when it is still running after {@code timeout}, or exits with
     *     another status than {@code expectedStatus}
     */
    void awaitExit(Duration timeout, int expectedStatus) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") still running " + timeout
                        + " after it was asked to stop; log " + logFile + ":\n" + logTail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        ProcessRegistry.ended(process);
        if (process.exitValue() != expectedStatus) {
            throw new AssertionError(name + " exited with status " + process.exitValue() + ", expected "
                    + expectedStatus + "; log " + logFile + ":\n" + logTail(30));
        }
    }

    /**
     * SIGSTOP: the process stops answering but keeps its sockets open, as a long GC pause or a
     * hung machine does; the cluster notices only when failure detection times out. Cleanup's
     * SIGKILL ends a stopped process as well.
     */
    public void freeze() {
        signal("STOP");
        appendToLog("=== " + Instant.now() + " frozen with SIGSTOP by the test (pid " + pid() + ")");
    }

    /** SIGCONT: lets a {@link #freeze frozen} process run again. */
    public void thaw() {
        signal("CONT");
        appendToLog("=== " + Instant.now() + " thawed with SIGCONT by the test (pid " + pid() + ")");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " (" + this.name + ") failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + name + " " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills if still running; for cleanup. */
    void killQuietly() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + name + " failed: " + e);
            }
        }
        ProcessRegistry.ended(process);
    }

    /**
     * Waits until this instance's log shows a line matching {@code ready}.
     *
     * @return the match
     * @throws AssertionError when the process exits or the deadline passes, with the log's tail
     */
    protected Matcher awaitLogLine(Pattern ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String log = logSinceStart();
            Matcher m = ready.matcher(log);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with status " + process.exitValue()
                        + " before it was ready; log " + logFile + ":\n" + tail(log, 60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not ready within " + timeout + "; log " + logFile + ":\n"
                        + tail(log, 60));
            }
            sleep(50);
        }
    }

    /**
     * Waits until the newest cluster view this instance logged (Infinispan's ISPN000093/94 lines)
     * has exactly the {@code expected} members: for nodes without a control port.
     */
    public void awaitLoggedView(Set<String> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> last = Set.of();
        while (System.nanoTime() < deadline) {
            Matcher m = LOGGED_VIEW.matcher(logSinceStart());
            while (m.find()) {
                last = new TreeSet<>();
                for (String member : m.group(1).split(",\\s*")) {
                    last.add(member.replaceAll("\\(.*", "").trim());
                }
            }
            if (last.equals(new TreeSet<>(expected))) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("logged cluster view of " + name + ": expected " + new TreeSet<>(expected)
                + " within " + timeout + " but the newest was " + last + "; log " + logFile);
    }

    /** @return everything this instance logged so far (not earlier instances under the same name) */
    public String log() {
        return logSinceStart();
    }

    /** @return the last lines this instance logged, for failure messages */
    public String logTail(int lines) {
        return tail(logSinceStart(), lines);
    }

    private String logSinceStart() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is for debugging only
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", List.of(all).subList(from, all.length));
    }

    private static List<String> abbreviated(List<String> command) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            out.add(i > 0 && "-cp".equals(command.get(i - 1)) ? "<test classpath>" : arg);
        }
        return out;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ", port " + clusterPort + ")";
    }
}
