import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checkpoint service demo: three WildFly nodes form an HA cluster, the example job runs on one
 * of them as an HA singleton deployment, that node is killed with SIGKILL, WildFly starts the job on
 * another node, and the job resumes there from the checkpoint the adapter replicated.
 *
 * <p>Run from the repository root after {@code mvn install -Pdemo} (see {@code demo.sh}):
 * {@code java -cp 'ear-example/ear/target/demo-lib/*' demo/CheckpointDemo.java [--wildfly DIR]
 * [--rar FILE] [--ear FILE] [--console FILE] [--work DIR] [--port-offset N] [--watch-seconds N] [--keep]}.
 * Every node also deploys the optional console war; its status page's address is printed once the
 * cluster is up, and {@code --keep} leaves the two nodes left running at the end until Ctrl-C. A single source
 * file on purpose: Java 17's source launcher runs it without a build of its own. Besides the JDK
 * (no curl, no jq) it needs only Jakarta JSON Processing and Parsson, which the {@code demo}
 * profile copies into {@code ear-example/ear/target/demo-lib}.
 *
 * <p>Every process it starts is stopped by its PID when the demo ends, fails or is interrupted.
 */
public class CheckpointDemo {

    static final long START = System.nanoTime();
    static final int NODE_COUNT = 3;
    /** Nodes this run started; the shutdown hook stops whichever are still alive. */
    static final List<Node> NODES = new CopyOnWriteArrayList<>();
    /** Set when the JVM is going down (end, failure, Ctrl-C): from then on no node may start. */
    static volatile boolean closing;

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (NODES.stream().anyMatch(Node::isAlive)) {
                say("cleanup: SIGTERM to " + NODES.stream().filter(Node::isAlive)
                        .map(n -> n.name + " (pid " + n.pid() + ")").collect(Collectors.joining(", ")));
            }
            stopAll();
        }, "demo-cleanup"));
        try {
            Options options = Options.parse(args);
            Path home = findWildFlyHome(options.wildfly);
            requireFile(options.rar, "the resource adapter; build it with: mvn install -DskipTests");
            requireFile(options.ear, "the example EAR; build it with: mvn install -DskipTests");
            requireFile(options.console, "the console war; build it with: mvn install -DskipTests");
            for (int i = 0; i < NODE_COUNT; i++) {
                String name = "node-" + (i + 1);
                // The checkpoint cluster's ports are set explicitly (the adapter's default would be
                // 26200 + port offset) so that they read plainly in initialHosts; each node's failure
                // detection listens on a port a little above its own (see the README).
                NODES.add(new Node(name, options.portOffset + 100 * i, 26200 + options.portOffset + 10 * i, home,
                        options.work.resolve(name)));
            }
            run(options);
        } catch (Exception e) {
            if (closing) {
                return; // interrupted (Ctrl-C): the shutdown hook is stopping the nodes
            }
            say("FAILED: " + (e instanceof DemoFailure ? e.getMessage() : e.toString()));
            for (Node node : NODES) {
                node.printLogTail(20);
            }
            System.exit(1); // runs the shutdown hook, which stops the nodes
        }
    }

    static void run(Options options) throws Exception {
        Node first = NODES.get(0);
        say("WildFly " + first.home.getFileName() + ", 3 nodes with standalone-ha.xml, work directory "
                + options.work);
        say("WildFly clustering: JGroups TCP on 127.0.0.1, TCPPING on ports "
                + NODES.stream().map(n -> Integer.toString(n.jgroupsPort())).collect(Collectors.joining(","))
                + "; checkpoint cluster 'checkpoint-demo' on ports "
                + NODES.stream().map(n -> Integer.toString(n.checkpointPort())).collect(Collectors.joining(","))
                + ", replicaCount=2, memory storage");
        for (Node node : NODES) {
            node.prepare(List.of(options.rar, options.ear, options.console));
            HaConfig.patch(node.base.resolve("configuration/standalone-ha.xml"), NODES);
        }

        // 1. The first node alone: it is the only member, so the HA singleton (the job) runs here.
        //    Starting the others after it keeps the election deterministic (the oldest member wins).
        long started = System.nanoTime();
        first.start(settings(first));
        first.awaitDeployed("checkpoint-ra.rar", Duration.ofSeconds(300));
        Status alone = awaitActive(List.of(first), Duration.ofSeconds(180), s -> s.restored() || s.waiting());
        if (alone.restored()) {
            requireFreshStart(alone);
            say(first.name + " up after " + seconds(started) + ", runs the job (HA singleton), fresh start at 0");
        } else {
            // An adapter that has met no other member of its cluster cannot tell "no checkpoint"
            // from "checkpoint on nodes not reached yet" (G8), so the job waits instead of starting at 0.
            say(first.name + " up after " + seconds(started) + ", runs the job (HA singleton), which waits:"
                    + " alone, " + first.name + " cannot tell 'no checkpoint' from 'not reachable yet'");
        }

        // 2. Two more nodes join both clusters; the singleton stays where it is.
        started = System.nanoTime();
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.start(settings(node));
        }
        if (!alone.restored()) {
            Status fresh = awaitActive(List.of(first), Duration.ofSeconds(300), Status::restored);
            requireFreshStart(fresh);
            say("job started fresh at 0 once " + first.name + " met another node of the checkpoint cluster");
        }
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.awaitDeployed("checkpoint-ra.rar", Duration.ofSeconds(300));
            node.awaitDeployed("checkpoint-example.ear", Duration.ofSeconds(120));
        }
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.awaitSingletonProvider(first.name, Duration.ofSeconds(60));
        }
        first.awaitView("checkpoint-demo", NODE_COUNT, Duration.ofSeconds(60));
        say("node-2, node-3 up after " + seconds(started) + ": in WildFly's cluster (they see " + first.name
                + " as the singleton provider, their status URL answers 404) and in the checkpoint cluster ["
                + first.lastView("checkpoint-demo").orElse("?") + "]");
        // A barrier confirmed after both joined: the checkpoint is on the 2 other nodes.
        long positionNow = awaitActive(List.of(first), Duration.ofSeconds(10), Status::restored).position().get();
        Status replicated = awaitActive(List.of(first), Duration.ofSeconds(60),
                s -> s.restored() && s.lastAwaitedPosition() > positionNow);
        say("replication confirmed: checkpoint v" + replicated.lastAwaitedVersion() + " (position "
                + replicated.lastAwaitedPosition() + ") is on 2 nodes other than " + first.name);
        sayConsole(NODES);

        Status beforeKill = watch(options.watchSeconds, first);

        // 3. SIGKILL the active node: no shutdown code runs, no final checkpoint is written.
        Node victim = first;
        long pid = victim.pid();
        long killedAtNanos = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        int exit = victim.kill();
        say("SIGKILL " + victim.name + " (pid " + pid + ", exit " + exit + "); last seen: position "
                + beforeKill.position().get() + ", checkpoint v" + beforeKill.checkpointVersion() + "@"
                + beforeKill.checkpointPosition() + ", confirmed replicated v" + beforeKill.lastAwaitedVersion()
                + "@" + beforeKill.lastAwaitedPosition());

        // 4. WildFly elects another node and starts the EAR there; the job loads its checkpoint.
        List<Node> survivors = NODES.stream().filter(n -> n != victim).toList();
        Status resumed = awaitActive(survivors, Duration.ofSeconds(120), Status::restored);
        double failover = (System.nanoTime() - killedAtNanos) / 1e9;
        Node active = node(resumed.node());
        if (resumed.resumedFrom() == null) {
            throw new DemoFailure("the job started from 0 on " + active.name + " instead of resuming: "
                    + resumed.raw());
        }
        if (resumed.resumedPosition() < beforeKill.lastAwaitedPosition()) {
            throw new DemoFailure("the job resumed at position " + resumed.resumedPosition()
                    + ", behind the last position confirmed replicated (" + beforeKill.lastAwaitedPosition()
                    + "): " + resumed.raw());
        }
        if (!victim.name.equals(resumed.restoredOrigin())) {
            throw new DemoFailure("the restored checkpoint was written by " + resumed.restoredOrigin()
                    + ", expected " + victim.name + ": " + resumed.raw());
        }
        verifyDigest(resumed);
        say("RESUMED on " + active.name + " from checkpoint v" + resumed.resumedFrom() + "@"
                + resumed.resumedPosition() + " written by " + resumed.restoredOrigin()
                + " (memory storage: the copy came from a replica); now at " + resumed.position().get()
                + ", digest verified");
        say(String.format("failover %.1f s: SIGKILL -> %s elected singleton provider %s -> job started %.1f s"
                + " -> state restored %.1f s (load() took %.1f ms%s) -> first status %.1f s", failover, active.name,
                active.lastElectionMillis().map(t -> String.format("%.1f s", (t - killedAtMillis) / 1000.0)).orElse("?"),
                (resumed.startedAt() - killedAtMillis) / 1000.0, (resumed.restoredAt() - killedAtMillis) / 1000.0,
                resumed.restoreMillis(),
                resumed.restoreAttempts() > 1 ? ", attempt " + resumed.restoreAttempts() : "", failover));

        // Long enough for a barrier (every 4 checkpoints, 2 s) to time out (1 s).
        Status after = watch(Math.max(4, options.watchSeconds), active);
        if (after.checkpointVersion() <= resumed.resumedFrom()) {
            throw new DemoFailure("no new checkpoint after resuming: " + after.raw());
        }
        if (after.lastAwaitedVersion() > 0) {
            throw new DemoFailure("awaitReplicated confirmed 2 replicas with only 1 other node up: " + after.raw());
        }
        say("new checkpoints continue the version sequence (v" + after.checkpointVersion() + " > v"
                + resumed.resumedFrom() + ")" + (after.replicationPending() ? "; the replication barrier times out"
                        + " now, as it should: replicaCount=2 asks for 2 nodes other than the writer, 1 is left" : ""));

        if (options.keep) {
            // 5. --keep: the nodes stay up for a look at the status page; Ctrl-C runs the shutdown hook.
            sayConsole(survivors);
            say(String.format("DEMO OK: failover %.1f s, restore %.1f ms; --keep: %s keep running, Ctrl-C stops them",
                    failover, resumed.restoreMillis(), survivors.stream().map(n -> n.name + " (pid " + n.pid() + ")")
                            .collect(Collectors.joining(", "))));
            while (survivors.stream().anyMatch(Node::isAlive)) {
                Thread.sleep(1000);
            }
            say("the nodes have stopped");
            return;
        }
        // 5. A clean stop; the shutdown hook would do it as well, this one is visible.
        say("stopping " + survivors.stream().map(n -> n.name + " (pid " + n.pid() + ")")
                .collect(Collectors.joining(", ")) + " with SIGTERM");
        stopAll();
        say(String.format("DEMO OK: failover %.1f s, restore %.1f ms, resumed at %d (confirmed replicated: %d,"
                + " last checkpoint seen: %d); total %s", failover, resumed.restoreMillis(),
                resumed.resumedPosition(), beforeKill.lastAwaitedPosition(), beforeKill.checkpointPosition(),
                seconds(START)));
    }

    /** Where each running node's console answers (checkpoint-console.war, deployed on every node). */
    static void sayConsole(List<Node> nodes) {
        for (Node node : nodes) {
            if (node.isAlive()) {
                say("status page of " + node.name + ": http://127.0.0.1:" + node.httpPort() + "/checkpoint-console/"
                        + " (metrics: .../checkpoint-console/metrics; health: http://127.0.0.1:" + node.managementPort()
                        + "/health/ready)");
            }
        }
    }

    static void requireFreshStart(Status status) {
        if (status.resumedFrom() != null) {
            throw new DemoFailure("a fresh cluster resumed from checkpoint v" + status.resumedFrom()
                    + "; expected a fresh start: " + status.raw());
        }
    }

    /** The checkpoint adapter's settings of one node (system properties). */
    static Map<String, String> settings(Node node) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("checkpoint.nodeName", node.name);
        settings.put("checkpoint.clusterName", "checkpoint-demo");
        settings.put("checkpoint.bindAddress", "127.0.0.1");
        settings.put("checkpoint.bindPort", Integer.toString(node.checkpointPort()));
        settings.put("checkpoint.initialHosts", NODES.stream().map(n -> "127.0.0.1[" + n.checkpointPort() + "]")
                .collect(Collectors.joining(",")));
        settings.put("checkpoint.replicaCount", "2");
        settings.put("checkpoint.storageMode", "memory");
        return settings;
    }

    static Node node(String name) {
        return NODES.stream().filter(n -> n.name.equals(name)).findFirst()
                .orElseThrow(() -> new DemoFailure("status from an unknown node '" + name + "'"));
    }

    /**
     * Polls the status URL of every given node every 50 ms until one answers 200 with a status
     * that is {@code ready}. Fails when two nodes answer at once: the job would run twice.
     */
    static Status awaitActive(List<Node> nodes, Duration timeout, Predicate<Status> ready) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Status last = null;
        while (System.nanoTime() < deadline) {
            Status found = null;
            for (Node node : nodes) {
                node.requireAlive();
                Probe probe = node.status();
                if (probe.code() == 200) {
                    if (found != null) {
                        throw new DemoFailure("the job runs on two nodes: " + found.raw() + " and " + probe.body());
                    }
                    found = Status.parse(probe.body());
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
        throw new DemoFailure("no ready status from " + nodes.stream().map(n -> n.name).collect(Collectors.joining(", "))
                + " within " + timeout.toSeconds() + " s" + (last == null ? "" : "; last: " + last.raw()));
    }

    /**
     * Prints the job's progress once a second for {@code seconds}; checks each time that it is
     * {@code expected} (and no other live node) that answers. Returns the last status.
     */
    static Status watch(int seconds, Node expected) throws InterruptedException {
        Status last = null;
        int unanswered = 0;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            List<String> others = new ArrayList<>();
            Status status = null;
            for (Node node : NODES) {
                if (!node.isAlive()) {
                    continue;
                }
                Probe probe = node.status();
                if (node == expected) {
                    status = probe.code() == 200 ? Status.parse(probe.body()) : null;
                } else if (probe.code() == 200) {
                    throw new DemoFailure("the job also runs on " + node.name + ": " + probe.body());
                } else {
                    others.add(node.name + ":" + (probe.code() < 0 ? "down" : probe.code()));
                }
            }
            if (status == null || status.position().isEmpty()) {
                if (++unanswered == 3) {
                    throw new DemoFailure(expected.name + " stopped reporting progress");
                }
                continue;
            }
            last = status;
            if (last.problem() != null) {
                throw new DemoFailure("the job on " + expected.name + " reports a problem: " + last.problem());
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
            throw new DemoFailure(expected.name + " reported no progress in " + seconds + " s");
        }
        return last;
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

    /** SIGTERM to every live node at once (so the singleton does not hop from node to node), then waits. */
    static void stopAll() {
        closing = true;
        List<Node> alive = NODES.stream().filter(Node::isAlive).toList();
        alive.forEach(Node::terminate);
        for (Node node : alive) {
            if (!node.awaitExit(Duration.ofSeconds(20))) {
                say("cleanup: " + node.name + " (pid " + node.pid() + ") ignored SIGTERM for 20 s: SIGKILL");
                try {
                    node.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static Path findWildFlyHome(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("jboss-modules.jar"))) {
            return dir;
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                Optional<Path> home = children.filter(p -> Files.isRegularFile(p.resolve("jboss-modules.jar")))
                        .findFirst();
                if (home.isPresent()) {
                    return home.get();
                }
            }
        }
        throw new DemoFailure("no WildFly in " + dir + "; unpack it with: mvn install -DskipTests -Pdemo");
    }

    static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new DemoFailure(file + " is missing: " + what);
        }
    }

    static String seconds(long sinceNanos) {
        return String.format("%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    static void say(String line) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - START) / 1e9, line);
        System.out.flush();
    }

    static final class Options {
        Path wildfly = Path.of("ear-example/ear/target/wildfly");
        Path rar = Path.of("ra/target/checkpoint-ra.rar");
        Path ear = Path.of("ear-example/ear/target/checkpoint-example.ear");
        Path console = Path.of("console/target/checkpoint-console.war");
        boolean keep;
        Path work = Path.of("target/demo");
        int portOffset = 1000;
        int watchSeconds = 4;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (args[i].equals("--keep")) {
                    o.keep = true;
                    continue;
                }
                switch (args[i]) {
                    case "--wildfly" -> o.wildfly = Path.of(required(args[i], value));
                    case "--rar" -> o.rar = Path.of(required(args[i], value));
                    case "--ear" -> o.ear = Path.of(required(args[i], value));
                    case "--console" -> o.console = Path.of(required(args[i], value));
                    case "--work" -> o.work = Path.of(required(args[i], value));
                    case "--port-offset" -> o.portOffset = Integer.parseInt(required(args[i], value));
                    case "--watch-seconds" -> o.watchSeconds = Integer.parseInt(required(args[i], value));
                    default -> throw new DemoFailure("unknown argument " + args[i] + "; known: --wildfly DIR"
                            + " --rar FILE --ear FILE --console FILE --work DIR --port-offset N --watch-seconds N --keep");
                }
                i++;
            }
            o.work = o.work.toAbsolutePath().normalize();
            return o;
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new DemoFailure(option + " needs a value");
            }
            return value;
        }
    }
}

/**
 * Edits a node's copy of standalone-ha.xml for a cluster on one host's loopback. WildFly 39's
 * default channel uses the UDP stack (IP multicast), and its TCP stack discovers with MPING (also
 * multicast); neither is reliable on a loopback interface (Linux's {@code lo} has no MULTICAST
 * flag). So: the default channel uses the TCP stack, discovery is TCPPING over the three nodes'
 * {@code jgroups-tcp} ports (outbound socket bindings, which port offsets do not shift), and
 * FD_SOCK2 is added so a killed node is suspected at once rather than after FD_ALL3's timeout.
 * Each edit must find exactly the text it expects, otherwise the demo stops and says so.
 */
final class HaConfig {

    static void patch(Path xml, List<Node> nodes) throws IOException {
        String config = Files.readString(xml, StandardCharsets.UTF_8);
        config = replaceOnce(config, "<channel name=\"ee\" stack=\"udp\"", "<channel name=\"ee\" stack=\"tcp\"");
        // MicroProfile Health for the console's checks (standalone-ha.xml has only the base health subsystem).
        config = replaceOnce(config, "<extension module=\"org.wildfly.extension.microprofile.jwt-smallrye\"/>",
                "<extension module=\"org.wildfly.extension.microprofile.jwt-smallrye\"/>\n"
                        + "        <extension module=\"org.wildfly.extension.microprofile.health-smallrye\"/>");
        config = replaceOnce(config, "<subsystem xmlns=\"urn:wildfly:microprofile-jwt-smallrye:1.0\"/>",
                "<subsystem xmlns=\"urn:wildfly:microprofile-jwt-smallrye:1.0\"/>\n"
                        + "        <subsystem xmlns=\"urn:wildfly:microprofile-health-smallrye:3.0\" security-enabled=\"false\"/>");
        String bindings = nodes.stream().map(n -> "demo-jgroups-" + n.name).collect(Collectors.joining(" "));
        config = replaceOnce(config,
                "<socket-protocol type=\"MPING\" socket-binding=\"jgroups-mping\"/>\n"
                        + "                    <protocol type=\"MERGE3\"/>",
                "<socket-discovery-protocol type=\"TCPPING\" socket-bindings=\"" + bindings + "\"/>\n"
                        + "                    <protocol type=\"MERGE3\"/>\n"
                        + "                    <socket-protocol type=\"FD_SOCK2\" socket-binding=\"jgroups-tcp-fd\"/>");
        config = replaceOnce(config,
                "<socket-binding name=\"jgroups-tcp\" interface=\"private\" port=\"7600\"/>",
                "<socket-binding name=\"jgroups-tcp\" interface=\"private\" port=\"7600\"/>\n"
                        + "        <socket-binding name=\"jgroups-tcp-fd\" interface=\"private\" port=\"7650\"/>");
        StringBuilder outbound = new StringBuilder();
        for (Node node : nodes) {
            outbound.append("        <outbound-socket-binding name=\"demo-jgroups-").append(node.name)
                    .append("\">\n            <remote-destination host=\"127.0.0.1\" port=\"")
                    .append(node.jgroupsPort()).append("\"/>\n        </outbound-socket-binding>\n");
        }
        config = replaceOnce(config, "    </socket-binding-group>", outbound + "    </socket-binding-group>");
        Files.writeString(xml, config, StandardCharsets.UTF_8);
    }

    private static String replaceOnce(String text, String expected, String replacement) {
        int at = text.indexOf(expected);
        if (at < 0 || text.indexOf(expected, at + 1) >= 0) {
            throw new DemoFailure("standalone-ha.xml is not the one this demo knows (WildFly 39): expected once: "
                    + expected.strip().lines().findFirst().orElse(expected));
        }
        return text.substring(0, at) + replacement + text.substring(at + expected.length());
    }
}

/** What a GET answered: the HTTP status (-1 when nothing listens) and the body. */
record Probe(int code, String body) {
}

/**
 * One WildFly standalone server: its own base directory (configuration, deployments, data,
 * logs) over a shared WildFly installation, its own port offset, all sockets on 127.0.0.1.
 * The JVM is started directly (not through standalone.sh), so the process we hold is the
 * server itself and SIGKILL hits the server, not a wrapper script.
 */
final class Node {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern VIEW = Pattern.compile(
            "ISPN000094: Received new cluster view for channel (\\S+): \\[\\S+\\] \\((\\d+)\\) \\[([^\\]]*)\\]");

    private static final Pattern ELECTED = Pattern.compile("(?m)^(\\S+ \\S+) .*WFLYCLSN0003: (\\S+) elected as the"
            + " singleton provider of the jboss.deployment.unit.\"checkpoint-example.ear\"");

    final String name;
    final int portOffset;
    final int checkpointPort;
    final Path home;
    final Path base;
    private volatile Process process;

    Node(String name, int portOffset, int checkpointPort, Path home, Path base) {
        this.name = name;
        this.portOffset = portOffset;
        this.checkpointPort = checkpointPort;
        this.home = home.toAbsolutePath().normalize();
        this.base = base.toAbsolutePath().normalize();
    }

    int httpPort() {
        return 8080 + portOffset;
    }

    int managementPort() {
        return 9990 + portOffset;
    }

    /** WildFly's own JGroups TCP port (socket binding jgroups-tcp, 7600 + offset). */
    int jgroupsPort() {
        return 7600 + portOffset;
    }

    /** The checkpoint cluster's TCP port (its failure detection listens on this + 100). */
    int checkpointPort() {
        return checkpointPort;
    }

    /** A fresh base directory: the distribution's configuration and the given deployments. */
    void prepare(List<Path> deployments) throws IOException {
        if (Files.exists(base)) {
            deleteTree(base);
        }
        Path configuration = base.resolve("configuration");
        Files.createDirectories(configuration);
        try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, configuration.resolve(file.getFileName()));
            }
        }
        Path target = Files.createDirectories(base.resolve("deployments"));
        for (Path deployment : deployments) {
            // Copied before the server starts, so the scanner never sees a half-written file.
            Files.copy(deployment, target.resolve(deployment.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Synchronized with {@link #terminate}, so a start racing the shutdown hook cannot leave an orphan. */
    synchronized void start(Map<String, String> systemProperties) throws IOException {
        if (CheckpointDemo.closing) {
            throw new DemoFailure("not starting " + name + ": the demo is shutting down");
        }
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        requireFree(httpPort(), "http");
        requireFree(managementPort(), "management");
        requireFree(jgroupsPort(), "WildFly JGroups");
        requireFree(checkpointPort(), "checkpoint cluster");
        Path log = Files.createDirectories(base.resolve("log"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D[Standalone]", "-Xms64m", "-Xmx512m",
                "-Djava.net.preferIPv4Stack=true", "-Djava.awt.headless=true",
                "-Djboss.modules.system.pkgs=org.jboss.byteman",
                "-Djdk.serialFilter=maxbytes=10485760;maxdepth=128;maxarray=100000;maxrefs=300000",
                // The JDK module flags standalone.sh adds on Java 11+.
                "--add-exports=java.desktop/sun.awt=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.url.ldap=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.url.ldaps=ALL-UNNAMED",
                "--add-exports=jdk.naming.dns/com.sun.jndi.dns=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.security=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.management/javax.management=ALL-UNNAMED",
                "--add-opens=java.naming/javax.naming=ALL-UNNAMED",
                "-Dorg.jboss.boot.log.file=" + log.resolve("server.log"),
                "-Dlogging.configuration=file:" + base.resolve("configuration/logging.properties"),
                "-jar", home.resolve("jboss-modules.jar").toString(),
                "-mp", home.resolve("modules").toString(),
                "org.jboss.as.standalone",
                "-Djboss.home.dir=" + home,
                "-Djboss.server.base.dir=" + base,
                "-c", "standalone-ha.xml",
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.bind.address.private=127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.node.name=" + name,
                // Unique per node, as the transaction manager asks once several servers run.
                "-Djboss.tx.node.id=" + name));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve("console.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CheckpointDemo.say(name + " started, pid " + process.pid() + ", http 127.0.0.1:" + httpPort()
                + ", log " + Path.of("").toAbsolutePath().relativize(log.resolve("server.log")));
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL to the server JVM (and any child it started); returns its exit code. */
    int kill() throws InterruptedException {
        Process p = process;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly(); // SIGKILL on Linux and macOS
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new DemoFailure(name + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
        }
        return p.exitValue();
    }

    /** SIGTERM: WildFly shuts down gracefully. */
    synchronized void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
        }
    }

    boolean awaitExit(Duration timeout) {
        Process p = process;
        try {
            return p == null || p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for the deployment scanner's marker: {@code .deployed}, or fails on {@code .failed}. */
    void awaitDeployed(String deployment, Duration timeout) throws InterruptedException {
        Path deployments = base.resolve("deployments");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(deployment + ".deployed"))) {
                return;
            }
            if (Files.exists(deployments.resolve(deployment + ".failed"))) {
                throw new DemoFailure(deployment + " failed to deploy on " + name + ": "
                        + readQuietly(deployments.resolve(deployment + ".failed")));
            }
            requireAlive();
            Thread.sleep(100);
        }
        throw new DemoFailure(deployment + " not deployed on " + name + " within " + timeout.toSeconds() + " s");
    }

    /** Waits until this node's log shows a view of {@code members} members of JGroups channel {@code channel}. */
    void awaitView(String channel, int members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lastView(channel).filter(v -> v.split(",").length == members).isPresent()) {
                return;
            }
            requireAlive();
            Thread.sleep(200);
        }
        throw new DemoFailure(name + " saw no view of " + members + " members of channel '" + channel + "' within "
                + timeout.toSeconds() + " s; last: " + lastView(channel).orElse("none"));
    }

    /** @return the members of the last view of {@code channel} this node logged ("node-1, node-2") */
    Optional<String> lastView(String channel) {
        try {
            Matcher m = VIEW.matcher(Files.readString(base.resolve("log/server.log"), StandardCharsets.UTF_8));
            String last = null;
            while (m.find()) {
                if (m.group(1).equals(channel)) {
                    last = m.group(3);
                }
            }
            return Optional.ofNullable(last).map(v -> v.replaceAll("\\(v=[^)]*\\)", ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Waits until this node's log says that {@code provider} was elected to run the EAR. */
    void awaitSingletonProvider(String provider, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lastElection().filter(e -> e.group(2).equals(provider)).isPresent()) {
                return;
            }
            requireAlive();
            Thread.sleep(200);
        }
        throw new DemoFailure(name + " did not see " + provider + " elected as the singleton provider within "
                + timeout.toSeconds() + " s; last: " + lastElection().map(m -> m.group(2)).orElse("none"));
    }

    /** @return when this node logged that it now runs the singleton deployment (epoch ms), if it did */
    Optional<Long> lastElectionMillis() {
        return lastElection().filter(e -> e.group(2).equals(name)).map(e -> {
            try {
                return new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").parse(e.group(1)).getTime();
            } catch (java.text.ParseException x) {
                return null;
            }
        });
    }

    private Optional<java.util.regex.MatchResult> lastElection() {
        try {
            Matcher m = ELECTED.matcher(Files.readString(base.resolve("log/server.log"), StandardCharsets.UTF_8));
            java.util.regex.MatchResult last = null;
            while (m.find()) {
                last = m.toMatchResult();
            }
            return Optional.ofNullable(last);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @return the job's status answer: 200 on the node running the job, 404 on the others */
    Probe status() {
        return http("/checkpoint-example/api/status");
    }

    /** GET on this node's HTTP port. */
    Probe http(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
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

    void printLogTail(int lines) {
        Path log = base.resolve("log/server.log");
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

    @Override
    public String toString() {
        return name + " (port offset " + portOffset + ")";
    }

    void requireAlive() {
        Process p = process;
        if (p != null && !p.isAlive() && !CheckpointDemo.closing) {
            throw new DemoFailure(name + " exited with code " + p.exitValue() + "; see " + base.resolve("log"));
        }
    }

    private void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DemoFailure(what + " port 127.0.0.1:" + port + " of " + name
                    + " is in use; is another demo or server running there?");
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Deletes a node's base directory; refuses anything not named like one, as a safeguard. */
    private static void deleteTree(Path dir) throws IOException {
        if (!dir.getFileName().toString().matches("node-\\d+")) {
            throw new IllegalArgumentException("refusing to delete " + dir);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}

/** One answer of {@code GET /checkpoint-example/api/status}; see StatusResource in ear-example/job. */
record Status(String node, Optional<Long> position, String digest, long checkpointVersion, long checkpointPosition,
              long lastAwaitedVersion, long lastAwaitedPosition, boolean replicationPending, Long resumedFrom,
              long resumedPosition, String restoredOrigin, double restoreMillis, int restoreAttempts, long startedAt,
              long restoredAt, String problem, String raw) {

    /** @return true when the job has its state (restored or fresh) and moves on */
    boolean restored() {
        return position.isPresent();
    }

    /** @return true when the job waits for its checkpoint to become reachable */
    boolean waiting() {
        return problem != null && problem.startsWith("waiting");
    }

    /**
     * @param json one answer of the status URL: a flat object whose unknown values are null
     * @throws DemoFailure when it is not a JSON object
     */
    static Status parse(String json) {
        JsonObject f;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            f = reader.readObject();
        } catch (JsonException e) {
            throw new DemoFailure("the status is not a JSON object (" + e.getMessage() + "): " + json);
        }
        return new Status(text(f, "node"), Optional.ofNullable(number(f, "position")).map(JsonNumber::longValue),
                text(f, "digest"), orZero(f, "checkpointVersion"), orZero(f, "checkpointPosition"),
                orZero(f, "lastAwaitedVersion"), orZero(f, "lastAwaitedPosition"),
                f.get("replicationPending") == JsonValue.TRUE,
                Optional.ofNullable(number(f, "resumedFrom")).map(JsonNumber::longValue).orElse(null),
                orZero(f, "resumedPosition"), text(f, "restoredOrigin"),
                Optional.ofNullable(number(f, "restoreMillis")).map(JsonNumber::doubleValue).orElse(-1.0),
                (int) orZero(f, "restoreAttempts"), orZero(f, "startedAt"), orZero(f, "restoredAt"), text(f, "problem"),
                json);
    }

    /** @return the string at {@code key}, null when missing or null */
    private static String text(JsonObject fields, String key) {
        return fields.get(key) instanceof JsonString s ? s.getString() : null;
    }

    /** @return the number at {@code key}, null when missing or null */
    private static JsonNumber number(JsonObject fields, String key) {
        return fields.get(key) instanceof JsonNumber n ? n : null;
    }

    private static long orZero(JsonObject fields, String key) {
        JsonNumber n = number(fields, key);
        return n == null ? 0 : n.longValue();
    }
}

/**
 * The job's digest, recomputed here on purpose rather than shared with the job's code: the demo
 * checks the job's claim independently. Same rule as ProgressState in ear-example/job: start with
 * SHA-256("checkpoint-example/progress-job"); item i turns digest d into SHA-256(d || i as 8
 * bytes big-endian).
 */
final class Digests {

    static String at(long position) {
        byte[] d = sha256("checkpoint-example/progress-job".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer input = ByteBuffer.allocate(32 + 8);
        for (long i = 0; i < position; i++) {
            input.clear();
            input.put(d).putLong(i);
            d = sha256(input.array());
        }
        return HexFormat.of().formatHex(d);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

/** A check of the demo failed; the message says what was expected. */
final class DemoFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
        super(message);
    }
}
