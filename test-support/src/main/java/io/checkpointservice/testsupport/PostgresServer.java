package io.checkpointservice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests, the way {@code bench/setup-postgres.sh} runs one: the
 * machine's PostgreSQL binaries, a data directory of its own under the temp directory, listening on
 * 127.0.0.1 only on a free port below the ephemeral range, a superuser with a random password
 * (password authentication over TCP, as a real deployment), PostgreSQL's default durability. As
 * root the server runs as the {@code postgres} user the Debian package creates (PostgreSQL refuses
 * root). {@link #close} stops it and deletes its directory; a shutdown hook does the same for a JVM
 * that ends without closing it.
 *
 * <p>Missing binaries fail the test, saying how to install them, rather than skipping it:
 * {@code .ci/run} installs them.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser initdb creates; tests log in as it. */
    public static final String USER = "checkpoint";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final long COMMAND_SECONDS = 120;

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final String password = UUID.randomUUID().toString();
    private final boolean asPostgresUser;
    private final Thread cleanup;
    private int port;
    private boolean running;

    private PostgresServer(Path bin, Path directory, boolean asPostgresUser) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.asPostgresUser = asPostgresUser;
        this.cleanup = new Thread(this::destroy, "postgres-test-server-cleanup");
    }

    /**
     * Creates the cluster (initdb) and starts the server; returns once it accepts connections.
     *
     * @throws IllegalStateException when the PostgreSQL binaries are missing (saying how to install
     *     them) or the server does not start (with its log)
     */
    public static PostgresServer start() {
        Path bin = binaries();
        Path directory;
        boolean root;
        try {
            directory = Files.createTempDirectory("checkpoint-test-pg-");
            root = "root".equals(Files.getOwner(directory).getName()); // who this JVM runs as
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(bin, directory, root);
        Runtime.getRuntime().addShutdownHook(server.cleanup);
        try {
            server.initdb();
            server.startOnAFreePort();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** @return the directory of initdb and pg_ctl: pg_config's, else the newest /usr/lib/postgresql/N/bin */
    private static Path binaries() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("PG_BINDIR");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        try {
            Process pgConfig = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(pgConfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (pgConfig.waitFor(10, TimeUnit.SECONDS) && pgConfig.exitValue() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException | InterruptedException e) {
            // no pg_config: look where the Debian packages put the server
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) not found "
                        + "(looked at $PG_BINDIR, pg_config --bindir, /usr/lib/postgresql/*/bin); this test runs a "
                        + "real PostgreSQL server: install it with 'apt-get update && apt-get install -y postgresql' "
                        + "(as root; .ci/run does this), or set PG_BINDIR to the directory holding initdb"));
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void initdb() {
        Path passwordFile = directory.resolve("pwfile");
        try {
            Files.writeString(passwordFile, password + "\n");
            if (asPostgresUser) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(directory, postgres);
                Files.setOwner(passwordFile, postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + directory + " for PostgreSQL (as root the server runs "
                    + "as the 'postgres' user the postgresql package creates): " + e, e);
        }
        try {
            run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile,
                    "-E", "UTF8", "--locale=C", "--auth-host=scram-sha-256", "--auth-local=peer");
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException e) {
                // removed with the directory
            }
        }
    }

    /** A port chosen free may be taken before the server binds it: then another one. */
    private void startOnAFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = LoopbackPorts.single();
            try {
                startServer();
                return;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts the server again after {@link #stop} (same port, same data). */
    public synchronized void startServer() {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", directory.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port
                        + " -c unix_socket_directories=" + directory, "start");
        running = true;
    }

    /** Stops the server (fast shutdown: clients are disconnected); {@link #startServer} brings it back. */
    public synchronized void stop() {
        if (running) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
            running = false;
        }
    }

    /** @return the port the server listens on at 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the superuser's password */
    public String password() {
        return password;
    }

    /** @return the JDBC URL of {@code database} on this server */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Creates an empty database, so each test starts from no table at all.
     *
     * @return its name
     */
    public String createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet());
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        try (Connection connection = connect("postgres"); Statement create = connection.createStatement()) {
            create.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** @return a connection to {@code database} as the superuser */
    public Connection connect(String database) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", USER);
        login.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), login);
    }

    /** Stops the server at once and deletes its directory. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void destroy() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (RuntimeException e) {
                // deleted below all the same
            }
        }
        running = false;
        if (Files.exists(directory)) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the test PostgreSQL directory " + directory, e);
            }
        }
    }

    /** Runs a server command, as the postgres user when this JVM runs as root. */
    private void run(String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        // To a file, not a pipe: the server pg_ctl starts must hold nothing of this JVM's open.
        Path outputFile = directory.resolveSibling(directory.getFileName() + ".out");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile()).start();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(outputFile) + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full, e);
        } finally {
            try {
                Files.deleteIfExists(outputFile);
            } catch (IOException e) {
                // a few bytes in the temp directory
            }
        }
    }

    private String serverLog() {
        Path log = directory.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
