package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.checkpointservice.ra.config.GlobalStoreSettings;
import io.checkpointservice.ra.global.DirectoryGlobalStore;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStores;
import io.checkpointservice.ra.global.JdbcGlobalStore;
import io.checkpointservice.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A global store backend as {@link GlobalStoreIT} drives it: how the nodes are pointed at it, a
 * reader the test checks it with, how it goes down and comes back, how a stored copy is damaged
 * behind its back. One per test, on a store of its own.
 */
abstract class GlobalStoreBackend implements AutoCloseable {

    /** The backends {@link GlobalStoreIT} runs every scenario with. */
    enum Kind {
        DIRECTORY, POSTGRESQL;

        GlobalStoreBackend prepare(TestCluster cluster, String test) {
            return this == DIRECTORY ? new Directory(cluster) : new Postgres(cluster, test);
        }
    }

    /** Started by the first PostgreSQL test, stopped by {@link #stopPostgres} after the class. */
    private static PostgresServer postgres;

    static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = PostgresServer.start();
        }
        return postgres;
    }

    static synchronized void stopPostgres() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** @return {@code options} pointed at this store (login settings go to the cluster's common settings) */
    abstract NodeOptions configure(NodeOptions options);

    /** @return the test's own reader of the store, opened as a node opens it */
    abstract GlobalStore reader();

    /** Makes the store unreachable to every node. */
    abstract void takeDown() throws Exception;

    /** Undoes {@link #takeDown}. */
    abstract void bringBack() throws Exception;

    /** While down: asserts that nothing reached the store for {@code key}, where the backend can still look. */
    abstract void assertNotStoredWhileDown(String key) throws Exception;

    /** Flips one bit of the data of the one stored copy of {@code key}. */
    abstract void flipADataBit(String key) throws Exception;

    @Override
    public abstract void close();

    /** A shared directory ({@code file:}); down is a file where the directory was (an unmounted share). */
    static final class Directory extends GlobalStoreBackend {

        private final Path directory;
        private final Path away;
        private DirectoryGlobalStore reader;

        Directory(TestCluster cluster) {
            this.directory = cluster.globalStoreDirectory();
            this.away = directory.resolveSibling("global-store-away");
        }

        @Override
        NodeOptions configure(NodeOptions options) {
            return options.globalStore(directory);
        }

        @Override
        GlobalStore reader() {
            if (reader == null) {
                reader = DirectoryGlobalStore.open(directory);
            }
            return reader;
        }

        /** Refused even to root, unlike a mode of 0555. */
        @Override
        void takeDown() throws IOException {
            Files.move(directory, away);
            Files.writeString(directory, "the shared directory is not mounted");
        }

        @Override
        void bringBack() throws IOException {
            Files.delete(directory);
            Files.move(away, directory);
        }

        @Override
        void assertNotStoredWhileDown(String key) {
            assertEquals(Optional.empty(), DirectoryGlobalStore.open(away).newest(key),
                    "nothing can have been stored while the directory was away");
        }

        @Override
        void flipADataBit(String key) throws IOException {
            DirectoryGlobalStore store = (DirectoryGlobalStore) reader();
            Path copy;
            try (Stream<Path> files = Files.list(store.segmentDirectory(key))) {
                List<Path> copies = files.filter(f -> f.getFileName().toString().endsWith(".copy")).toList();
                assertEquals(1, copies.size(), () -> "copies of '" + key + "' in the global store: " + copies);
                copy = copies.get(0);
            }
            byte[] raw = Files.readAllBytes(copy);
            raw[raw.length - 7] ^= 0x04;
            Files.write(copy, raw);
        }

        @Override
        public void close() {
        }
    }

    /**
     * A PostgreSQL database of its own on the class's server ({@code jdbc:postgresql:}, with
     * {@code globalStoreUser} and {@code globalStorePasswordFile}); down is the server stopped.
     */
    static final class Postgres extends GlobalStoreBackend {

        private final TestCluster cluster;
        private final PostgresServer server;
        private final String database;
        private GlobalStore reader;

        Postgres(TestCluster cluster, String test) {
            this.cluster = cluster;
            this.server = postgres();
            this.database = server.createDatabase(test);
        }

        @Override
        NodeOptions configure(NodeOptions options) {
            Path passwordFile = cluster.dataDirectory("global-store-password");
            try {
                Files.createDirectories(passwordFile.getParent());
                Files.writeString(passwordFile, server.password() + "\n");
                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster.setting("globalStoreUser", PostgresServer.USER);
            cluster.setting("globalStorePasswordFile", passwordFile.toAbsolutePath().toString());
            return options.globalStore(server.jdbcUrl(database));
        }

        @Override
        GlobalStore reader() {
            if (reader == null) {
                reader = GlobalStores.open(new GlobalStoreSettings(URI.create(server.jdbcUrl(database)),
                        PostgresServer.USER, null, server.password()));
            }
            return reader;
        }

        /** Fast shutdown: every node's connections are cut, new ones refused. */
        @Override
        void takeDown() {
            server.stop();
        }

        @Override
        void bringBack() {
            server.startServer();
        }

        /** A stopped server is written by no one: nothing to look at. */
        @Override
        void assertNotStoredWhileDown(String key) {
        }

        @Override
        void flipADataBit(String key) throws SQLException {
            try (Connection c = server.connect(database); PreparedStatement update = c.prepareStatement("UPDATE "
                    + JdbcGlobalStore.TABLE + " SET data = set_byte(data, length(data) - 7, "
                    + "get_byte(data, length(data) - 7) # 4) WHERE segment_key = ?")) {
                update.setString(1, key);
                assertEquals(1, update.executeUpdate(), () -> "rows of '" + key + "' in the global store");
            }
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
