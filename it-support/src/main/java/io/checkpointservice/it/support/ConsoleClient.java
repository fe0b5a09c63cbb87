package io.checkpointservice.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of checkpoint-console.war as an operator and a Prometheus scraper see it: the
 * server's MicroProfile Health endpoints and the war's Prometheus text. Where the health endpoints
 * live differs (WildFly: the management interface; Payara: the HTTP listener), so the caller names
 * their base. The test module supplies the JSON-P implementation.
 */
public final class ConsoleClient {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer of a health endpoint: 200 when UP, 503 when DOWN. */
    public record Health(int code, JsonObject json) {

        public boolean up() {
            return code == 200 && "UP".equals(json.getString("status", ""));
        }
    }

    /**
     * @param healthBase the server's health root, for example {@code http://127.0.0.1:9990/health}
     * @param which {@code ready} or {@code live}
     */
    public Health health(URI healthBase, String which) {
        URI uri = URI.create(healthBase + "/" + which);
        try {
            HttpResponse<String> response = get(uri);
            return new Health(response.statusCode(), json(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + ": " + e, e);
        }
    }

    /** @return the value of one series of the war's Prometheus text on {@code node}, NaN when it is not there */
    public double metric(HttpNode node, String series) {
        URI uri = URI.create("http://127.0.0.1:" + node.httpPort() + "/checkpoint-console/metrics");
        try {
            String text = get(uri).body();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " of " + node.qualifier() + ": " + e, e);
        }
    }

    /** @return the series name {@code metric{node="<node>"}} */
    public static String perNode(String metric, String node) {
        return metric + "{node=\"" + node + "\"}";
    }

    public HttpResponse<String> get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
