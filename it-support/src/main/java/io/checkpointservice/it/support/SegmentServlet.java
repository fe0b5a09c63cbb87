package io.checkpointservice.it.support;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.SegmentUnavailableException;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The application of the failover tests on WildFly and Payara, driven over HTTP by
 * {@link SegmentClient}. It reaches the connection factory the portable way an application does:
 * the resource reference {@value PortableLookup#RESOURCE_NAME}, mapped to the server's binding by
 * the descriptors {@link PortableLookup} adds to the archive.
 * <ul>
 *   <li>{@code PUT /segments/<name>}: {@code write} of the request body; answers the version.</li>
 *   <li>{@code GET /segments/<name>}: {@code load}; answers the bytes with version, origin node and
 *       SHA-256 (computed here, from what {@code load} returned) in headers; 404 when absent, 503
 *       with the message on {@link SegmentUnavailableException} (the caller may retry, G8).</li>
 *   <li>{@code GET /segments/<name>?version=V}: {@code load(name, V)}, a kept version (reads
 *       only), answered like {@code load}; 404 when that version is not kept.</li>
 *   <li>{@code GET /versions/<name>}: {@code versions}, the kept versions newest first,
 *       comma-separated (empty when none); 503 on {@link SegmentUnavailableException}.</li>
 *   <li>{@code POST /replicated/<name>?version=V&timeoutMillis=T}: {@code awaitReplicated};
 *       answers {@code true} or {@code false}.</li>
 *   <li>{@code POST /replicated-all?timeoutMillis=T} with lines {@code <name>=<version>} as the
 *       body: {@code awaitAllReplicated} of those; answers {@code true} or {@code false}.</li>
 * </ul>
 * Any other exception is answered 500 with its class and message, so the client's failure message
 * says what went wrong on the node.
 */
@WebServlet(urlPatterns = {"/segments/*", "/versions/*", "/replicated/*", "/replicated-all"})
public class SegmentServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String VERSION_HEADER = "Checkpoint-Version";
    public static final String ORIGIN_HEADER = "Checkpoint-Origin-Node";
    public static final String SHA256_HEADER = "Checkpoint-Sha256";

    @Resource(name = PortableLookup.RESOURCE_NAME)
    private CheckpointConnectionFactory factory;

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = segmentName(request);
        byte[] state = request.getInputStream().readAllBytes();
        try (CheckpointConnection connection = factory.getConnection()) {
            long version = connection.write(name, state);
            text(response, HttpServletResponse.SC_OK, Long.toString(version));
        } catch (RuntimeException e) {
            text(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = segmentName(request);
        if ("/versions".equals(request.getServletPath())) {
            versions(name, response);
            return;
        }
        String version = request.getParameter("version");
        Optional<Checkpoint> checkpoint;
        try (CheckpointConnection connection = factory.getConnection()) {
            checkpoint = version == null ? connection.load(name) : connection.load(name, Long.parseLong(version));
        } catch (SegmentUnavailableException e) {
            text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.toString());
            return;
        } catch (RuntimeException e) {
            text(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
            return;
        }
        if (checkpoint.isEmpty()) {
            text(response, HttpServletResponse.SC_NOT_FOUND,
                    version == null ? "no segment " + name : "version " + version + " of " + name + " is not kept");
            return;
        }
        byte[] state = checkpoint.get().state();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/octet-stream");
        response.setHeader(VERSION_HEADER, Long.toString(checkpoint.get().version()));
        response.setHeader(ORIGIN_HEADER, checkpoint.get().originNode());
        response.setHeader(SHA256_HEADER, sha256(state));
        response.setContentLength(state.length);
        response.getOutputStream().write(state);
    }

    private void versions(String name, HttpServletResponse response) throws IOException {
        try (CheckpointConnection connection = factory.getConnection()) {
            text(response, HttpServletResponse.SC_OK,
                    connection.versions(name).stream().map(String::valueOf).collect(Collectors.joining(",")));
        } catch (SegmentUnavailableException e) {
            text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.toString());
        } catch (RuntimeException e) {
            text(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/replicated-all".equals(request.getServletPath())) {
            awaitAll(request, response);
            return;
        }
        if (!"/replicated".equals(request.getServletPath())) {
            text(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "POST only on /replicated/<name> and /replicated-all");
            return;
        }
        String name = segmentName(request);
        try (CheckpointConnection connection = factory.getConnection()) {
            long version = Long.parseLong(request.getParameter("version"));
            Duration timeout = Duration.ofMillis(Long.parseLong(request.getParameter("timeoutMillis")));
            text(response, HttpServletResponse.SC_OK, Boolean.toString(connection.awaitReplicated(name, version, timeout)));
        } catch (RuntimeException e) {
            text(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    private void awaitAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (String line : new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                int equals = line.lastIndexOf('=');
                versions.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1).trim()));
            }
        }
        try (CheckpointConnection connection = factory.getConnection()) {
            Duration timeout = Duration.ofMillis(Long.parseLong(request.getParameter("timeoutMillis")));
            text(response, HttpServletResponse.SC_OK, Boolean.toString(connection.awaitAllReplicated(versions, timeout)));
        } catch (RuntimeException e) {
            text(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    /** @return the lower-case hex SHA-256 of {@code bytes} */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void text(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String segmentName(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path.substring(1);
    }
}
