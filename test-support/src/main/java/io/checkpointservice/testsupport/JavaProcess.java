package io.checkpointservice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A program (usually a JVM, see {@link JavaCommand}) running as its own OS process, with stdout
 * and stderr appended to its log file. Killed for real: {@link #kill()} sends SIGKILL to the
 * process and every process it started. Every instance is in the {@link ProcessRegistry} until
 * it is gone, so none outlives the JVM that started it.
 */
public class JavaProcess {

    private final String name;
    private final Path logFile;
    private final Process process;
    private final long logStart;

    /**
     * Starts the process at once.
     *
     * @param name what to call it in logs and failure messages
     * @param logFile where its output goes; appended to, so one file can hold successive instances
     * @param command its command line, e.g. {@link JavaCommand#toList()}
     */
    protected JavaProcess(String name, Path logFile, List<String> command) {
        this.name = name;
        this.logFile = logFile;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " starting " + name + ": "
                    + String.join(" ", abbreviated(command)) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            this.logStart = Files.size(logFile);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // The test JVM's agent options (coverage, debugger) are not for the processes it starts.
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        ProcessRegistry.started(process);
    }

    /** Starts {@code command} as process {@code name}, its output appended to {@code logFile}. */
    public static JavaProcess start(String name, Path logFile, List<String> command) {
        return new JavaProcess(name, logFile, command);
    }

    public String name() {
        return name;
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
    public void sendKill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * SIGKILL to the process and the processes it started: no shutdown hook, no graceful leave,
     * no drain. Returns once the process is gone.
     */
    public void kill() {
        sendKill();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessRegistry.ended(process);
        appendToLog("=== " + Instant.now() + " killed with SIGKILL (pid " + pid() + ")");
    }

    /** Kills if still running; for cleanup, so it reports a failure instead of throwing it. */
    public void killQuietly() {
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
     * Waits until the process exits by itself.
     *
     * @throws AssertionError when it is still running after {@code timeout}, or exits with
     *     another status than {@code expectedStatus}
     */
    public void awaitExit(Duration timeout, int expectedStatus) {
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
     * hung machine does; peers notice only when their failure detection times out. {@link #kill}
     * ends a stopped process as well.
     */
    public void freeze() {
        signal("STOP");
        appendToLog("=== " + Instant.now() + " frozen with SIGSTOP (pid " + pid() + ")");
    }

    /** SIGCONT: lets a {@link #freeze frozen} process run again. */
    public void thaw() {
        signal("CONT");
        appendToLog("=== " + Instant.now() + " thawed with SIGCONT (pid " + pid() + ")");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal + " " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits until this instance's log shows a line matching {@code pattern}.
     *
     * @return the first match
     * @throws AssertionError when the process exits or the deadline passes, with the log's tail
     */
    public Matcher awaitLogLine(Pattern pattern, Duration timeout) {
        AtomicReference<Matcher> match = new AtomicReference<>();
        try {
            Await.await(name + " logs a line matching " + pattern).atMost(timeout).until(() -> {
                String log = log();
                Matcher m = pattern.matcher(log);
                if (m.find()) {
                    match.set(m);
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with status " + process.exitValue()
                            + " before it logged " + pattern + "; log " + logFile + ":\n" + tail(log, 60));
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            String tail = logTail(60);
            throw new AssertionError(name + " did not log " + pattern + " within " + timeout + "; log " + logFile
                    + " (" + dumpThreads() + "):\n" + tail, e);
        }
        return match.get();
    }

    /**
     * Asks the JVM for a thread dump (SIGQUIT: HotSpot prints every thread's stack to its output,
     * which is this process's log), so that a process stuck on its way somewhere shows where.
     *
     * @return where the dump went, for a failure message
     */
    public String dumpThreads() {
        if (!process.isAlive()) {
            return "no thread dump: the process has exited";
        }
        try {
            signal("QUIT");
            Thread.sleep(1_000); // the JVM writes the dump asynchronously
            return "thread dump of pid " + pid() + " appended to the log";
        } catch (IllegalStateException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** @return everything this instance logged so far (not earlier instances in the same file) */
    public String log() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the last lines this instance logged, for failure messages */
    public String logTail(int lines) {
        return tail(log(), lines);
    }

    /** Adds a line to the log file, marking what was done to the process. */
    public void appendToLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is for debugging only
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", List.of(all).subList(from, all.length));
    }

    /** The command for the log's first line, without the class path, which can be very long. */
    private static List<String> abbreviated(List<String> command) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            out.add(i > 0 && "-cp".equals(command.get(i - 1)) ? "<class path>" : arg);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ")";
    }
}
