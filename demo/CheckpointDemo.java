import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * The checkpoint service demo: a WildFly node runs the example job, is killed with SIGKILL, is
 * started again, and the job resumes from its checkpoint.
 *
 * <p>Run from the repository root after {@code mvn install -Pdemo} (see {@code demo.sh}):
 * {@code java demo/CheckpointDemo.java [--wildfly DIR] [--rar FILE] [--ear FILE] [--work DIR]
 * [--port-offset N] [--watch-seconds N]}. A single source file on purpose: Java 17's source
 * launcher runs it without a build, and it needs nothing but the JDK (no curl, no jq).
 *
 * <p>Every process it starts is stopped by its PID when the demo ends, fails or is interrupted.
 */
public class CheckpointDemo {

    static final long START = System.nanoTime();
    /** Nodes this run started; the shutdown hook stops whichever are still alive. */
    static final List<Node> NODES = new CopyOnWriteArrayList<>();
    /** Set when the JVM is going down (end, failure, Ctrl-C): from then on no node may start. */
    static volatile boolean closing;

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(CheckpointDemo::stopAll, "demo-cleanup"));
        Node node = null;
        try {
            Options options = Options.parse(args);
            Path home = findWildFlyHome(options.wildfly);
            requireFile(options.rar, "the resource adapter; build it with: mvn install -DskipTests");
            requireFile(options.ear, "the example EAR; build it with: mvn install -DskipTests");
            node = new Node("node-1", options.portOffset, home, options.work.resolve("node-1"));
            NODES.add(node);
            run(node, options);
        } catch (Exception e) {
            if (closing) {
                return; // interrupted (Ctrl-C): the shutdown hook is stopping the nodes
            }
            say("FAILED: " + (e instanceof DemoFailure ? e.getMessage() : e.toString()));
            if (node != null) {
                node.printLogTail(40);
            }
            System.exit(1); // runs the shutdown hook, which stops the node
        }
    }

    static void run(Node node, Options options) throws Exception {
        say("WildFly " + node.home.getFileName() + ", work directory " + options.work);
        node.prepare(List.of(options.rar, options.ear));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("checkpoint.nodeName", node.name);
        settings.put("checkpoint.storageMode", "disk");
        settings.put("checkpoint.storageDirectory", node.base.resolve("checkpoint-store").toString());
        settings.put("checkpoint.replicaCount", "0");

        // 1. A fresh node: no checkpoint yet, the job starts at position 0.
        say("starting " + node + " (disk storage in " + node.base.resolve("checkpoint-store") + ")");
        long started = System.nanoTime();
        node.start(settings);
        node.awaitDeployed("checkpoint-ra.rar", Duration.ofSeconds(180));
        node.awaitDeployed("checkpoint-example.ear", Duration.ofSeconds(60));
        Status first = node.awaitStatus(Duration.ofSeconds(60), s -> s.position() != null);
        say(node.name + " up, rar and ear deployed, first status after " + seconds(started));
        if (first.resumedFrom() != null) {
            throw new DemoFailure("a fresh node resumed from checkpoint v" + first.resumedFrom()
                    + "; expected a fresh start");
        }
        say("job started fresh (resumedFrom=null)");
        Status beforeKill = watch(node, options.watchSeconds);
        if (beforeKill.checkpointVersion() == null) {
            throw new DemoFailure("the job wrote no checkpoint in " + options.watchSeconds + " s");
        }

        // 2. SIGKILL: no shutdown hook, no final checkpoint; only what was written survives.
        long pid = node.pid();
        int exit = node.kill();
        say("SIGKILL " + node.name + " (pid " + pid + ", exit code " + exit + "); last seen: position "
                + beforeKill.position() + ", checkpoint v" + beforeKill.checkpointVersion()
                + " at position " + beforeKill.checkpointPosition());

        // 3. The same node again: the job must resume from its checkpoint, not from 0.
        say("restarting " + node.name + " on the same base directory and checkpoint store");
        long restarted = System.nanoTime();
        node.start(settings);
        Status resumed = node.awaitStatus(Duration.ofSeconds(180), s -> s.position() != null);
        String resumeTime = seconds(restarted);
        if (resumed.resumedFrom() == null) {
            throw new DemoFailure("the job started from 0 again instead of resuming: " + resumed.raw());
        }
        if (resumed.resumedPosition() <= 0 || resumed.resumedFrom() < beforeKill.checkpointVersion()
                || resumed.resumedPosition() < beforeKill.checkpointPosition()) {
            throw new DemoFailure("the job resumed from an older checkpoint than it had written: " + resumed.raw());
        }
        verifyDigest(resumed);
        say("RESUMED from checkpoint v" + resumed.resumedFrom() + " at position " + resumed.resumedPosition()
                + "; now at " + resumed.position() + ", digest verified");
        say("time from process start to first resumed status: " + resumeTime
                + node.reportedBootTime().map(t -> " (of which WildFly boot: " + t + ")").orElse(""));
        Status after = watch(node, Math.max(2, options.watchSeconds / 2));
        if (after.checkpointVersion() == null || after.checkpointVersion() <= resumed.resumedFrom()) {
            throw new DemoFailure("no new checkpoint after resuming: " + after.raw());
        }
        say("new checkpoints continue the version sequence: v" + after.checkpointVersion()
                + " > v" + resumed.resumedFrom());

        // 4. A clean stop; the shutdown hook would do it as well, this one is visible.
        say("stopping " + node.name + " (SIGTERM, pid " + node.pid() + ")");
        node.stop(Duration.ofSeconds(30));
        say("DEMO OK: killed with SIGKILL, resumed from its checkpoint with a consistent digest"
                + " (total " + seconds(START) + ")");
    }

    /** Prints the job's progress once a second for {@code seconds}; returns the last status. */
    static Status watch(Node node, int seconds) throws InterruptedException {
        Status last = null;
        int unanswered = 0;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            Optional<Status> status = node.status();
            if (status.isEmpty() || status.get().position() == null) {
                if (++unanswered == 3) {
                    throw new DemoFailure(node.name + " stopped reporting progress");
                }
                continue;
            }
            last = status.get();
            verifyDigest(last);
            say(String.format("  %s position=%-6d digest=%s.. checkpoint=%s",
                    last.node(), last.position(), last.digest().substring(0, 12),
                    last.checkpointVersion() == null ? "none"
                            : "v" + last.checkpointVersion() + "@" + last.checkpointPosition()));
        }
        if (last == null) {
            throw new DemoFailure(node.name + " reported no progress in " + seconds + " s");
        }
        return last;
    }

    /** The digest the job reports must be the one anyone can compute for its position. */
    static void verifyDigest(Status status) {
        String expected = Digests.at(status.position());
        if (!expected.equals(status.digest())) {
            throw new DemoFailure("digest at position " + status.position() + " is " + status.digest()
                    + ", expected " + expected + ": an item was skipped, repeated or reordered");
        }
    }

    static void stopAll() {
        closing = true;
        for (Node node : NODES) {
            if (node.isAlive()) {
                say("cleanup: stopping " + node.name + " (pid " + node.pid() + ")");
                node.stop(Duration.ofSeconds(15));
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
        Path work = Path.of("target/demo");
        int portOffset = 1000;
        int watchSeconds = 4;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--wildfly" -> o.wildfly = Path.of(required(args[i], value));
                    case "--rar" -> o.rar = Path.of(required(args[i], value));
                    case "--ear" -> o.ear = Path.of(required(args[i], value));
                    case "--work" -> o.work = Path.of(required(args[i], value));
                    case "--port-offset" -> o.portOffset = Integer.parseInt(required(args[i], value));
                    case "--watch-seconds" -> o.watchSeconds = Integer.parseInt(required(args[i], value));
                    default -> throw new DemoFailure("unknown argument " + args[i] + "; known: --wildfly DIR"
                            + " --rar FILE --ear FILE --work DIR --port-offset N --watch-seconds N");
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
 * One WildFly standalone server: its own base directory (configuration, deployments, data,
 * logs) over a shared WildFly installation, its own port offset, all sockets on 127.0.0.1.
 * The JVM is started directly (not through standalone.sh), so the process we hold is the
 * server itself and SIGKILL hits the server, not a wrapper script.
 */
final class Node {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();

    final String name;
    final int portOffset;
    final Path home;
    final Path base;
    private volatile Process process;

    Node(String name, int portOffset, Path home, Path base) {
        this.name = name;
        this.portOffset = portOffset;
        this.home = home.toAbsolutePath().normalize();
        this.base = base.toAbsolutePath().normalize();
    }

    int httpPort() {
        return 8080 + portOffset;
    }

    int managementPort() {
        return 9990 + portOffset;
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

    /** Synchronized with {@link #stop}, so a start racing the shutdown hook cannot leave an orphan. */
    synchronized void start(Map<String, String> systemProperties) throws IOException {
        if (CheckpointDemo.closing) {
            throw new DemoFailure("not starting " + name + ": the demo is shutting down");
        }
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        requireFree(httpPort(), "http");
        requireFree(managementPort(), "management");
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
                "-c", "standalone.xml",
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
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
                + ", management 127.0.0.1:" + managementPort() + ", log " + log.resolve("server.log"));
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

    /** SIGTERM (WildFly shuts down gracefully), then SIGKILL when it takes longer than {@code grace}. */
    synchronized void stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
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

    /** Polls the status endpoint every 100 ms until a status satisfies {@code ready}. */
    Status awaitStatus(Duration timeout, Predicate<Status> ready) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Status last = null;
        while (System.nanoTime() < deadline) {
            requireAlive();
            Optional<Status> status = status();
            if (status.isPresent()) {
                last = status.get();
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new DemoFailure("no ready status from " + name + " within " + timeout.toSeconds() + " s"
                + (last == null ? "" : "; last: " + last.raw()));
    }

    /** @return the job's status, empty while the endpoint does not answer 200 */
    Optional<Status> status() {
        return http("/checkpoint-example/api/status").map(Status::parse);
    }

    /** GET on this node's HTTP port; empty on a connection error or a status other than 200. */
    Optional<String> http(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** @return the boot time the server logged at its last start ("started in 4321ms"), if found */
    Optional<String> reportedBootTime() {
        try {
            Matcher m = Pattern.compile("WFLYSRV0025: .* started in (\\d+)ms")
                    .matcher(Files.readString(base.resolve("log/server.log"), StandardCharsets.UTF_8));
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            return Optional.ofNullable(last).map(ms -> String.format("%.1f s", Long.parseLong(ms) / 1000.0));
        } catch (IOException e) {
            return Optional.empty();
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

    private void requireAlive() {
        Process p = process;
        if (p != null && !p.isAlive()) {
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

/** One answer of {@code GET /checkpoint-example/api/status}; null where the JSON has null. */
record Status(String node, Long position, String digest, Long checkpointVersion, Long checkpointPosition,
              Long resumedFrom, long resumedPosition, String raw) {

    // The endpoint returns one flat object of strings, numbers and nulls: a regex reads it.
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(null|-?\\d+|\"(?:[^\"\\\\]|\\\\.)*\")");

    static Status parse(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            String value = m.group(2);
            fields.put(m.group(1), value.equals("null") ? null
                    : value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return new Status(fields.get("node"), number(fields.get("position")), fields.get("digest"),
                number(fields.get("checkpointVersion")), number(fields.get("checkpointPosition")),
                number(fields.get("resumedFrom")),
                fields.get("resumedPosition") == null ? 0 : Long.parseLong(fields.get("resumedPosition")),
                json);
    }

    private static Long number(String value) {
        return value == null ? null : Long.valueOf(value);
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
