package io.checkpointservice.it.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the real API on WildFly (G9), one report entry per row of
 * {@link BadInputCases}: node-1 (disk mode, maxSegmentBytes 16 MiB, replicaCount 0) with the
 * built adapter and a second connection definition of namespace {@code other}
 * ({@link Deployments#checkpointAdapterWithSecondNamespace()}). Each row runs inside the server in
 * {@link BadInputServlet}, which checks the row's exception (type and message) and, around it,
 * that the victims keep version and bytes and that the storage directory is unchanged. The client
 * only names the row and reports the server's answer.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT {

    private static final String CONTEXT = "bad-input-app";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = "checkpoint-ra", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapterWithSecondNamespace();
    }

    @Deployment(name = "bad-input-app", order = 2, testable = false)
    static WebArchive application() {
        return Deployments.applicationWar(CONTEXT + ".war")
                .addClasses(BadInputServlet.class, BadInputCase.class, BadInputCase.Body.class, BadInputCases.class,
                        CaseContext.class, ConcurrentClose.class, Expect.class, Expect.Call.class, StorageSnapshot.class,
                        Victims.class, Victims.Victim.class);
    }

    static List<String> rows() {
        return BadInputCases.names();
    }

    @Test
    void tableHasAtLeastFortyRows() {
        assertTrue(rows().size() >= 40, "expected at least 40 bad-input rows, got " + rows().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rejectedCleanlyAndNothingStoredIsHarmed(String row) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + Nodes.NODE_1.httpPort() + "/" + CONTEXT + "/cases?name="
                + URLEncoder.encode(row, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "row '" + row + "' on node-1: " + response.body());
        assertEquals("passed", response.body(), "expected the row's answer");
    }
}
