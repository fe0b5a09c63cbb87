package io.checkpointservice.it.prefetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent path: a deployment that declares {@code @PrefetchCheckpoints} has its segments
 * loaded while it starts, before its own code asks, and the report says so.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrefetchOnDeploymentIT {

    private static final String PREFETCHER = "prefetcher";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "checkpoint-ra", order = 1, testable = false)
    @TargetsContainer("node-1")
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = "prefetch-writer", order = 2, testable = false)
    @TargetsContainer("node-1")
    static WebArchive writer() {
        return Deployments.applicationWar("prefetch-writer.war")
                .addClasses(PrefetchWriterServlet.class, PrefetchingJob.class);
    }

    @Deployment(name = PREFETCHER, managed = false, testable = false)
    @TargetsContainer("node-1")
    static WebArchive prefetcher() {
        return Deployments.applicationWar("prefetcher.war")
                .addClasses(PrefetchingJob.class, PrefetchReportServlet.class);
    }

    @Test
    void declaredSegmentIsLoadedWhileTheDeploymentStarts() throws Exception {
        String base = "http://127.0.0.1:" + Nodes.NODE_1.httpPort();
        HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create(base + "/prefetch-writer/segment"))
                .POST(HttpRequest.BodyPublishers.ofString("state-to-restore")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, written.statusCode(), "writing the segment: " + written.body());
        try {
            deployer.deploy(PREFETCHER);
            String report = get(base + "/prefetcher/report");
            assertTrue(report.contains("loaded=[prefetch-it/state]"),
                    "the declared segment should be loaded by the prefetch, report was: " + report);
            assertTrue(report.contains("failed=[]"), "nothing should fail, report was: " + report);
            assertTrue(report.matches("(?s).*sinceDeploymentStartMillis=\\d+.*"),
                    "the report should give the time since deployment start: " + report);
        } finally {
            deployer.undeploy(PREFETCHER);
            http.send(HttpRequest.newBuilder(URI.create(base + "/prefetch-writer/segment")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + url + ": " + response.body());
        return response.body();
    }
}
