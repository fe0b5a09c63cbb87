package io.checkpointservice.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The shared-storage baseline: the checkpoint kept as one row per segment in PostgreSQL, upserted
 * on every write with autocommit (the server's default {@code synchronous_commit = on}: the commit
 * returns once the WAL is flushed), as an application that checkpoints to a database would.
 *
 * <p>The server is the one {@code bench/setup-postgres.sh} starts (127.0.0.1, port 25432,
 * database and user {@code bench}); {@code -Dbench.pg.url}, {@code -Dbench.pg.user} and
 * {@code -Dbench.pg.password} point elsewhere.
 */
public final class PostgresBaseline implements AutoCloseable {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:25432/bench";
    private static final String UPSERT = "INSERT INTO checkpoint (name, version, state, written_at) "
            + "VALUES (?, ?, ?, now()) ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, "
            + "state = EXCLUDED.state, written_at = EXCLUDED.written_at";

    private final Connection connection;
    private final PreparedStatement upsert;

    private PostgresBaseline(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS checkpoint (name text PRIMARY KEY, version bigint NOT NULL, "
                    + "state bytea NOT NULL, written_at timestamptz NOT NULL)");
            ddl.execute("TRUNCATE checkpoint");
        }
        this.upsert = connection.prepareStatement(UPSERT);
    }

    /**
     * Connects, creates the table if needed and empties it.
     *
     * @throws IllegalStateException saying the baseline is skipped and how to start the server,
     *     when no server answers
     */
    public static PostgresBaseline connect() {
        String url = System.getProperty("bench.pg.url", DEFAULT_URL);
        Properties properties = new Properties();
        properties.setProperty("user", System.getProperty("bench.pg.user", "bench"));
        properties.setProperty("password", System.getProperty("bench.pg.password", "bench"));
        properties.setProperty("connectTimeout", "5");
        try {
            return new PostgresBaseline(DriverManager.getConnection(url, properties));
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL baseline SKIPPED: no PostgreSQL server reachable at " + url
                    + " (" + e.getMessage() + "). Start one with bench/setup-postgres.sh (or set -Dbench.pg.url) "
                    + "and run this benchmark again; the other benchmarks are not affected.");
        }
    }

    /** Upserts one checkpoint row and commits (autocommit). */
    public void upsert(String name, long version, byte[] state) {
        try {
            upsert.setString(1, name);
            upsert.setLong(2, version);
            upsert.setBytes(3, state);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("upsert of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // end of the benchmark
        }
    }
}
