package io.checkpointservice.it.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.local.CheckpointCdiBean;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an application's {@code @Inject CheckpointConnection} finds the API's CDI producer, which
 * lives in the API jar inside the .rar (measured on WildFly 39):
 *
 * <ul>
 * <li>{@code Dependencies: deployment.checkpoint-ra.rar meta-inf}: works, the recommended way
 *     ({@link Deployments#APPLICATION_MANIFEST}; LocalCheckpointIT uses it);</li>
 * <li>{@code Dependencies: deployment.checkpoint-ra.rar} alone: the classes are visible but the
 *     producer is no bean, the deployment fails with WELD-001408;</li>
 * <li>that dependency plus the checkpoint-api jar in WEB-INF/lib: works too (the dependency wins
 *     for class loading, the bundled jar's beans.xml makes the producer a bean), at the price of a
 *     second, unused copy of the API classes in the war.</li>
 * </ul>
 *
 * These tests pin the last two facts, so the documentation changes when WildFly's behaviour does.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CdiProducerDiscoveryIT {

    private static final String CLASSES_ONLY = "cdi-classes-only";
    private static final String BUNDLED_API = "cdi-bundled-api";

    @Deployment(name = "checkpoint-ra", order = 1, testable = false)
    @TargetsContainer("node-1")
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = CLASSES_ONLY, managed = false, testable = false)
    @TargetsContainer("node-1")
    static WebArchive classesOnly() {
        return cdiApplication(CLASSES_ONLY)
                .setManifest(new StringAsset(Deployments.CLASSES_ONLY_MANIFEST));
    }

    @Deployment(name = BUNDLED_API, managed = false, testable = false)
    @TargetsContainer("node-1")
    static WebArchive bundledApi() {
        return cdiApplication(BUNDLED_API)
                .setManifest(new StringAsset(Deployments.CLASSES_ONLY_MANIFEST))
                .addAsLibrary(Deployments.checkpointApiJar());
    }

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    ManagementClient management;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void manifestDependencyWithoutMetaInfLeavesInjectedConnectionUnsatisfied() throws IOException {
        String war = CLASSES_ONLY + ".war";
        // Deployer.deploy rethrows Arquillian's (checked) DeploymentException without declaring it.
        Exception failure = null;
        try {
            deployer.deploy(CLASSES_ONLY);
        } catch (Exception e) {
            failure = e;
        }
        try {
            assertNotNull(failure, "expected the deployment of " + war + " to fail, it succeeded");
            assertTrue(String.valueOf(failure.getMessage()).contains("WELD-001408"),
                    "expected the deployment failure to be WELD-001408 (unsatisfied dependency), got: " + failure);
            assertFalse(deploymentNames().contains(war), "expected " + war + " with '"
                    + Deployments.CLASSES_ONLY_MANIFEST.trim().replace('\n', ' ')
                    + "' and @Inject CheckpointConnection to be rolled back, but node-1 has it deployed");
            String log = Files.readString(Nodes.NODE_1.serverLog());
            int rolledBack = log.indexOf("Deploy of deployment \"" + war + "\" was rolled back");
            assertTrue(rolledBack >= 0, "expected a WFLYSRV0021 roll-back message for " + war + " in "
                    + Nodes.NODE_1.serverLog());
            String reason = log.substring(rolledBack, Math.min(log.length(), rolledBack + 4000));
            assertTrue(reason.contains("WELD-001408") && reason.contains("CheckpointConnection"),
                    "expected WELD-001408 (unsatisfied dependency) for CheckpointConnection as the reason, got:\n"
                            + reason);
        } finally {
            if (deploymentNames().contains(war)) {
                deployer.undeploy(CLASSES_ONLY);
            }
        }
    }

    @Test
    void apiJarInWebInfLibNextToManifestDependencyAlsoMakesInjectionWork() throws Exception {
        deployer.deploy(BUNDLED_API);
        try {
            String name = "cdi-it/bundled/" + UUID.randomUUID();
            byte[] state = "through a bundled API jar".getBytes(StandardCharsets.UTF_8);
            URI uri = URI.create("http://127.0.0.1:" + Nodes.NODE_1.httpPort() + "/" + BUNDLED_API
                    + "/cdi-segments/" + name);

            HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(state)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), () -> "expected HTTP 200 from PUT " + uri + ", body: " + put.body()
                    + "\n--- node-1 server.log (tail) ---\n" + Nodes.NODE_1.serverLogTail(40));
            long version = Long.parseLong(put.body().trim());

            HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (get.statusCode() != 200) {
                fail("expected HTTP 200 from GET " + uri + ", got " + get.statusCode()
                        + "\n--- node-1 server.log (tail) ---\n" + Nodes.NODE_1.serverLogTail(40));
            }
            assertEquals(Long.toString(version), get.headers().firstValue(CdiSegmentServlet.VERSION_HEADER).orElse(null),
                    "expected the version written in header " + CdiSegmentServlet.VERSION_HEADER);
            assertArrayEquals(state, get.body(), "expected the bytes written");

            HttpResponse<Void> delete = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(204, delete.statusCode(), "expected HTTP 204 from DELETE of an existing segment");
        } finally {
            deployer.undeploy(BUNDLED_API);
        }
    }

    private List<String> deploymentNames() throws IOException {
        ModelNode op = Operations.createOperation("read-children-names", new ModelNode().setEmptyList());
        op.get("child-type").set("deployment");
        ModelNode result = management.getControllerClient().execute(op);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException("read-children-names(deployment) failed on node-1: "
                    + Operations.getFailureDescription(result));
        }
        return Operations.readResult(result).asList().stream().map(ModelNode::asString).toList();
    }

    private static WebArchive cdiApplication(String name) {
        return Deployments.applicationWar(name + ".war")
                .addClasses(CdiSegmentServlet.class, CheckpointCdiBean.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

}
