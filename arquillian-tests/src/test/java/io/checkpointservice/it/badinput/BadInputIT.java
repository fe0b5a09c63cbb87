package io.checkpointservice.it.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.StorageSnapshot;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
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
 * only names the row and reports the server's answer; for the rows about a destroyed physical
 * connection it first has the server hold a connection open and then flushes the pool through
 * WildFly's management API.
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
                .addClasses(BadInputServlet.class, HeldConnectionServlet.class, BadInputCase.class,
                        BadInputCase.Body.class, BadInputCases.class, CaseContext.class, ConcurrentClose.class,
                        Expect.class, Expect.Call.class, StorageSnapshot.class,
                        Victims.class, Victims.Victim.class);
    }

    /** The pool of java:/eis/checkpoint as WildFly's management model shows an ironjacamar.xml activation. */
    private static final String POOL_ADDRESS = "/deployment=" + Deployments.RAR_NAME + "/subsystem=resource-adapters"
            + "/ironjacamar=ironjacamar/resource-adapter=" + Deployments.RAR_NAME
            + "/connection-definitions=" + Deployments.CONNECTION_FACTORY_JNDI;

    static List<String> rows() {
        return BadInputCases.names();
    }

    static List<String> rowsAfterDestroy() {
        return BadInputCases.namesAfterDestroy();
    }

    @Test
    void tableHasAtLeastFortyRows() {
        assertTrue(rows().size() >= 40, "expected at least 40 bad-input rows, got " + rows().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rejectedCleanlyAndNothingStoredIsHarmed(String row) throws Exception {
        runRow(row);
    }

    /**
     * A handle held open across requests while WildFly destroys every physical connection of the
     * pool ({@code flush-all-connection-in-pool}, in use or not): the handle must then refuse
     * every call with IllegalStateException, as a closed one does.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rowsAfterDestroy")
    void handleOfDestroyedPhysicalConnectionIsRefused(String row) throws Exception {
        HttpRequest hold = HttpRequest.newBuilder(URI.create(base() + "/hold")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> held = http.send(hold, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, held.statusCode(), () -> "POST /hold: " + held.body());

        ModelNode flush = new ModelNode();
        flush.get("operation").set("flush-all-connection-in-pool");
        ModelNode address = flush.get("address");
        address.add("deployment", Deployments.RAR_NAME);
        address.add("subsystem", "resource-adapters");
        address.add("ironjacamar", "ironjacamar");
        address.add("resource-adapter", Deployments.RAR_NAME);
        address.add("connection-definitions", Deployments.CONNECTION_FACTORY_JNDI);
        ModelNode result;
        // Local authentication: the management client runs on the server's host, as jboss-cli does.
        try (ModelControllerClient management = ModelControllerClient.Factory.create(
                "remote+http", "127.0.0.1", Nodes.NODE_1.managementPort())) {
            result = management.execute(flush);
        }
        assertEquals("success", result.get("outcome").asString(), () -> POOL_ADDRESS + ":flush-all-connection-in-pool: " + result);

        runRow(row);
    }

    private void runRow(String row) throws Exception {
        URI uri = URI.create(base() + "/cases?name="
                + URLEncoder.encode(row, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "row '" + row + "' on node-1: " + response.body());
        assertEquals("passed", response.body(), "expected the row's answer");
    }

    private static String base() {
        return "http://127.0.0.1:" + Nodes.NODE_1.httpPort() + "/" + CONTEXT;
    }
}
