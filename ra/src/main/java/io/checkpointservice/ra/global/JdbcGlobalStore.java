package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.CopyFormat.CorruptCopyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A {@link GlobalStore} in one PostgreSQL table, reached through plain JDBC: a DataSource the
 * application server manages, or the driver of a replica node's own process ({@link GlobalStores}).
 * One row per segment holds its newest stored version: the three fields that order versions
 * ({@link CopyName}) as columns, the copy's checked header ({@link CopyFormat}: key, record, data
 * length, data CRC32C, header CRC32C) and the bytes.
 *
 * <p>A put is one guarded upsert: it replaces the row only when the stored version is older by
 * {@link CopyName#NEWEST_FIRST} (PostgreSQL compares the row values in the same order; the writer's
 * name in the "C" collation, as Java compares the ASCII of node names), so a late archiver of an
 * older version changes nothing, a repeated put changes nothing, and a reader sees the old row or
 * the new one, never a mix. Every read checks the header against its CRC32C, the row's key and
 * version columns, and the data against the header's length and CRC32C; a row that fails is
 * logged and treated as missing, never returned.
 *
 * <p>With {@code retainVersions} above 1 the row of each older version that a put replaces is
 * kept, in the same table, under the key {@code <segment key>#<copy name>} ({@link #retainedKey}; a
 * segment key never holds a {@code #}, so these rows never meet a segment's own and sit in one
 * range of the primary key's "C" order), and the retained rows beyond the newest
 * {@code retainVersions - 1} are deleted, all in the put's transaction. With 1 a put is the one
 * upsert above.
 */
public final class JdbcGlobalStore implements GlobalStore {

    /** The store's table, in the connection's current schema ({@code currentSchema} in a JDBC URL). */
    public static final String TABLE = "checkpoint_global_store";

    /** What {@link #open} creates when the table is missing (docs/ARCHITECTURE.md shows it too). */
    public static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "segment_key text COLLATE \"C\" PRIMARY KEY, "
            + "data_epoch bigint NOT NULL, "
            + "version bigint NOT NULL, "
            + "data_writer text COLLATE \"C\" NOT NULL, "
            + "header bytea NOT NULL, "
            + "data bytea NOT NULL)";

    private static final Logger LOG = Logger.getLogger(JdbcGlobalStore.class.getName());
    /** Rows fetched per round trip while the store is streamed at start (headers only). */
    private static final int FETCH_SIZE = 256;
    private static final String NAME_MATCHES = " WHERE segment_key = ? AND data_epoch = ? AND version = ? AND data_writer = ?";

    /** Ends a segment key in a retained row's key; never in a segment key. */
    private static final char RETAINED = '#';
    /** The character after {@link #RETAINED}: a segment's retained rows are the keys in {@code [key#, key$)}. */
    private static final char AFTER_RETAINED = RETAINED + 1;
    private static final String ANY_COPY_OF = " WHERE (segment_key = ? OR (segment_key >= ? AND segment_key < ?))";

    private final ConnectionSource connections;
    private final int retainVersions;

    private JdbcGlobalStore(ConnectionSource connections, int retainVersions) {
        this.connections = connections;
        this.retainVersions = retainVersions;
    }

    /**
     * Connects, checks that the database is PostgreSQL, creates the table when it is missing and
     * checks that this node may read and write it.
     *
     * @param retainVersions how many versions of each segment {@link #put} keeps, newest first
     * @throws IllegalArgumentException saying what to change, when any of that fails; the
     *     connections are closed then
     */
    static JdbcGlobalStore open(ConnectionSource connections, int retainVersions) {
        if (retainVersions < 1) {
            connections.close();
            throw new IllegalArgumentException("retainVersions must be 1 or more, was " + retainVersions);
        }
        String where = connections.describe();
        try {
            Connection connection = connections.borrow();
            boolean broken = true;
            try {
                String product = connection.getMetaData().getDatabaseProductName();
                if (!"PostgreSQL".equals(product)) {
                    throw new IllegalArgumentException("globalStore " + where + " is " + product
                            + ", not PostgreSQL: point it at a PostgreSQL database");
                }
                createTableIfMissing(connection);
                checkPrivileges(connection, where);
                broken = false;
            } finally {
                connections.giveBack(connection, broken);
            }
        } catch (SQLException e) {
            connections.close();
            throw new IllegalArgumentException("globalStore " + where + " cannot be used (" + reason(e) + "): check "
                    + "that the database runs and is reachable from this node, its name, the user and password "
                    + "(globalStoreUser, globalStorePasswordFile, or the DataSource's), and that the user may "
                    + "create the table " + TABLE + " or use it", e);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        return new JdbcGlobalStore(connections, retainVersions);
    }

    /** Several nodes may start at once: a create that loses the race finds the table made by another. */
    private static void createTableIfMissing(Connection connection) throws SQLException {
        if (tableExists(connection)) {
            return;
        }
        try (Statement create = connection.createStatement()) {
            create.execute(DDL);
        } catch (SQLException e) {
            if (!tableExists(connection)) {
                throw e;
            }
        }
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, TABLE);
            try (ResultSet result = query.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void checkPrivileges(Connection connection, String where) throws SQLException {
        // One call per privilege: with a list, has_table_privilege is true when any one is held.
        try (PreparedStatement query = connection.prepareStatement("SELECT has_table_privilege(?, 'SELECT') "
                + "AND has_table_privilege(?, 'INSERT') AND has_table_privilege(?, 'UPDATE') "
                + "AND has_table_privilege(?, 'DELETE')")) {
            for (int i = 1; i <= 4; i++) {
                query.setString(i, TABLE);
            }
            try (ResultSet result = query.executeQuery()) {
                if (!result.next() || !result.getBoolean(1)) {
                    throw new IllegalArgumentException("globalStore " + where + ": this node's database user "
                            + "may not read and write the table " + TABLE + "; GRANT SELECT, INSERT, UPDATE, "
                            + "DELETE ON " + TABLE + " to it");
                }
            }
        }
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public void put(String key, SegmentRecord record, byte[] data) {
        CopyName name = CopyName.of(record);
        ByteBuffer header = CopyFormat.header(key, record, record.checksum(), data.length);
        byte[] headerBytes = Arrays.copyOf(header.array(), header.limit());
        if (retainVersions > 1) {
            putRetaining(key, name, headerBytes, data);
            return;
        }
        run("cannot store '" + key + "' v" + record.version() + " in", connection -> {
            Optional<CopyName> held = storedName(connection, key);
            if (held.isPresent() && CopyName.NEWEST_FIRST.compare(held.get(), name) <= 0) {
                return null; // this version or a newer one is there already: the bytes need not travel
            }
            upsert(connection, key, name, headerBytes, data);
            return null;
        });
    }

    /**
     * A put that keeps the replaced row as a retained one, in one transaction: the segment's row is
     * locked first, so two archivers putting at once (a rebalance) keep, one after the other, each
     * version they replace.
     */
    private void putRetaining(String key, CopyName name, byte[] headerBytes, byte[] data) {
        run("cannot store '" + key + "' v" + name.version() + " in", connection -> {
            connection.setAutoCommit(false);
            try {
                Optional<CopyName> held = storedName(connection, key, " FOR UPDATE");
                if (held.isPresent() && CopyName.NEWEST_FIRST.compare(held.get(), name) <= 0) {
                    return null; // this version or a newer one is there already
                }
                if (held.isPresent()) {
                    try (PreparedStatement keep = connection.prepareStatement("INSERT INTO " + TABLE
                            + " (segment_key, data_epoch, version, data_writer, header, data) "
                            + "SELECT ?, data_epoch, version, data_writer, header, data FROM " + TABLE
                            + " WHERE segment_key = ? ON CONFLICT (segment_key) DO NOTHING")) {
                        keep.setString(1, retainedKey(key, held.get()));
                        keep.setString(2, key);
                        keep.executeUpdate();
                    }
                }
                upsert(connection, key, name, headerBytes, data);
                try (PreparedStatement trim = connection.prepareStatement("DELETE FROM " + TABLE
                        + " WHERE segment_key >= ? AND segment_key < ? AND segment_key NOT IN (SELECT segment_key FROM "
                        + TABLE + " WHERE segment_key >= ? AND segment_key < ? "
                        + "ORDER BY data_epoch DESC, version DESC, data_writer DESC LIMIT ?)")) {
                    trim.setString(1, key + RETAINED);
                    trim.setString(2, key + AFTER_RETAINED);
                    trim.setString(3, key + RETAINED);
                    trim.setString(4, key + AFTER_RETAINED);
                    trim.setInt(5, retainVersions - 1);
                    trim.executeUpdate();
                }
                connection.commit();
                return null;
            } finally {
                connection.rollback(); // after a commit: nothing; after a failure: all of it
                connection.setAutoCommit(true);
            }
        });
    }

    /** The one guarded upsert of the segment's own row (see the class comment). */
    private static void upsert(Connection connection, String key, CopyName name, byte[] headerBytes, byte[] data)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + TABLE + " AS s "
                + "(segment_key, data_epoch, version, data_writer, header, data) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (segment_key) DO UPDATE SET data_epoch = EXCLUDED.data_epoch, "
                + "version = EXCLUDED.version, data_writer = EXCLUDED.data_writer, header = EXCLUDED.header, "
                + "data = EXCLUDED.data "
                + "WHERE (s.data_epoch, s.version, s.data_writer) "
                + "< (EXCLUDED.data_epoch, EXCLUDED.version, EXCLUDED.data_writer)")) {
            upsert.setString(1, key);
            upsert.setLong(2, name.dataEpoch());
            upsert.setLong(3, name.version());
            upsert.setString(4, name.dataWriter());
            upsert.setBytes(5, headerBytes);
            upsert.setBytes(6, data);
            upsert.executeUpdate();
        }
    }

    @Override
    public boolean holds(String key, SegmentRecord record) {
        return run("cannot read '" + key + "' from", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + TABLE + nameMatches())) {
                bindName(query, key, CopyName.of(record));
                try (ResultSet result = query.executeQuery()) {
                    return result.next();
                }
            }
        });
    }

    @Override
    public Optional<byte[]> get(String key, SegmentRecord record) {
        CopyName name = CopyName.of(record);
        Optional<GlobalCopy> copy = run("cannot read '" + key + "' from", connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT header, data FROM " + TABLE + nameMatches())) {
                bindName(query, key, name);
                try (ResultSet result = query.executeQuery()) {
                    return result.next() ? checked(key, name, result.getBytes(1), result.getBytes(2))
                            : Optional.<GlobalCopy>empty();
                }
            }
        });
        return copy.filter(c -> c.record().size() == record.size() && c.record().checksum() == record.checksum())
                .map(GlobalCopy::data);
    }

    @Override
    public List<SegmentRecord> versions(String key) {
        List<SegmentRecord> records = run("cannot read '" + key + "' from", connection -> {
            List<SegmentRecord> found = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT data_epoch, version, data_writer, "
                    + "header FROM " + TABLE + ANY_COPY_OF)) {
                bindAnyCopyOf(query, key);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        checkedHeader(key, nameOf(result), result.getBytes(4)).ifPresent(h -> found.add(h.record()));
                    }
                }
            }
            return found;
        });
        records.sort(Comparator.comparing(CopyName::of, CopyName.NEWEST_FIRST));
        return records;
    }

    @Override
    public Optional<GlobalCopy> newest(String key) {
        return run("cannot read '" + key + "' from", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT data_epoch, version, data_writer, "
                    + "header, data FROM " + TABLE + " WHERE segment_key = ?")) {
                query.setString(1, key);
                try (ResultSet result = query.executeQuery()) {
                    return result.next() ? checked(key, nameOf(result), result.getBytes(4), result.getBytes(5))
                            : Optional.<GlobalCopy>empty();
                }
            }
        });
    }

    @Override
    public void delete(String key, SegmentRecord tombstone) {
        run("cannot delete '" + key + "' from", connection -> {
            // The retained rows too, whatever retainVersions is now: a store once run with more keeps them.
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + TABLE + ANY_COPY_OF + " AND version <= ?")) {
                bindAnyCopyOf(delete, key);
                delete.setLong(4, tombstone.version());
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** Streams the table through a cursor (a transaction, a fetch size), headers only. */
    @Override
    public void forEachNewestRecord(BiConsumer<String, SegmentRecord> action) {
        run("cannot list", connection -> {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT segment_key, data_epoch, version, data_writer, header FROM " + TABLE)) {
                query.setFetchSize(FETCH_SIZE);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        String key = result.getString(1);
                        if (key.indexOf(RETAINED) >= 0) {
                            continue; // a retained older version; the segment's own row names its newest
                        }
                        CopyName name = new CopyName(result.getLong(2), result.getLong(3), result.getString(4));
                        checkedHeader(key, name, result.getBytes(5))
                                .ifPresent(header -> action.accept(key, header.record()));
                    }
                }
            } finally {
                connection.rollback(); // read only: nothing to keep
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    @Override
    public String describe() {
        return "PostgreSQL " + connections.describe() + ", table " + TABLE;
    }

    @Override
    public void close() {
        connections.close();
    }

    /** @return the copy in a row, checked; empty when it fails a check (logged) */
    private static Optional<GlobalCopy> checked(String key, CopyName name, byte[] header, byte[] data) {
        return checkedHeader(key, name, header).flatMap(h -> {
            try {
                return Optional.of(new GlobalCopy(key, h.record(), CopyFormat.readData(new ByteArrayInputStream(data), h)));
            } catch (IOException e) {
                LOG.warning(() -> "global store row of '" + key + "' (" + name.fileName() + ") is damaged and is "
                        + "not used: " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** @return the row's header, checked against its CRC32C and against the row's key and version columns */
    private static Optional<CopyFormat.Header> checkedHeader(String key, CopyName name, byte[] bytes) {
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            CopyFormat.Header header = CopyFormat.readHeader(in);
            if (in.available() != 0) {
                throw new CorruptCopyException("header longer than its fields");
            }
            if (!header.key().equals(key)) {
                throw new CorruptCopyException("holds '" + header.key() + "', not '" + key + "'");
            }
            if (!CopyName.of(header.record()).equals(name)) {
                throw new CorruptCopyException("header names " + CopyName.of(header.record()).fileName()
                        + ", the row's columns " + name.fileName());
            }
            return Optional.of(header);
        } catch (IOException e) {
            LOG.warning(() -> "global store row of '" + key + "' (" + name.fileName() + ") has a damaged header and "
                    + "is not used: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<CopyName> storedName(Connection connection, String key) throws SQLException {
        return storedName(connection, key, "");
    }

    private static Optional<CopyName> storedName(Connection connection, String key, String lock) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT data_epoch, version, data_writer FROM " + TABLE + " WHERE segment_key = ?" + lock)) {
            query.setString(1, key);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.of(nameOf(result)) : Optional.empty();
            }
        }
    }

    private static CopyName nameOf(ResultSet result) throws SQLException {
        return new CopyName(result.getLong("data_epoch"), result.getLong("version"), result.getString("data_writer"));
    }

    /**
     * @return the condition naming one copy of a segment: its own row, and with retained versions
     *     also its retained row of that version (the segment key bound twice then, see {@link #bindName})
     */
    private String nameMatches() {
        return retainVersions == 1 ? NAME_MATCHES
                : " WHERE segment_key IN (?, ?) AND data_epoch = ? AND version = ? AND data_writer = ?";
    }

    private void bindName(PreparedStatement statement, String key, CopyName name) throws SQLException {
        int next = 1;
        statement.setString(next++, key);
        if (retainVersions > 1) {
            statement.setString(next++, retainedKey(key, name));
        }
        statement.setLong(next++, name.dataEpoch());
        statement.setLong(next++, name.version());
        statement.setString(next, name.dataWriter());
    }

    private static void bindAnyCopyOf(PreparedStatement statement, String key) throws SQLException {
        statement.setString(1, key);
        statement.setString(2, key + RETAINED);
        statement.setString(3, key + AFTER_RETAINED);
    }

    /** @return the key of the row that keeps version {@code name} of segment {@code key} once a newer one replaced it */
    static String retainedKey(String key, CopyName name) {
        return key + RETAINED + name.fileName();
    }

    /** One operation on a borrowed connection; a connection that failed is dropped, never reused. */
    private <T> T run(String failure, Operation<T> operation) {
        Connection connection;
        try {
            connection = connections.borrow();
        } catch (SQLException e) {
            throw new GlobalStoreException(failure + " the global store " + describe() + ": " + reason(e), e);
        }
        boolean broken = true;
        try {
            T result = operation.on(connection);
            broken = false;
            return result;
        } catch (SQLException e) {
            throw new GlobalStoreException(failure + " the global store " + describe() + ": " + reason(e), e);
        } finally {
            connections.giveBack(connection, broken);
        }
    }

    private static String reason(SQLException e) {
        return (e.getSQLState() != null ? "SQLState " + e.getSQLState() + ", " : "") + e.getMessage();
    }

    @FunctionalInterface
    private interface Operation<T> {
        T on(Connection connection) throws SQLException;
    }
}
