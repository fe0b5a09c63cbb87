package io.checkpointservice.it.failover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL global store through a DataSource WildFly manages, set up the way the README
 * ("Global store") tells a user: the driver as the module {@code org.postgresql}, the DataSource
 * {@code java:jboss/datasources/CheckpointDS} in the datasources subsystem (the build's
 * {@code standalone-checkpoint-ds.xml}, see src/test/wildfly/checkpoint-datasource.xsl), and
 * {@code globalStore=datasource:java:jboss/datasources/CheckpointDS}. The PostgreSQL server is a
 * real one this test starts on 127.0.0.1.
 *
 * <p>Two nodes in disk mode (A = node-3 writes, B = node-4; the failover cluster of pom.xml, R = 1)
 * are SIGKILLed together once every awaited segment is in the store, and both lose their storage
 * directories: after the restart B, which never wrote them, loads every segment with A's bytes,
 * which only the global store still holds. Then B is started with a JNDI name bound to nothing and
 * must refuse to start the adapter, naming the setting.
 */
class GlobalStoreDataSourceIT extends TwoNodeFailoverBase {

    private static final String DATASOURCE = "java:jboss/datasources/CheckpointDS";
    /** The configuration the build made with the datasource; each start of this test copies it afresh. */
    private static final String SERVER_CONFIG = "standalone-checkpoint-ds.xml";
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STORED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);
    private static final Path STORAGE = Path.of(System.getProperty("nodes.dir", "target/nodes"), "ds-store");

    private static PostgresServer postgres;
    private static String database;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
        database = postgres.createDatabase("checkpoint_ds_it");
    }

    @Test
    void newNodesWithoutDisksLoadEveryAwaitedSegmentFromTheDataSourceStore() throws Exception {
        Directories.deleteRecursively(STORAGE);
        start(A, A_ADAPTER, A_APP);
        start(B, B_ADAPTER, B_APP);

        Map<String, byte[]> written = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        String prefix = "ds-store-it/" + UUID.randomUUID() + "/";
        for (int i = 0; i < 3; i++) {
            byte[] state = new byte[i == 0 ? 1_500_000 : 30_000 + i]; // one of two chunks, two of one
            new Random(i).nextBytes(state);
            written.put(prefix + i, state);
            versions.put(prefix + i, client.put(A, prefix + i, state));
        }
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        boolean replicated = false;
        while (!replicated && System.nanoTime() < deadline) { // until B has joined and holds every copy
            replicated = client.awaitAllReplicated(A, versions, Duration.ofSeconds(5));
        }
        assertTrue(replicated, "expected awaitAllReplicated(" + versions + ") on " + A.qualifier() + " to say true"
                + logs());
        awaitStored(versions);

        killTogether(A, B);
        Directories.deleteRecursively(STORAGE); // both nodes' disks are lost: only PostgreSQL holds the segments
        restart(B, DATASOURCE); // the servers deploy the adapter and the application again by themselves
        restart(A, DATASOURCE);

        for (Map.Entry<String, byte[]> segment : written.entrySet()) {
            SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(B, segment.getKey(), LOAD_DEADLINE,
                    "after both nodes were SIGKILLed and lost their storage directories");
            assertEquals(versions.get(segment.getKey()), loaded.version(), "version of " + segment.getKey());
            assertEquals(A.qualifier(), loaded.originNode(), "origin of " + segment.getKey());
            assertArrayEquals(segment.getValue(), loaded.state(), "bytes of " + segment.getKey() + " loaded on "
                    + B.qualifier() + " from the global store");
        }

        // A JNDI name bound to nothing: the adapter does not start, and the log names the setting.
        controller.stop(B.qualifier()); // its deployments stay in its configuration and deploy again at the start
        long logBefore = Files.size(B.serverLog());
        String missing = "java:jboss/datasources/NoSuchCheckpointDS";
        restart(B, missing);
        String logAfter = Files.readString(B.serverLog()).substring((int) logBefore);
        String expected = "globalStore datasource '" + missing + "' cannot be looked up";
        assertTrue(logAfter.contains(expected), "expected the server log of " + B.qualifier() + " started with "
                + "globalStore=datasource:" + missing + " to say \"" + expected + "\"" + logs());
        controller.stop(B.qualifier());
    }

    /** Polls the store's table until it holds every awaited version: the archiver writes in the background. */
    private void awaitStored(Map<String, Long> versions) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + STORED_TIMEOUT.toNanos();
        Map<String, Long> stored = Map.of();
        while (System.nanoTime() < deadline) {
            stored = storedVersions(versions.keySet());
            if (stored.equals(versions)) {
                return;
            }
            Thread.sleep(250);
        }
        fail("expected table checkpoint_global_store to hold " + versions + " within " + STORED_TIMEOUT + ", it holds "
                + stored + logs());
    }

    /** @return name to stored version, for the names whose key (namespace included) ends with the name */
    private static Map<String, Long> storedVersions(Iterable<String> names) throws SQLException {
        Map<String, Long> stored = new LinkedHashMap<>();
        try (Connection connection = postgres.connect(database);
             PreparedStatement query = connection.prepareStatement("SELECT version FROM checkpoint_global_store "
                     + "WHERE right(segment_key, length(?)) = ?")) {
            for (String name : names) {
                query.setString(1, name);
                query.setString(2, name);
                try (ResultSet result = query.executeQuery()) {
                    if (result.next()) {
                        stored.put(name, result.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // no table yet
                return stored;
            }
            throw e;
        }
        return stored;
    }

    private void start(Nodes node, String adapter, String app) throws IOException {
        startAndDeploy(node, withDataSource(node, DATASOURCE), adapter, app);
    }

    /** Starts the node again; it deploys whatever it had deployed before by itself. */
    private void restart(Nodes node, String jndiName) throws IOException {
        controller.start(node.qualifier(), withDataSource(node, jndiName));
    }

    /**
     * The start settings of the node with the datasource configuration in disk mode and
     * {@code globalStore} naming {@code jndiName}. A node this test has deployed nothing to yet gets
     * a fresh copy of the build's configuration; otherwise the server keeps the one it wrote, with
     * its deployments.
     */
    private Map<String, String> withDataSource(Nodes node, String jndiName) throws IOException {
        if (!deployedTo(node)) {
            Files.copy(Path.of(System.getProperty("checkpoint.test.datasource.config")),
                    node.baseDir().resolve("configuration").resolve(SERVER_CONFIG), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> settings = node.startConfig(
                "-Dcheckpoint.storageMode=disk",
                "-Dcheckpoint.syncPolicy=none",
                "-Dcheckpoint.storageDirectory=" + STORAGE.resolve(node.qualifier()).toAbsolutePath(),
                "-Dcheckpoint.globalStore=datasource:" + jndiName,
                "-Dcheckpoint.it.pg.url=" + postgres.jdbcUrl(database),
                "-Dcheckpoint.it.pg.user=" + PostgresServer.USER,
                "-Dcheckpoint.it.pg.password=" + postgres.password());
        settings.put("serverConfig", SERVER_CONFIG);
        return settings;
    }

    @Override
    void afterNodesStopped() {
        Directories.deleteRecursively(STORAGE);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
