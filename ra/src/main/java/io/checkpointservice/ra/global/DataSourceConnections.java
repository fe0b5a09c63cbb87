package io.checkpointservice.ra.global;

import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Connections of a DataSource the application server manages ({@code globalStore=datasource:<JNDI
 * name>}): the server holds the driver, the pool and the credentials, so the adapter carries none.
 */
final class DataSourceConnections implements ConnectionSource {

    private final String jndiName;
    private final DataSource dataSource;

    private DataSourceConnections(String jndiName, DataSource dataSource) {
        this.jndiName = jndiName;
        this.dataSource = dataSource;
    }

    /** @throws IllegalArgumentException saying what to change, when no DataSource is bound there */
    static DataSourceConnections lookup(String jndiName) {
        Object bound;
        try {
            InitialContext context = new InitialContext();
            try {
                bound = context.lookup(jndiName);
            } finally {
                context.close();
            }
        } catch (NamingException e) {
            throw new IllegalArgumentException("globalStore datasource '" + jndiName + "' cannot be looked up (" + e
                    + "): define a PostgreSQL DataSource under that JNDI name in the application server, or fix "
                    + "the name in globalStore=datasource:<JNDI name>", e);
        }
        if (!(bound instanceof DataSource dataSource)) {
            throw new IllegalArgumentException("globalStore datasource '" + jndiName + "' names a "
                    + (bound == null ? "null entry" : bound.getClass().getName()) + ", not a javax.sql.DataSource");
        }
        return new DataSourceConnections(jndiName, dataSource);
    }

    @Override
    public Connection borrow() throws SQLException {
        Connection connection = dataSource.getConnection();
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public void giveBack(Connection connection, boolean broken) {
        try {
            connection.close(); // back to the server's pool, which validates it
        } catch (SQLException e) {
            // Already gone: nothing to hand back.
        }
    }

    @Override
    public String describe() {
        return "datasource " + jndiName;
    }

    @Override
    public void close() {
        // The server owns the DataSource.
    }
}
