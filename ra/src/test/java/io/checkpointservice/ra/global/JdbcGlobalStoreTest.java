package io.checkpointservice.ra.global;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.GlobalStoreSettings;
import io.checkpointservice.ra.config.InvalidSettingsException;
import io.checkpointservice.testsupport.LoopbackPorts;
import io.checkpointservice.testsupport.PostgresServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The PostgreSQL global store against a real PostgreSQL server started for this class (never a
 * mock, never an embedded database): the backends' contract, each test in a database of its own,
 * opened as a node opens it ({@link GlobalStores#open}, a {@code jdbc:} URL and a password), plus
 * what only a database has (the table, its columns, the login).
 */
class JdbcGlobalStoreTest extends GlobalStoreContract {

    private static PostgresServer server;

    private String database;
    private final List<GlobalStore> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newDatabase(TestInfo test) {
        database = server.createDatabase(test.getTestMethod().map(m -> m.getName()).orElse("test"));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(GlobalStore::close);
    }

    private GlobalStoreSettings settings(String password) {
        return new GlobalStoreSettings(URI.create(server.jdbcUrl(database)), PostgresServer.USER, null, password);
    }

    @Override
    GlobalStore store(int retainVersions) {
        GlobalStore store = GlobalStores.open(settings(server.password()), retainVersions);
        opened.add(store);
        return store;
    }

    @Override
    int copiesHeld(String key) throws SQLException {
        try (Connection c = server.connect(database);
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + JdbcGlobalStore.TABLE
                     + " WHERE segment_key = ? OR (segment_key >= ? AND segment_key < ?)")) {
            q.setString(1, key); // the segment's own row and its kept versions' rows (key#copy name)
            q.setString(2, key + "#");
            q.setString(3, key + "$");
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Override
    void damage(String key, SegmentRecord record, Damage damage) throws SQLException {
        String change = switch (damage) {
            // The third byte from the end of the data, one bit, as a disk or a careless UPDATE would.
            case DATA_BIT -> "data = set_byte(data, length(data) - 3, get_byte(data, length(data) - 3) # 16)";
            case HEADER_BIT -> "header = set_byte(header, 12, get_byte(header, 12) # 1)"; // a bit of the key
            case TORN -> "header = substring(header from 1 for length(header) / 2)";
        };
        // The segment's own row or, for a kept older version, its retained row.
        try (Connection c = server.connect(database); PreparedStatement update = c.prepareStatement("UPDATE "
                + JdbcGlobalStore.TABLE + " SET " + change + " WHERE segment_key IN (?, ?) AND data_epoch = ? "
                + "AND version = ? AND data_writer = ?")) {
            CopyName name = CopyName.of(record);
            update.setString(1, key);
            update.setString(2, JdbcGlobalStore.retainedKey(key, name));
            update.setLong(3, name.dataEpoch());
            update.setLong(4, name.version());
            update.setString(5, name.dataWriter());
            assertEquals(1, update.executeUpdate(), "one row damaged");
        }
    }

    /** The server stopped (fast shutdown: every connection the store kept is cut). */
    @Override
    void takeDown() {
        server.stop();
    }

    @Override
    void bringBack() {
        server.startServer();
    }

    private void execute(String sql, String key) throws SQLException {
        try (Connection c = server.connect(database); PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, key);
            assertEquals(1, update.executeUpdate(), sql);
        }
    }

    @Test
    void openCreatesTheDocumentedTableOnceAndASecondNodeUsesIt() throws SQLException {
        GlobalStore first = store();
        byte[] data = bytes("seen by the second node");
        SegmentRecord v1 = record(1, 1, data);
        first.put(KEY, v1, data);
        GlobalStore second = store(); // the table is there: used as it is
        assertArrayEquals(data, second.get(KEY, v1).orElseThrow());
        try (Connection c = server.connect(database); Statement s = c.createStatement();
             ResultSet columns = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns "
                     + "WHERE table_name = '" + JdbcGlobalStore.TABLE + "' ORDER BY ordinal_position")) {
            List<String> shape = new ArrayList<>();
            while (columns.next()) {
                shape.add(columns.getString(1) + " " + columns.getString(2));
            }
            assertEquals(List.of("segment_key text", "data_epoch bigint", "version bigint", "data_writer text",
                    "header bytea", "data bytea"), shape);
        }
    }

    /** The version columns order the upsert; a row whose columns disagree with its checked header is damage. */
    @Test
    void aRowWhoseVersionColumnsDisagreeWithItsHeaderIsNeverReturned() throws SQLException {
        GlobalStore store = store();
        byte[] data = bytes("version 1");
        SegmentRecord v1 = record(1, 1, data);
        store.put(KEY, v1, data);
        execute("UPDATE " + JdbcGlobalStore.TABLE + " SET version = 9 WHERE segment_key = ?", KEY);

        assertEquals(Optional.empty(), store.newest(KEY));
        assertEquals(Optional.empty(), store.get(KEY, record(1, 9, data)));
        List<String> listed = new ArrayList<>();
        store.forEachNewestRecord((key, record) -> listed.add(key));
        assertEquals(List.of(), listed);
    }

    @Test
    void openRefusesAWrongPasswordSayingWhatToCheckWithoutThePassword() {
        String wrong = "not-the-password-" + System.nanoTime();
        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> GlobalStores.open(settings(wrong)));
        assertTrue(refused.getMessage().contains("globalStorePasswordFile")
                && refused.getMessage().contains("28P01"), refused.getMessage()); // invalid_password
        assertFalse(refused.getMessage().contains(wrong), "the message never shows a password");
        assertFalse(refused.getMessage().contains(server.password()), "the message never shows a password");
    }

    @Test
    void openRefusesADatabaseThatDoesNotAnswer() {
        int nobody = LoopbackPorts.single(); // free a moment ago: nothing listens there
        GlobalStoreSettings unreachable = new GlobalStoreSettings(
                URI.create("jdbc:postgresql://127.0.0.1:" + nobody + "/checkpoints"), PostgresServer.USER, null,
                server.password());
        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> GlobalStores.open(unreachable));
        assertTrue(refused.getMessage().contains("cannot be used") && refused.getMessage().contains("runs and is "
                + "reachable from this node"), refused.getMessage());
    }

    @Test
    void openRefusesAUserWhoMayNotUseTheTable() throws SQLException {
        store(); // the table exists, owned by the superuser
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE reader LOGIN PASSWORD 'reader-password'");
            s.execute("GRANT SELECT ON " + JdbcGlobalStore.TABLE + " TO reader");
        }
        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class, () -> GlobalStores.open(
                new GlobalStoreSettings(URI.create(server.jdbcUrl(database)), "reader", null, "reader-password")));
        assertTrue(refused.getMessage().contains("GRANT SELECT, INSERT, UPDATE, DELETE ON " + JdbcGlobalStore.TABLE),
                refused.getMessage());
    }
}
