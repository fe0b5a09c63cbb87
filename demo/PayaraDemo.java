import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;

/**
 * The checkpoint service demo on Payara Server 6, which has no HA singleton deployment: a domain
 * (its DAS runs no adapter) with a deployment group of two instances, the adapter and the example
 * job's Payara war deployed to the group, the job driven by the group's one persistent EJB timer
 * in Payara's data grid. The instance the timer fires on is killed with SIGKILL, the timer moves to
 * the survivor, and the job resumes there from the checkpoint the adapter replicated. The steps are
 * the README's "Failover on Payara", as DeploymentGroupFailoverIT runs them.
 *
 * <p>Run from the repository root by {@code ./demo.sh --server payara}, which builds what it needs
 * and unpacks Payara: {@code [--payara DIR] [--rar FILE] [--war FILE] [--port-base N]
 * [--checkpoint-port N] [--watch-seconds N] [--keep]}. The domain and its instances live in the
 * Payara installation ({@code glassfish/domains/checkpoint-demo},
 * {@code glassfish/nodes/localhost-checkpoint-demo}), made anew on every run; the domain's
 * listeners and Payara's data grid bind 127.0.0.1 only ({@code domain-loopback.xsl} of
 * payara-tests, which the Payara tests apply to their domains too).
 *
 * <p>Every server it starts (the DAS and both instances, found by the pid files Payara keeps) is
 * stopped when the demo ends, fails or is interrupted.
 */
public class PayaraDemo {

    static final String DOMAIN = "checkpoint-demo";
    static final String GROUP = "demo-group";
    static final String APP = "checkpoint-example";
    static final String CLUSTER = "checkpoint-demo-payara";
    static final int INSTANCE_COUNT = 2;
    /** replicaCount: with two instances, the other one holds the copy. */
    static final int REPLICAS = 1;
    /** Servers this run started (the DAS, then the instances); the shutdown hook stops whichever are alive. */
    static final List<PayaraServer> SERVERS = new CopyOnWriteArrayList<>();

    public static void main(String[] args) {
        Demo.main(SERVERS, () -> run(Options.parse(args)));
    }

    static void run(Options options) throws Exception {
        Path home = findPayaraHome(options.payara);
        Demo.requireFile(options.rar, "the resource adapter; build it with ./demo.sh --server payara");
        Path war = options.war != null ? options.war : findJobWar();
        Demo.requireFile(options.xsl, "the stylesheet that binds a domain to 127.0.0.1 (payara-tests)");
        Path glassfish = home.resolve("glassfish");
        Admin admin = new Admin(glassfish, options.portBase + 48);
        PayaraServer das = new PayaraServer("DAS", glassfish.resolve("domains").resolve(DOMAIN), options.portBase);
        List<PayaraServer> instances = new ArrayList<>();
        for (int i = 1; i <= INSTANCE_COUNT; i++) {
            String name = "instance-" + i;
            instances.add(new PayaraServer(name, glassfish.resolve("nodes").resolve("localhost-" + DOMAIN).resolve(name),
                    options.portBase + 100 * i));
        }
        List<Integer> checkpointPorts = new ArrayList<>();
        for (int i = 0; i < INSTANCE_COUNT; i++) {
            checkpointPorts.add(options.checkpointPort + 10 * i);
        }
        String dataGrid = Stream.concat(Stream.of(das.dasDataGridPort()), instances.stream().map(PayaraServer::dataGridPort))
                .map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        Demo.say("Payara Server " + payaraVersion(glassfish) + " in " + home + ": domain " + DOMAIN
                + " (DAS, runs no adapter) and deployment group " + GROUP + " of " + INSTANCE_COUNT + " instances");
        Demo.say("Payara's data grid on 127.0.0.1 (tcpip members " + dataGrid + "), EJB timers kept there;"
                + " checkpoint cluster '" + CLUSTER + "' on ports " + checkpointPorts.stream().map(String::valueOf)
                .collect(Collectors.joining(",")) + ", replicaCount=" + REPLICAS + ", memory storage");

        Demo.requireFree(das.adminPort(), "admin", das.name());
        Demo.requireFree(das.httpPort(), "http", das.name());
        Demo.requireFree(das.dasDataGridPort(), "data grid", das.name());
        for (int i = 0; i < INSTANCE_COUNT; i++) {
            PayaraServer instance = instances.get(i);
            Demo.requireFree(instance.httpPort(), "http", instance.name());
            Demo.requireFree(instance.dataGridPort(), "data grid", instance.name());
            Demo.requireFree(checkpointPorts.get(i), "checkpoint cluster", instance.name());
            Demo.requireFree(checkpointPorts.get(i) + 50, "checkpoint failure detection", instance.name());
        }

        // 1. A fresh domain (no data, logs or instances of an earlier run), bound to 127.0.0.1.
        long started = System.nanoTime();
        deleteTree(das.dir(), DOMAIN);
        deleteTree(instances.get(0).dir().getParent(), "localhost-" + DOMAIN);
        admin.local("create-domain", "--nopassword", "--portbase", Integer.toString(options.portBase), DOMAIN);
        loopback(das.dir().resolve("config/domain.xml"), options.xsl, dataGrid);
        SERVERS.add(das);
        admin.local("start-domain", DOMAIN);
        Demo.say("DAS up after " + Demo.seconds(started) + ", pid " + das.pid() + ", admin 127.0.0.1:" + das.adminPort()
                + ", log " + relative(das.log()));

        // 2. The group and its instances, each with its checkpoint settings and data-grid port.
        started = System.nanoTime();
        admin.remote("create-deployment-group", GROUP);
        String initialHosts = checkpointPorts.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        for (int i = 0; i < INSTANCE_COUNT; i++) {
            PayaraServer instance = instances.get(i);
            admin.remote("create-instance", "--node", "localhost-" + DOMAIN, "--portbase",
                    Integer.toString(instance.portBase()), instance.name());
            // Properties separated by ':', so the ':' of a value is escaped.
            admin.remote("create-system-properties", "--target", instance.name(),
                    "HZ_LISTENER_PORT=" + instance.dataGridPort() + ":checkpoint.bindPort=" + checkpointPorts.get(i)
                            + ":checkpoint.clusterName=" + CLUSTER + ":checkpoint.bindAddress=127.0.0.1"
                            + ":checkpoint.initialHosts=" + initialHosts + ":checkpoint.replicaCount=" + REPLICAS
                            + ":checkpoint.storageMode=memory");
            admin.remote("add-instance-to-deployment-group", "--instance", instance.name(), "--deploymentgroup", GROUP);
        }
        // 3. Everything deployed while the group is stopped, so that the group has one timer.
        admin.remote("deploy", "--target", GROUP, "--property", "implicitCdiEnabled=false", options.rar.toString());
        admin.remote("create-connector-connection-pool", "--raname", "checkpoint-ra", "--connectiondefinition",
                "io.checkpointservice.api.CheckpointConnectionFactory", "--steadypoolsize", "0", "--maxpoolsize", "200",
                "checkpoint");
        admin.remote("create-connector-resource", "--target", GROUP, "--poolname", "checkpoint", "eis/checkpoint");
        admin.remote("deploy", "--target", GROUP, "--name", APP, war.toString());
        Demo.say("group " + GROUP + " made in " + Demo.seconds(started) + ": " + instances.stream()
                .map(s -> s.name() + " (http 127.0.0.1:" + s.httpPort() + ")").collect(Collectors.joining(", "))
                + "; deployed to it while stopped: " + options.rar.getFileName() + ", the pool and eis/checkpoint, "
                + war.getFileName() + " as " + APP);

        // 4. Both instances start; the group's timer fires on one of them, which runs the job.
        started = System.nanoTime();
        SERVERS.addAll(instances);
        admin.remote("start-deployment-group", GROUP);
        for (PayaraServer instance : instances) {
            instance.requireAlive();
        }
        Demo.say("instances up after " + Demo.seconds(started) + ": " + instances.stream()
                .map(s -> s.name() + " pid " + s.pid() + ", log " + relative(s.log())).collect(Collectors.joining("; ")));
        // start-deployment-group returns before each instance has loaded the war; the story needs
        // it everywhere, so that the survivor is ready when the timer moves.
        awaitWar(instances, Duration.ofSeconds(300));
        Demo.say("the war answers on every instance after " + Demo.seconds(started));
        Status first = Demo.awaitActive(instances, Duration.ofSeconds(300), s -> s.restored() || s.waiting());
        PayaraServer active = instance(instances, first.node());
        if (!first.restored()) {
            // An adapter that has met no other member of its cluster cannot tell "no checkpoint"
            // from "checkpoint on nodes not reached yet" (G8), so the job waits instead of starting at 0.
            Demo.say("the group's timer fires on " + active.name() + ", whose job waits: it has met no other node of"
                    + " the checkpoint cluster yet, so it cannot tell 'no checkpoint' from 'not reachable yet'");
            first = Demo.awaitActive(List.of(active), Duration.ofSeconds(300), Status::restored);
        }
        Demo.requireFreshStart(first);
        List<PayaraServer> others = instances.stream().filter(s -> s != active).toList();
        Demo.say("the job runs on " + active.name() + " (the group's persistent timer fires there), fresh start at 0; "
                + others.stream().map(PayaraServer::name).collect(Collectors.joining(", "))
                + ": status without a position (the timer does not fire there)");
        long positionNow = first.position().get();
        Status replicated = Demo.awaitActive(List.of(active), Duration.ofSeconds(60),
                s -> s.restored() && s.lastAwaitedPosition() > positionNow);
        Demo.say("replication confirmed: checkpoint v" + replicated.lastAwaitedVersion() + " (position "
                + replicated.lastAwaitedPosition() + ") is on " + Demo.nodes(REPLICAS) + " other than " + active.name());

        Status beforeKill = Demo.watch(options.watchSeconds, active, instances);

        // 5. SIGKILL the instance the timer fires on: no shutdown code runs, no final checkpoint.
        long pid = active.pid();
        long killedAtNanos = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        active.kill();
        Demo.say("SIGKILL " + active.name() + " (pid " + pid + "); " + Demo.lastSeen(beforeKill));

        // 6. Payara's data grid drops the killed member, a survivor takes its timer over, and the
        //    timer's first firing there restores the job from its checkpoint.
        Status resumed = Demo.awaitActive(others, Duration.ofSeconds(120), Status::restored);
        double failover = (System.nanoTime() - killedAtNanos) / 1e9;
        PayaraServer survivor = instance(instances, resumed.node());
        Demo.checkResumed(resumed, beforeKill, active.name());
        Demo.say(String.format("failover %.1f s: SIGKILL -> %s takes the timer over %s -> state restored %.1f s"
                + " (load() took %.1f ms%s) -> first status %.1f s", failover, survivor.name(),
                survivor.timerMigrationMillis(active.name()).map(t -> String.format("%.1f s", (t - killedAtMillis) / 1000.0))
                        .orElse("?"), (resumed.restoredAt() - killedAtMillis) / 1000.0, resumed.restoreMillis(),
                resumed.restoreAttempts() > 1 ? ", attempt " + resumed.restoreAttempts() : "", failover));

        // Long enough for a barrier (every 4 checkpoints) to time out.
        Status after = Demo.watch(Math.max(6, options.watchSeconds), survivor, instances);
        Demo.checkContinues(after, resumed, REPLICAS, INSTANCE_COUNT - 2);

        List<PayaraServer> left = SERVERS.stream().filter(PayaraServer::isAlive).toList();
        if (options.keep) {
            // 7. --keep: the DAS and the survivor stay up; Ctrl-C runs the shutdown hook.
            Demo.say("status of the job: http://127.0.0.1:" + survivor.httpPort() + "/" + APP + "/api/status; asadmin:"
                    + " " + relative(glassfish.resolve("bin/asadmin")) + " --port " + das.adminPort() + " list-timers " + GROUP);
            Demo.keep(failover, resumed, left);
            return;
        }
        // 7. A clean stop; the shutdown hook would do it as well, this one is visible.
        Demo.say("stopping " + Demo.describe(left) + " with SIGTERM");
        Demo.stopAll(SERVERS);
        Demo.sayOk(failover, resumed, beforeKill);
    }

    /** Waits until every instance's status URL answers (HTTP 200): the war is loaded there. */
    static void awaitWar(List<PayaraServer> instances, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PayaraServer instance : instances) {
            Probe probe;
            while ((probe = instance.status()).code() != 200) {
                instance.requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new DemoFailure(instance.name() + " does not answer its status URL within "
                            + timeout.toSeconds() + " s; last: " + probe.code() + " " + probe.body());
                }
                Thread.sleep(200);
            }
        }
    }

    static PayaraServer instance(List<PayaraServer> instances, String name) {
        return instances.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new DemoFailure("status from an unknown instance '" + name + "'"));
    }

    /**
     * Edits the created domain's domain.xml before its first start with payara-tests'
     * domain-loopback.xsl: every listener and the data grid on 127.0.0.1, EJB timers in the data
     * grid, the data grid's members listed (tcpip discovery) under a name of the demo's own.
     */
    static void loopback(Path domainXml, Path xsl, String dataGridMembers) throws IOException, TransformerException {
        Path created = domainXml.resolveSibling("domain.created.xml");
        Files.move(domainXml, created);
        Transformer transformer = TransformerFactory.newInstance().newTransformer(new StreamSource(xsl.toFile()));
        transformer.setParameter("dataGridMembers", dataGridMembers);
        transformer.setParameter("dataGridName", CLUSTER);
        transformer.transform(new StreamSource(created.toFile()), new StreamResult(domainXml.toFile()));
    }

    /** A Payara home (holding glassfish/modules/admin-cli.jar), or a directory holding one. */
    static Path findPayaraHome(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("glassfish/modules/admin-cli.jar"))) {
            return dir.toAbsolutePath().normalize();
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                Optional<Path> home = children.filter(p -> Files.isRegularFile(p.resolve("glassfish/modules/admin-cli.jar")))
                        .findFirst();
                if (home.isPresent()) {
                    return home.get().toAbsolutePath().normalize();
                }
            }
        }
        throw new DemoFailure("no Payara Server in " + dir + "; ./demo.sh --server payara unpacks it");
    }

    /** checkpoint-example-job-<version>-payara.war, built by the ear-example/job module. */
    static Path findJobWar() throws IOException {
        Path target = Path.of("ear-example/job/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                Optional<Path> war = files.filter(p -> p.getFileName().toString().matches(
                        "checkpoint-example-job-.*-payara\\.war")).findFirst();
                if (war.isPresent()) {
                    return war.get();
                }
            }
        }
        throw new DemoFailure("no checkpoint-example-job-<version>-payara.war in " + target
                + "; build it with ./demo.sh --server payara");
    }

    /** @return the version glassfish/config/branding/glassfish-version.properties names, e.g. 6.2025.9 */
    static String payaraVersion(Path glassfish) {
        try {
            Path branding = glassfish.resolve("config/branding/glassfish-version.properties");
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newInputStream(branding)) {
                p.load(in);
            }
            return String.join(".", p.getProperty("major_version", "6"), p.getProperty("minor_version", "?"),
                    p.getProperty("update_version", "?"));
        } catch (IOException e) {
            return "6";
        }
    }

    static Path relative(Path path) {
        return Path.of("").toAbsolutePath().relativize(path);
    }

    /** Deletes a directory the demo made on an earlier run; refuses any other name, as a safeguard. */
    static void deleteTree(Path dir, String expectedName) throws IOException {
        if (!dir.getFileName().toString().equals(expectedName)) {
            throw new IllegalArgumentException("refusing to delete " + dir);
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    static final class Options {
        Path payara = Path.of("ear-example/ear/target/payara");
        Path rar = Path.of("ra/target/checkpoint-ra.rar");
        Path war;
        Path xsl = Path.of("payara-tests/src/test/payara/domain-loopback.xsl");
        boolean keep;
        int portBase = 31000;
        int checkpointPort = 27400;
        int watchSeconds = 4;

        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, Consumer<String>> valued = new LinkedHashMap<>();
            valued.put("--payara", v -> o.payara = Path.of(v));
            valued.put("--rar", v -> o.rar = Path.of(v));
            valued.put("--war", v -> o.war = Path.of(v));
            valued.put("--port-base", v -> o.portBase = Integer.parseInt(v));
            valued.put("--checkpoint-port", v -> o.checkpointPort = Integer.parseInt(v));
            valued.put("--watch-seconds", v -> o.watchSeconds = Integer.parseInt(v));
            Demo.parseOptions(args, valued, () -> o.keep = true);
            o.rar = o.rar.toAbsolutePath().normalize();
            o.war = o.war == null ? null : o.war.toAbsolutePath().normalize();
            return o;
        }
    }
}

/**
 * asadmin as an administrator runs it: the distribution's admin-cli.jar on this JVM's java,
 * remote commands to the DAS's admin port on 127.0.0.1.
 */
final class Admin {

    /** Long enough for start-deployment-group on a loaded 2-core machine (nearly 4 min seen in the tests). */
    private static final long TIMEOUT_SECONDS = 600;

    private final Path glassfish;
    private final int adminPort;

    Admin(Path glassfish, int adminPort) {
        this.glassfish = glassfish;
        this.adminPort = adminPort;
    }

    /** A command through the DAS's admin port. */
    String remote(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(adminPort),
                "--interactive=false"));
        line.addAll(List.of(command));
        return execute(line);
    }

    /** A command on the domain's files, such as create-domain and start-domain. */
    String local(String... command) throws IOException, InterruptedException {
        return execute(List.of(command));
    }

    private String execute(List<String> command) throws IOException, InterruptedException {
        if (Demo.closing) {
            throw new DemoFailure("not running asadmin " + command.get(0) + ": the demo is shutting down");
        }
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", glassfish.resolve("modules/admin-cli.jar").toString()));
        line.addAll(command);
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new DemoFailure("asadmin " + String.join(" ", command) + " did not end within " + TIMEOUT_SECONDS + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new DemoFailure("asadmin " + String.join(" ", command) + " exited with " + process.exitValue()
                    + ":\n" + text.strip());
        }
        return text;
    }
}

/**
 * A Payara server process: the domain's DAS or an instance of its deployment group. Started by
 * asadmin, so not a child of this JVM: found by the pid file Payara keeps in {@code config/pid}
 * while it runs, or while it starts by its command line, and remembered once found.
 */
final class PayaraServer implements JobNode {

    /** The epoch milliseconds Payara's log gives each record: "[timeMillis: 1765112345678]". */
    private static final Pattern TIME_MILLIS = Pattern.compile("\\[timeMillis: (\\d+)\\]");

    private final String name;
    private final Path dir;
    private final int portBase;
    private volatile ProcessHandle process;

    PayaraServer(String name, Path dir, int portBase) {
        this.name = name;
        this.dir = dir.toAbsolutePath().normalize();
        this.portBase = portBase;
    }

    @Override
    public String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    int portBase() {
        return portBase;
    }

    int httpPort() {
        return portBase + 80;
    }

    int adminPort() {
        return portBase + 48;
    }

    /** The DAS's member of Payara's data grid, port base + 49. */
    int dasDataGridPort() {
        return portBase + 49;
    }

    /** An instance's member of Payara's data grid (its HZ_LISTENER_PORT), port base + 59. */
    int dataGridPort() {
        return portBase + 59;
    }

    Path log() {
        return dir.resolve("logs/server.log");
    }

    private Optional<ProcessHandle> process() {
        ProcessHandle known = process;
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ProcessHandle> found;
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("config/pid")).trim());
            found = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            // A server still starting has no pid file yet; its command line names its directory.
            String root = "-Dcom.sun.aas.instanceRoot=" + dir;
            found = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(args -> Arrays.asList(args).contains(root)).orElse(false)).findFirst();
        }
        found.ifPresent(p -> process = p);
        return found;
    }

    @Override
    public long pid() {
        return process().map(ProcessHandle::pid).orElse(-1L);
    }

    @Override
    public boolean isAlive() {
        return process().map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void terminate() {
        process().ifPresent(ProcessHandle::destroy);
    }

    @Override
    public boolean awaitExit(Duration timeout) {
        Optional<ProcessHandle> p = process();
        try {
            if (p.isPresent()) {
                p.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (Exception e) {
            return !p.get().isAlive();
        }
    }

    @Override
    public int kill() throws InterruptedException {
        Optional<ProcessHandle> p = process();
        if (p.isEmpty()) {
            return -1;
        }
        p.get().destroyForcibly(); // SIGKILL on Linux and macOS
        try {
            p.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new DemoFailure(name + " (pid " + p.get().pid() + ") survived SIGKILL for 30 s");
        }
        return -1;
    }

    @Override
    public Probe status() {
        return Demo.get(httpPort(), "/" + PayaraDemo.APP + "/api/status");
    }

    /** Every instance of the group answers; the job runs where it has begun (the timer fires there). */
    @Override
    public boolean runsJob(Status status) {
        return status.begun();
    }

    @Override
    public void requireAlive() {
        if (!isAlive() && !Demo.closing) {
            throw new DemoFailure(name + " does not run; see " + log());
        }
    }

    @Override
    public void printLogTail(int lines) {
        Demo.printLogTail(log(), lines);
    }

    /** @return when this server's log says it began to take the timers of {@code from} over (epoch ms), if it did */
    Optional<Long> timerMigrationMillis(String from) {
        try {
            String text = Files.readString(log(), StandardCharsets.UTF_8);
            int at = text.lastIndexOf("Beginning timer migration process from owner " + from);
            if (at < 0) {
                return Optional.empty();
            }
            // The record's header, with its time, comes a few lines before its message.
            Matcher m = TIME_MILLIS.matcher(text.substring(Math.max(0, at - 2000), at));
            Long last = null;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return Optional.ofNullable(last);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
