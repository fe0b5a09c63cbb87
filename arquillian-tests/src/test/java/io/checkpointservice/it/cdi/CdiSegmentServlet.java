package io.checkpointservice.it.cdi;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.it.local.CheckpointCdiBean;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code PUT /cdi-segments/<name>} writes the body through {@code @Inject CheckpointConnection}
 * (in {@link CheckpointCdiBean}) and answers the version; {@code GET} answers the bytes with the
 * version in a header, 404 when absent; {@code DELETE} deletes.
 */
@WebServlet("/cdi-segments/*")
public class CdiSegmentServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String VERSION_HEADER = "Checkpoint-Version";

    @Inject
    CheckpointCdiBean checkpoints;

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long version = checkpoints.write(name(request), request.getInputStream().readAllBytes());
        response.setContentType("text/plain");
        response.getOutputStream().write(Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Checkpoint> checkpoint = checkpoints.load(name(request));
        if (checkpoint.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] state = checkpoint.get().state();
        response.setHeader(VERSION_HEADER, Long.toString(checkpoint.get().version()));
        response.setContentType("application/octet-stream");
        response.setContentLength(state.length);
        response.getOutputStream().write(state);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(checkpoints.delete(name(request))
                ? HttpServletResponse.SC_NO_CONTENT : HttpServletResponse.SC_NOT_FOUND);
    }

    private static String name(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path.substring(1);
    }
}
