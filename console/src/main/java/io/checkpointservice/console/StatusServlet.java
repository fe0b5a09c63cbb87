package io.checkpointservice.console;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code api/status}: the nodes of this server as JSON ({@link StatusJson}); and
 * {@code api/segment?node=&name=}: one node's {@code describe(name)}.
 */
@WebServlet(urlPatterns = {"/api/status", "/api/segment"})
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private ConsoleState state;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if ("/api/segment".equals(request.getServletPath())) {
            segment(request, response);
            return;
        }
        Status status = state.status();
        send(response, HttpServletResponse.SC_OK,
                StatusJson.of(status, state.history(), state.rules().belowReplicaCountLimit()));
    }

    private void segment(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String node = request.getParameter("node");
        String name = request.getParameter("name");
        try {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("parameter name (namespace/name of a segment) is missing");
            }
            send(response, HttpServletResponse.SC_OK, StatusJson.of(node, state.reader().describe(node, name.trim())));
        } catch (IllegalArgumentException e) {
            send(response, HttpServletResponse.SC_BAD_REQUEST,
                    Json.createObjectBuilder().add("error", String.valueOf(e.getMessage())).build());
        }
    }

    private static void send(HttpServletResponse response, int code, JsonObject json) throws IOException {
        response.setStatus(code);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.toString());
    }
}
