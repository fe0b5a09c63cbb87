package io.checkpointservice.it.restart;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A small application for client-side tests: {@code PUT /segments/<name>} writes the request body
 * and answers the new version; {@code GET /segments/<name>} answers the bytes with the version and
 * origin node in headers, or 404 when the segment is absent.
 */
@WebServlet("/segments/*")
public class SegmentServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String VERSION_HEADER = "Checkpoint-Version";
    public static final String ORIGIN_HEADER = "Checkpoint-Origin-Node";

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory factory;

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = segmentName(request);
        byte[] state = request.getInputStream().readAllBytes();
        long version;
        try (CheckpointConnection connection = factory.getConnection()) {
            version = connection.write(name, state);
        }
        response.setContentType("text/plain");
        response.setHeader(VERSION_HEADER, Long.toString(version));
        response.getOutputStream().write(Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = segmentName(request);
        Optional<Checkpoint> checkpoint;
        try (CheckpointConnection connection = factory.getConnection()) {
            checkpoint = connection.load(name);
        }
        if (checkpoint.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no segment " + name);
            return;
        }
        byte[] state = checkpoint.get().state();
        response.setContentType("application/octet-stream");
        response.setHeader(VERSION_HEADER, Long.toString(checkpoint.get().version()));
        response.setHeader(ORIGIN_HEADER, checkpoint.get().originNode());
        response.setContentLength(state.length);
        response.getOutputStream().write(state);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = segmentName(request);
        boolean existed;
        try (CheckpointConnection connection = factory.getConnection()) {
            existed = connection.delete(name);
        }
        response.setStatus(existed ? HttpServletResponse.SC_NO_CONTENT : HttpServletResponse.SC_NOT_FOUND);
    }

    private static String segmentName(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path.substring(1);
    }
}
