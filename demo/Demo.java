import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What both demos (CheckpointDemo on WildFly, PayaraDemo on Payara) do the same way: the console
 * lines, the run with its clean-up and failure report, polling the job's status, watching its
 * progress, the checks after a failover and the closing line. demo.sh compiles the files of
 * demo/ together and runs the demo it was asked for.
 */
final class Demo {

    static final long START = System.nanoTime();
    /** Set when the JVM is going down (end, failure, Ctrl-C): from then on no server may start. */
    static volatile boolean closing;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Demo() {
    }

    /** The body of a demo's main method. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs a demo: whatever it leaves running in {@code processes} (a list it fills as it starts
     * servers) is stopped when it ends, fails or is interrupted (a shutdown hook); a failure prints
     * {@code FAILED: <what>} and the tail of each server's log, and exits with 1.
     */
    static void main(List<? extends DemoProcess> processes, Body body) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (processes.stream().anyMatch(DemoProcess::isAlive)) {
                say("cleanup: SIGTERM to " + describe(processes.stream().filter(DemoProcess::isAlive).toList()));
            }
            stopAll(processes);
        }, "demo-cleanup"));
        try {
            body.run();
        } catch (Exception e) {
            if (closing) {
                return; // interrupted (Ctrl-C): the shutdown hook is stopping the servers
            }
            say("FAILED: " + (e instanceof DemoFailure ? e.getMessage() : e.toString()));
            for (DemoProcess process : processes) {
                process.printLogTail(20);
            }
            System.exit(1); // runs the shutdown hook, which stops the servers
        }
    }

    /** "node-2 (pid 123), node-3 (pid 456)" */
    static String describe(List<? extends DemoProcess> processes) {
        return processes.stream().map(p -> p.name() + " (pid " + p.pid() + ")").collect(Collectors.joining(", "));
    }

    /** SIGTERM to every live server at once (so the job does not hop from one to the next), then waits. */
    static void stopAll(List<? extends DemoProcess> processes) {
        closing = true;
        // Another round for a server that came up meanwhile (a Payara instance the DAS was starting).
        for (int round = 0; round < 3; round++) {
            List<DemoProcess> alive = processes.stream().filter(DemoProcess::isAlive).collect(Collectors.toList());
            if (alive.isEmpty()) {
                return;
            }
            if (round > 0) {
                say("cleanup: SIGTERM to " + describe(alive));
            }
            alive.forEach(DemoProcess::terminate);
            for (DemoProcess process : alive) {
                if (!process.awaitExit(Duration.ofSeconds(20))) {
                    say("cleanup: " + process.name() + " (pid " + process.pid() + ") ignored SIGTERM for 20 s: SIGKILL");
                    try {
                        process.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /**
     * Polls the status URL of every given node every 50 ms until one holds the job with a status
     * that is {@code ready}. Fails when two nodes hold it at once: the job would run twice.
     */
    static Status awaitActive(List<? extends JobNode> nodes, Duration timeout, Predicate<Status> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Status last = null;
        while (System.nanoTime() < deadline) {
            Status found = null;
            for (JobNode node : nodes) {
                node.requireAlive();
                Probe probe = node.status();
                if (probe.code() == 200) {
                    Status status = Status.parse(probe.body());
                    if (!node.runsJob(status)) {
                        continue;
                    }
                    if (found != null) {
                        throw new DemoFailure("the job runs on two nodes: " + found.raw() + " and " + probe.body());
                    }
                    found = status;
                }
            }
            if (found != null) {
                last = found;
                if (ready.test(found)) {
                    return found;
                }
            }
            Thread.sleep(50);
        }
        throw new DemoFailure("no ready status from " + nodes.stream().map(JobNode::name)
                .collect(Collectors.joining(", ")) + " within " + timeout.toSeconds() + " s"
                + (last == null ? "" : "; last: " + last.raw()));
    }

    /**
     * Prints the job's progress once a second for {@code seconds}; checks each time that it is
     * {@code expected} (and no other live node of {@code nodes}) that holds the job. Returns the
     * last status.
     */
    static Status watch(int seconds, JobNode expected, List<? extends JobNode> nodes) throws InterruptedException {
        Status last = null;
        int unanswered = 0;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            List<String> others = new ArrayList<>();
            Status status = null;
            for (JobNode node : nodes) {
                if (!node.isAlive()) {
                    continue;
                }
                Probe probe = node.status();
                Status parsed = probe.code() == 200 ? Status.parse(probe.body()) : null;
                if (node == expected) {
                    status = parsed;
                } else if (parsed != null && node.runsJob(parsed)) {
                    throw new DemoFailure("the job also runs on " + node.name() + ": " + probe.body());
                } else {
                    others.add(node.name() + ":" + (probe.code() < 0 ? "down" : parsed != null ? "idle" : probe.code()));
                }
            }
            if (status == null || status.position().isEmpty()) {
                if (++unanswered == 3) {
                    throw new DemoFailure(expected.name() + " stopped reporting progress");
                }
                continue;
            }
            last = status;
            if (last.problem() != null) {
                throw new DemoFailure("the job on " + expected.name() + " reports a problem: " + last.problem());
            }
            verifyDigest(last);
            say(String.format("  %s position=%-6d digest=%s.. checkpoint=v%d@%d replicated=%s  (%s)",
                    last.node(), last.position().get(), last.digest().substring(0, 12), last.checkpointVersion(),
                    last.checkpointPosition(),
                    (last.lastAwaitedVersion() == 0 ? "none" : "v" + last.lastAwaitedVersion() + "@"
                            + last.lastAwaitedPosition()) + (last.replicationPending() ? " (pending)" : ""),
                    String.join(" ", others)));
        }
        if (last == null) {
            throw new DemoFailure(expected.name() + " reported no progress in " + seconds + " s");
        }
        return last;
    }

    static void requireFreshStart(Status status) {
        if (status.resumedFrom() != null) {
            throw new DemoFailure("a fresh cluster resumed from checkpoint v" + status.resumedFrom()
                    + "; expected a fresh start: " + status.raw());
        }
    }

    /** The line after the SIGKILL: what the job had reached and what was confirmed replicated. */
    static String lastSeen(Status beforeKill) {
        return "last seen: position " + beforeKill.position().get() + ", checkpoint v" + beforeKill.checkpointVersion()
                + "@" + beforeKill.checkpointPosition() + ", confirmed replicated v" + beforeKill.lastAwaitedVersion()
                + "@" + beforeKill.lastAwaitedPosition();
    }

    /**
     * The checks after a failover: the job resumed (not a fresh start), from a checkpoint the killed
     * node wrote, not behind the position the replication barrier confirmed before the kill, and its
     * digest matches its position. Prints the RESUMED line.
     */
    static void checkResumed(Status resumed, Status beforeKill, String victim) {
        if (resumed.resumedFrom() == null) {
            throw new DemoFailure("the job started from 0 on " + resumed.node() + " instead of resuming: "
                    + resumed.raw());
        }
        if (resumed.resumedPosition() < beforeKill.lastAwaitedPosition()) {
            throw new DemoFailure("the job resumed at position " + resumed.resumedPosition()
                    + ", behind the last position confirmed replicated (" + beforeKill.lastAwaitedPosition()
                    + "): " + resumed.raw());
        }
        if (!victim.equals(resumed.restoredOrigin())) {
            throw new DemoFailure("the restored checkpoint was written by " + resumed.restoredOrigin()
                    + ", expected " + victim + ": " + resumed.raw());
        }
        verifyDigest(resumed);
        say("RESUMED on " + resumed.node() + " from checkpoint v" + resumed.resumedFrom() + "@"
                + resumed.resumedPosition() + " written by " + victim
                + " (memory storage: the copy came from a replica); now at " + resumed.position().get()
                + ", digest verified");
    }

    /**
     * The checks once the job ran on after the failover: new checkpoints continue the version
     * sequence, and the replication barrier cannot be met with {@code replicaCount} nodes other
     * than the writer asked for and fewer left.
     */
    static void checkContinues(Status after, Status resumed, int replicaCount, int othersLeft) {
        if (after.checkpointVersion() <= resumed.resumedFrom()) {
            throw new DemoFailure("no new checkpoint after resuming: " + after.raw());
        }
        if (after.lastAwaitedVersion() > 0) {
            throw new DemoFailure("awaitReplicated confirmed " + replicaCount + " replicas with only "
                    + nodes(othersLeft) + " other than the writer up: " + after.raw());
        }
        say("new checkpoints continue the version sequence (v" + after.checkpointVersion() + " > v"
                + resumed.resumedFrom() + ")" + (after.replicationPending() ? "; the replication barrier times out"
                        + " now, as it should: replicaCount=" + replicaCount + " asks for " + nodes(replicaCount)
                        + " other than the writer, " + othersLeft + (othersLeft == 1 ? " is" : " are") + " left" : ""));
    }

    /** "1 node", "2 nodes" */
    static String nodes(int count) {
        return count + (count == 1 ? " node" : " nodes");
    }

    /** The closing line of a run without --keep. */
    static void sayOk(double failoverSeconds, Status resumed, Status beforeKill) {
        say(String.format("DEMO OK: failover %.1f s, restore %.1f ms, resumed at %d (confirmed replicated: %d,"
                + " last checkpoint seen: %d); total %s", failoverSeconds, resumed.restoreMillis(),
                resumed.resumedPosition(), beforeKill.lastAwaitedPosition(), beforeKill.checkpointPosition(),
                seconds(START)));
    }

    /**
     * --keep: the servers left stay up until Ctrl-C (the shutdown hook stops them) or until they
     * have all stopped.
     */
    static void keep(double failoverSeconds, Status resumed, List<? extends DemoProcess> left)
            throws InterruptedException {
        say(String.format("DEMO OK: failover %.1f s, restore %.1f ms; --keep: %s keep running, Ctrl-C stops them",
                failoverSeconds, resumed.restoreMillis(), describe(left)));
        while (left.stream().anyMatch(DemoProcess::isAlive)) {
            Thread.sleep(1000);
        }
        say("the servers have stopped");
    }

    /** The digest the job reports must be the one anyone can compute for its position. */
    static void verifyDigest(Status status) {
        long position = status.position().orElseThrow();
        String expected = Digests.at(position);
        if (!expected.equals(status.digest())) {
            throw new DemoFailure("digest at position " + position + " is " + status.digest()
                    + ", expected " + expected + ": an item was skipped, repeated or reordered");
        }
    }

    /** GET {@code http://127.0.0.1:<port><path>}; code -1 when nothing answers. */
    static Probe get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Probe(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, e.toString());
        }
    }

    /** Fails with a message naming the server when something already listens on 127.0.0.1:port. */
    static void requireFree(int port, String what, String server) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DemoFailure(what + " port 127.0.0.1:" + port + " of " + server
                    + " is in use; is another demo or server running there?");
        }
    }

    static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new DemoFailure(file + " is missing: " + what);
        }
    }

    /** Prints the last {@code lines} lines of a server's log, if it has one. */
    static void printLogTail(Path log, int lines) {
        if (!Files.exists(log)) {
            return;
        }
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.out.println("--- last " + lines + " lines of " + log);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        } catch (IOException | UncheckedIOException e) {
            System.out.println("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    static String seconds(long sinceNanos) {
        return String.format("%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    static void say(String line) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - START) / 1e9, line);
        System.out.flush();
    }

    /**
     * Parses a demo's command line: the flag {@code --keep} and options with a value.
     *
     * @param valued each option with a value ("--rar") and what takes its value, in the order the
     *     message for an unknown argument lists them
     */
    static void parseOptions(String[] args, Map<String, Consumer<String>> valued, Runnable keep) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--keep")) {
                keep.run();
                continue;
            }
            Consumer<String> option = valued.get(args[i]);
            if (option == null) {
                throw new DemoFailure("unknown argument " + args[i] + "; known: " + String.join(" ", valued.keySet())
                        + " (each with a value) and --keep");
            }
            if (i + 1 == args.length) {
                throw new DemoFailure(args[i] + " needs a value");
            }
            option.accept(args[++i]);
        }
    }
}
