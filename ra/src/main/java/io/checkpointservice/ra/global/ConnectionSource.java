package io.checkpointservice.ra.global;

import java.sql.Connection;
import java.sql.SQLException;

/** Where {@link JdbcGlobalStore} takes its database connections from: the server's pool or its own. */
interface ConnectionSource extends AutoCloseable {

    /** @return a connection in auto-commit mode, for one operation */
    Connection borrow() throws SQLException;

    /**
     * Hands a borrowed connection back.
     *
     * @param broken true when an operation on it failed: it is closed, never reused
     */
    void giveBack(Connection connection, boolean broken);

    /** @return where the connections go, for logs and messages; never a password */
    String describe();

    @Override
    void close();
}
