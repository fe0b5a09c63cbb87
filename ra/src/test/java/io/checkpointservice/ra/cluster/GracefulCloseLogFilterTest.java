package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JGroups' error about the close marker it could not send to a killed peer is not an error; the
 * transport's other errors still are. The message is the one JGroups 5.5 logs (TcpConnection).
 */
class GracefulCloseLogFilterTest {

    private final Logger tcp = Logger.getLogger(GracefulCloseLogFilter.CATEGORY);
    private final List<LogRecord> shown = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                shown.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        handler.setLevel(Level.INFO);
        tcp.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        tcp.removeHandler(handler);
    }

    @Test
    void aFailedGracefulCloseIsFineOtherErrorsStayErrors() {
        GracefulCloseLogFilter.install();
        try {
            tcp.log(Level.SEVERE, "127.0.0.1:24286: failed sending graceful close to 127.0.0.1:22284: Broken pipe");
            tcp.log(Level.SEVERE, "127.0.0.1:24286: failed sending graceful close to 127.0.0.1:22284: Socket closed");
            tcp.log(Level.SEVERE, "127.0.0.1:24286: failed to create server socket");
        } finally {
            GracefulCloseLogFilter.uninstall();
        }
        assertEquals(List.of("127.0.0.1:24286: failed to create server socket"),
                shown.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void theLastNodeToCloseRemovesTheFilter() {
        GracefulCloseLogFilter.install();
        GracefulCloseLogFilter.install();
        GracefulCloseLogFilter.uninstall();
        tcp.log(Level.SEVERE, "a: failed sending graceful close to b: Broken pipe");
        assertEquals(List.of(), shown, "one node still runs");

        GracefulCloseLogFilter.uninstall();
        assertNull(tcp.getFilter(), "no class of the adapter stays on the server's logger");
        tcp.log(Level.SEVERE, "a: failed sending graceful close to b: Broken pipe");
        assertEquals(1, shown.size());
    }
}
