import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checkpoint service demo: three WildFly nodes form an HA cluster, the example job runs on one
 * of them as an HA singleton deployment, that node is killed with SIGKILL, WildFly starts the job on
 * another node, and the job resumes there from the checkpoint the adapter replicated.
 *
 * <p>Run from the repository root by {@code ./demo.sh}, which builds what it needs, compiles the
 * files of demo/ and runs this class: {@code [--wildfly DIR] [--rar FILE] [--ear FILE] [--console FILE]
 * [--work DIR] [--port-offset N] [--watch-seconds N] [--keep]}. Every node also deploys the optional
 * console war; its status page's address is printed once the cluster is up, and {@code --keep}
 * leaves the two nodes left running at the end until Ctrl-C. What it shares with PayaraDemo
 * (status polling, progress watch, the checks after the failover, clean-up) is in Demo. Besides
 * the JDK (no curl, no jq) it needs only Jakarta JSON Processing and Parsson, which the
 * {@code demo} profile copies into {@code ear-example/ear/target/demo-lib}.
 *
 * <p>Every process it starts is stopped by its PID when the demo ends, fails or is interrupted.
 */
public class CheckpointDemo {

    static final int NODE_COUNT = 3;
    /** Nodes this run started; the shutdown hook stops whichever are still alive. */
    static final List<Node> NODES = new CopyOnWriteArrayList<>();

    public static void main(String[] args) {
        Demo.main(NODES, () -> {
            Options options = Options.parse(args);
            Path home = findWildFlyHome(options.wildfly);
            Demo.requireFile(options.rar, "the resource adapter; build it with ./demo.sh");
            Demo.requireFile(options.ear, "the example EAR; build it with ./demo.sh");
            Demo.requireFile(options.console, "the console war; build it with ./demo.sh");
            for (int i = 0; i < NODE_COUNT; i++) {
                String name = "node-" + (i + 1);
                // The checkpoint cluster's ports are set explicitly (the adapter's default would be
                // 26200 + port offset) so that they read plainly in initialHosts; each node's failure
                // detection listens on a port a little above its own (see the README).
                NODES.add(new Node(name, options.portOffset + 100 * i, 26200 + options.portOffset + 10 * i, home,
                        options.work.resolve(name)));
            }
            run(options);
        });
    }

    static void run(Options options) throws Exception {
        Node first = NODES.get(0);
        Demo.say("WildFly " + first.home.getFileName() + ", 3 nodes with standalone-ha.xml, work directory "
                + options.work);
        Demo.say("WildFly clustering: JGroups TCP on 127.0.0.1, TCPPING on ports "
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
        Status alone = Demo.awaitActive(List.of(first), Duration.ofSeconds(180), s -> s.restored() || s.waiting());
        if (alone.restored()) {
            Demo.requireFreshStart(alone);
            Demo.say(first.name + " up after " + Demo.seconds(started) + ", runs the job (HA singleton), fresh start at 0");
        } else {
            // An adapter that has met no other member of its cluster cannot tell "no checkpoint"
            // from "checkpoint on nodes not reached yet" (G8), so the job waits instead of starting at 0.
            Demo.say(first.name + " up after " + Demo.seconds(started) + ", runs the job (HA singleton), which waits:"
                    + " alone, " + first.name + " cannot tell 'no checkpoint' from 'not reachable yet'");
        }

        // 2. Two more nodes join both clusters; the singleton stays where it is.
        started = System.nanoTime();
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.start(settings(node));
        }
        if (!alone.restored()) {
            Status fresh = Demo.awaitActive(List.of(first), Duration.ofSeconds(300), Status::restored);
            Demo.requireFreshStart(fresh);
            Demo.say("job started fresh at 0 once " + first.name + " met another node of the checkpoint cluster");
        }
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.awaitDeployed("checkpoint-ra.rar", Duration.ofSeconds(300));
            node.awaitDeployed("checkpoint-example.ear", Duration.ofSeconds(120));
        }
        for (Node node : NODES.subList(1, NODE_COUNT)) {
            node.awaitSingletonProvider(first.name, Duration.ofSeconds(60));
        }
        first.awaitView("checkpoint-demo", NODE_COUNT, Duration.ofSeconds(60));
        Demo.say("node-2, node-3 up after " + Demo.seconds(started) + ": in WildFly's cluster (they see " + first.name
                + " as the singleton provider, their status URL answers 404) and in the checkpoint cluster ["
                + first.lastView("checkpoint-demo").orElse("?") + "]");
        // A barrier confirmed after both joined: the checkpoint is on the 2 other nodes.
        long positionNow = Demo.awaitActive(List.of(first), Duration.ofSeconds(10), Status::restored).position().get();
        Status replicated = Demo.awaitActive(List.of(first), Duration.ofSeconds(60),
                s -> s.restored() && s.lastAwaitedPosition() > positionNow);
        Demo.say("replication confirmed: checkpoint v" + replicated.lastAwaitedVersion() + " (position "
                + replicated.lastAwaitedPosition() + ") is on 2 nodes other than " + first.name);
        sayConsole(NODES);

        Status beforeKill = Demo.watch(options.watchSeconds, first, NODES);

        // 3. SIGKILL the active node: no shutdown code runs, no final checkpoint is written.
        Node victim = first;
        long pid = victim.pid();
        long killedAtNanos = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        int exit = victim.kill();
        Demo.say("SIGKILL " + victim.name + " (pid " + pid + ", exit " + exit + "); " + Demo.lastSeen(beforeKill));

        // 4. WildFly elects another node and starts the EAR there; the job loads its checkpoint.
        List<Node> survivors = NODES.stream().filter(n -> n != victim).toList();
        Status resumed = Demo.awaitActive(survivors, Duration.ofSeconds(120), Status::restored);
        double failover = (System.nanoTime() - killedAtNanos) / 1e9;
        Node active = node(resumed.node());
        Demo.checkResumed(resumed, beforeKill, victim.name);
        Demo.say(String.format("failover %.1f s: SIGKILL -> %s elected singleton provider %s -> job started %.1f s"
                + " -> state restored %.1f s (load() took %.1f ms%s) -> first status %.1f s", failover, active.name,
                active.lastElectionMillis().map(t -> String.format("%.1f s", (t - killedAtMillis) / 1000.0)).orElse("?"),
                (resumed.startedAt() - killedAtMillis) / 1000.0, (resumed.restoredAt() - killedAtMillis) / 1000.0,
                resumed.restoreMillis(),
                resumed.restoreAttempts() > 1 ? ", attempt " + resumed.restoreAttempts() : "", failover));

        // Long enough for a barrier (every 4 checkpoints, 2 s) to time out (1 s).
        Status after = Demo.watch(Math.max(4, options.watchSeconds), active, NODES);
        Demo.checkContinues(after, resumed, 2, 1);

        if (options.keep) {
            // 5. --keep: the nodes stay up for a look at the status page; Ctrl-C runs the shutdown hook.
            sayConsole(survivors);
            Demo.keep(failover, resumed, survivors);
            return;
        }
        // 5. A clean stop; the shutdown hook would do it as well, this one is visible.
        Demo.say("stopping " + Demo.describe(survivors) + " with SIGTERM");
        Demo.stopAll(NODES);
        Demo.sayOk(failover, resumed, beforeKill);
    }

    /** Where each running node's console answers (checkpoint-console.war, deployed on every node). */
    static void sayConsole(List<Node> nodes) {
        for (Node node : nodes) {
            if (node.isAlive()) {
                Demo.say("status page of " + node.name + ": http://127.0.0.1:" + node.httpPort() + "/checkpoint-console/"
                        + " (metrics: .../checkpoint-console/metrics; health: http://127.0.0.1:" + node.managementPort()
                        + "/health/ready)");
            }
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
        throw new DemoFailure("no WildFly in " + dir + "; ./demo.sh unpacks it");
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
            Map<String, Consumer<String>> valued = new LinkedHashMap<>();
            valued.put("--wildfly", v -> o.wildfly = Path.of(v));
            valued.put("--rar", v -> o.rar = Path.of(v));
            valued.put("--ear", v -> o.ear = Path.of(v));
            valued.put("--console", v -> o.console = Path.of(v));
            valued.put("--work", v -> o.work = Path.of(v));
            valued.put("--port-offset", v -> o.portOffset = Integer.parseInt(v));
            valued.put("--watch-seconds", v -> o.watchSeconds = Integer.parseInt(v));
            Demo.parseOptions(args, valued, () -> o.keep = true);
            o.work = o.work.toAbsolutePath().normalize();
            return o;
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

/**
 * One WildFly standalone server: its own base directory (configuration, deployments, data,
 * logs) over a shared WildFly installation, its own port offset, all sockets on 127.0.0.1.
 * The JVM is started directly (not through standalone.sh), so the process we hold is the
 * server itself and SIGKILL hits the server, not a wrapper script.
 */
final class Node implements JobNode {

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
        if (Demo.closing) {
            throw new DemoFailure("not starting " + name + ": the demo is shutting down");
        }
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Demo.requireFree(httpPort(), "http", name);
        Demo.requireFree(managementPort(), "management", name);
        Demo.requireFree(jgroupsPort(), "WildFly JGroups", name);
        Demo.requireFree(checkpointPort(), "checkpoint cluster", name);
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
        Demo.say(name + " started, pid " + process.pid() + ", http 127.0.0.1:" + httpPort()
                + ", log " + Path.of("").toAbsolutePath().relativize(log.resolve("server.log")));
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL to the server JVM (and any child it started); returns its exit code. */
    @Override
    public int kill() throws InterruptedException {
        Process p = process;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly(); // SIGKILL on Linux and macOS
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new DemoFailure(name + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
        }
        return p.exitValue();
    }

    /** SIGTERM: WildFly shuts down gracefully. */
    @Override
    public synchronized void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
        }
    }

    @Override
    public boolean awaitExit(Duration timeout) {
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
    @Override
    public Probe status() {
        return Demo.get(httpPort(), "/checkpoint-example/api/status");
    }

    @Override
    public void printLogTail(int lines) {
        Demo.printLogTail(base.resolve("log/server.log"), lines);
    }

    /** The whole EAR exists only on the node WildFly elected: any answer of its status URL says the job is here. */
    @Override
    public boolean runsJob(Status status) {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + " (port offset " + portOffset + ")";
    }

    @Override
    public void requireAlive() {
        Process p = process;
        if (p != null && !p.isAlive() && !Demo.closing) {
            throw new DemoFailure(name + " exited with code " + p.exitValue() + "; see " + base.resolve("log"));
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
