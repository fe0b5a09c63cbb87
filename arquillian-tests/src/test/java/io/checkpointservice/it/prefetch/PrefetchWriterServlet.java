package io.checkpointservice.it.prefetch;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes (POST) or deletes (DELETE) the segment the prefetching deployment declares. */
@WebServlet("/segment")
public class PrefetchWriterServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory factory;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (CheckpointConnection connection = factory.getConnection()) {
            long version = connection.write(PrefetchingJob.SEGMENT, request.getInputStream().readAllBytes());
            response.getWriter().print(version);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (CheckpointConnection connection = factory.getConnection()) {
            response.getWriter().print(connection.delete(PrefetchingJob.SEGMENT));
        }
    }
}
