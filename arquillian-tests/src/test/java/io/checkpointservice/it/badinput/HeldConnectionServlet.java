package io.checkpointservice.it.badinput;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /hold}: opens a connection of namespace {@code default} and keeps it open past the
 * request, so that the client can have WildFly destroy its physical connection (the pool's
 * {@code flush-all-connection-in-pool}) before a row uses the handle.
 */
@WebServlet("/hold")
public class HeldConnectionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AtomicReference<CheckpointConnection> HELD = new AtomicReference<>();

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory factory;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CheckpointConnection previous = HELD.getAndSet(factory.getConnection());
        if (previous != null) {
            previous.close();
        }
        response.setContentType("text/plain");
        response.getWriter().print("held");
    }

    /** @return the held connection, handed over to the caller (who closes it) */
    static CheckpointConnection take() {
        CheckpointConnection held = HELD.getAndSet(null);
        if (held == null) {
            throw new IllegalStateException("no held connection: POST /hold first");
        }
        return held;
    }
}
