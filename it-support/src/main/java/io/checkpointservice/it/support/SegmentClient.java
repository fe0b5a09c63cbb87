package io.checkpointservice.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The client side of {@link SegmentServlet}: write, await, load and list kept versions on a WildFly or Payara node
 * over HTTP, failing the test (an {@link AssertionError}) with the given logs when an answer is not
 * the expected one.
 */
public final class SegmentClient {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String appContext;
    private final Supplier<String> logs;

    /** @param logs the server log tails to append to a failure message */
    public SegmentClient(String appContext, Supplier<String> logs) {
        this.appContext = appContext;
        this.logs = logs;
    }

    /** @return the version {@code write} returned on {@code node} */
    public long put(HttpNode node, String name, byte[] state) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(node, "segments/" + name))
                .timeout(HTTP_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(state))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("expected HTTP 200 from PUT " + request.uri() + ", got " + response.statusCode() + ": "
                    + response.body() + logs.get());
        }
        return Long.parseLong(response.body().trim());
    }

    public boolean awaitReplicated(HttpNode node, String name, long version, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = uri(node, "replicated/" + name + "?version=" + version + "&timeoutMillis=" + timeout.toMillis());
        return postForBoolean(uri, HttpRequest.BodyPublishers.noBody(), timeout);
    }

    public boolean awaitAllReplicated(HttpNode node, Map<String, Long> versions, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = uri(node, "replicated-all?timeoutMillis=" + timeout.toMillis());
        String body = versions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
        return postForBoolean(uri, HttpRequest.BodyPublishers.ofString(body), timeout);
    }

    private boolean postForBoolean(URI uri, HttpRequest.BodyPublisher body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT.plus(timeout)).POST(body).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("expected HTTP 200 from POST " + uri + ", got " + response.statusCode() + ": " + response.body() + logs.get());
        }
        return Boolean.parseBoolean(response.body().trim());
    }

    /**
     * GETs until 200; 503 is "exists, no copy reachable now, retry" (G8) and is retried until
     * {@code deadline} has passed. Anything else, 404 ("absent") included, fails the test.
     *
     * @param situation what happened before the load, for the failure message
     */
    public Loaded loadRetryingWhileUnavailable(HttpNode node, String name, Duration deadline, String situation)
            throws IOException, InterruptedException {
        return getRetryingWhileUnavailable(node, "segments/" + name, false, deadline, "load on " + node.qualifier()
                + " " + situation).orElseThrow();
    }

    /**
     * GETs until 200 or {@code notFound} (when {@code notFoundIsAnAnswer}), retrying 503 until
     * {@code deadline}; anything else fails the test.
     */
    private Optional<Loaded> getRetryingWhileUnavailable(HttpNode node, String pathAndQuery, boolean notFoundIsAnAnswer,
                                                         Duration deadline, String what)
            throws IOException, InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        List<String> earlier = new ArrayList<>();
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(uri(node, pathAndQuery)).timeout(HTTP_TIMEOUT).GET().build();
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (response.statusCode() == 200) {
                return Optional.of(loaded(response, earlier.size() + 1, earlier));
            }
            if (response.statusCode() == 404 && notFoundIsAnAnswer) {
                return Optional.empty();
            }
            String answer = response.statusCode() + " after " + took + " ms: "
                    + new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() != 503 || System.nanoTime() > until) {
                throw new AssertionError("expected HTTP 200" + (notFoundIsAnAnswer ? " or 404" : "") + " from GET "
                        + request.uri() + " (" + what + "), got " + answer + "; earlier answers: " + earlier + logs.get());
            }
            earlier.add(answer);
            Thread.sleep(500);
        }
    }

    /** @return {@code versions(name)} on {@code node}: the kept versions, newest first */
    public List<Long> versions(HttpNode node, String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(node, "versions/" + name)).timeout(HTTP_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("expected HTTP 200 from GET " + request.uri() + ", got " + response.statusCode()
                    + ": " + response.body() + logs.get());
        }
        String listed = response.body().trim();
        return listed.isEmpty() ? List.of() : Arrays.stream(listed.split(",")).map(Long::valueOf).toList();
    }

    /**
     * {@code load(name, version)} on {@code node}, a kept version (reads only); "unavailable" (503,
     * e.g. its chunks not yet put back after a restart) is retried until {@code deadline}.
     *
     * @return empty when the node answers that the version is not kept (404)
     */
    public Optional<Loaded> loadVersion(HttpNode node, String name, long version, Duration deadline)
            throws IOException, InterruptedException {
        return getRetryingWhileUnavailable(node, "segments/" + name + "?version=" + version, true, deadline,
                "load of v" + version + " on " + node.qualifier());
    }

    private static Loaded loaded(HttpResponse<byte[]> response, int attempts, List<String> earlier) {
        return new Loaded(Long.parseLong(header(response, SegmentServlet.VERSION_HEADER)),
                header(response, SegmentServlet.ORIGIN_HEADER),
                header(response, SegmentServlet.SHA256_HEADER), response.body(), attempts, earlier);
    }

    private URI uri(HttpNode node, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + node.httpPort() + "/" + appContext + "/" + pathAndQuery);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(
                () -> new AssertionError("expected header " + name + " on " + response.request().method() + " "
                        + response.request().uri()));
    }

    /** What a load returned, and the answers before it. */
    public record Loaded(long version, String originNode, String sha256Header, byte[] state, int attempts,
                  List<String> earlierAnswers) {
    }
}
