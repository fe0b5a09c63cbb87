package io.checkpointservice.ra.global;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Connections a process opens itself through the PostgreSQL JDBC driver on its classpath
 * ({@code globalStore=jdbc:postgresql://...}; a replica node). A few idle connections are kept for
 * the next operation (the archiver runs one at a time, loads from the store are rare), each checked
 * before reuse, so a database that restarted costs no failed operation.
 */
final class DriverConnections implements ConnectionSource {

    /** The archiver's one worker, plus loads falling back to the store at the same time. */
    private static final int MAX_IDLE = 4;
    private static final int VALID_SECONDS = 2;
    /**
     * Defaults a URL parameter overrides (seconds): a database host that does not answer fails an
     * operation within these instead of holding the archiver or a load forever.
     */
    private static final String CONNECT_TIMEOUT = "10";
    private static final String SOCKET_TIMEOUT = "120";

    private final String url;
    private final Driver driver;
    private final Properties login;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private DriverConnections(String url, Driver driver, Properties login) {
        this.url = url;
        this.driver = driver;
        this.login = login;
    }

    /**
     * @param user null to let the driver choose
     * @param password null for none
     * @throws IllegalArgumentException saying what to change, when no driver takes the URL
     */
    static DriverConnections of(String url, String user, String password) {
        Driver driver;
        try {
            driver = DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("globalStore " + url + ": no PostgreSQL JDBC driver on this process's "
                    + "classpath (org.postgresql:postgresql; the replica node's jar holds it); in an application "
                    + "server use globalStore=datasource:<JNDI name> with a DataSource the server manages", e);
        }
        Properties login = new Properties();
        login.setProperty("connectTimeout", CONNECT_TIMEOUT);
        login.setProperty("loginTimeout", CONNECT_TIMEOUT);
        login.setProperty("socketTimeout", SOCKET_TIMEOUT);
        login.setProperty("ApplicationName", "checkpoint-global-store");
        if (user != null) {
            login.setProperty("user", user);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        return new DriverConnections(url, driver, login);
    }

    @Override
    public Connection borrow() throws SQLException {
        for (Connection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            if (isValid(kept)) {
                return kept;
            }
            closeQuietly(kept);
        }
        Connection opened = driver.connect(url, login);
        if (opened == null) {
            throw new SQLException("the JDBC driver " + driver.getClass().getName() + " does not take " + url);
        }
        return opened;
    }

    @Override
    public void giveBack(Connection connection, boolean broken) {
        if (broken || closed || idle.size() >= MAX_IDLE) {
            closeQuietly(connection);
            return;
        }
        idle.offerFirst(connection);
        if (closed) { // close() ran meanwhile and may have missed it
            closeQuietly(connection);
        }
    }

    @Override
    public String describe() {
        return url + (login.getProperty("user") != null ? " as " + login.getProperty("user") : "");
    }

    @Override
    public void close() {
        closed = true;
        for (Connection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            closeQuietly(kept);
        }
    }

    private static boolean isValid(Connection connection) {
        try {
            return connection.isValid(VALID_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // A broken connection: closing it is all that was left to do.
        }
    }
}
