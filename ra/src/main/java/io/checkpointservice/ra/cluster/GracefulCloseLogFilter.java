package io.checkpointservice.ra.cluster;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the expected aftermath of a crashed peer out of the error log. When a member leaves the
 * view, JGroups' TCP transport closes its connection to it "gracefully", writing a close marker
 * first; to a member that was killed (SIGKILL, power loss) that write fails ("Broken pipe",
 * "Socket closed") and JGroups 5.5 logs it as an ERROR on category
 * {@code org.jgroups.protocols.TCP}, though the connection is dropped either way and the crash
 * itself is reported by the view change. JGroups has no property to skip that close or its
 * message, and lowering the whole category would hide the transport's real errors; so this
 * filter on that category lowers exactly this message to FINE, and nothing else.
 *
 * <p>Installed while a node of this JVM runs and removed when the last one closes: the filter's
 * class belongs to the adapter's deployment, which the server's logger must not keep after the
 * adapter is undeployed. A filter that was on the category before is applied first and put back.
 */
final class GracefulCloseLogFilter implements Filter {

    static final String CATEGORY = "org.jgroups.protocols.TCP";
    static final String MESSAGE = "failed sending graceful close to";

    private static int users;
    /** Held strongly: java.util.logging forgets a logger's filter when nothing references the logger. */
    private static Logger category;

    private final Logger logger;
    private final Filter previous;

    private GracefulCloseLogFilter(Logger logger, Filter previous) {
        this.logger = logger;
        this.previous = previous;
    }

    /** Installs the filter for one more running node. */
    static synchronized void install() {
        if (users++ == 0) {
            category = Logger.getLogger(CATEGORY);
            category.setFilter(new GracefulCloseLogFilter(category, category.getFilter()));
        }
    }

    /** Removes the filter when the last running node of this JVM is gone. */
    static synchronized void uninstall() {
        if (users > 0 && --users == 0) {
            if (category.getFilter() instanceof GracefulCloseLogFilter mine) {
                category.setFilter(mine.previous);
            }
            category = null;
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (previous != null && !previous.isLoggable(record)) {
            return false;
        }
        String message = record.getMessage();
        if (record.getLevel().intValue() > Level.INFO.intValue() && message != null && message.contains(MESSAGE)) {
            record.setLevel(Level.FINE);
            return logger.isLoggable(Level.FINE);
        }
        return true;
    }
}
