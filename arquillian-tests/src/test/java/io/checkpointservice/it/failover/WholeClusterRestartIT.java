package io.checkpointservice.it.failover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.PortableLookup;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import io.checkpointservice.testsupport.Directories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Disk mode on two real WildFly nodes, both server JVMs SIGKILLed at the same instant and started
 * again in the other order: B, which never wrote or loaded the segments, loads every one that A
 * had written and awaited, with A's bytes; then A loads them too. The records come back from the
 * nodes' disks and the chunks from the replica's disk or A's own copy (docs/ARCHITECTURE.md,
 * "Persistence in disk mode").
 *
 * <p>A is node-3, B is node-4 (manual containers, the failover cluster of pom.xml, R = 1, cluster
 * secret), started here in disk mode with storage directories of this test.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WholeClusterRestartIT {

    private static final Nodes A = Nodes.NODE_3;
    private static final Nodes B = Nodes.NODE_4;
    private static final String APP_CONTEXT = "restart-app";
    private static final String A_ADAPTER = "node-3-restart-ra";
    private static final String A_APP = "node-3-restart-app";
    private static final String B_ADAPTER = "node-4-restart-ra";
    private static final String B_APP = "node-4-restart-app";
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);
    /** How long loads may answer "unavailable, retry" while the restarted nodes put the chunks back. */
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final Path STORAGE = Path.of(System.getProperty("nodes.dir", "target/nodes"), "whole-cluster-restart");

    @Deployment(name = A_ADAPTER, order = 1, managed = false, testable = false)
    @TargetsContainer("node-3")
    static ResourceAdapterArchive adapterOnA() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = A_APP, order = 2, managed = false, testable = false)
    @TargetsContainer("node-3")
    static WebArchive applicationOnA() {
        return application();
    }

    @Deployment(name = B_ADAPTER, order = 3, managed = false, testable = false)
    @TargetsContainer("node-4")
    static ResourceAdapterArchive adapterOnB() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = B_APP, order = 4, managed = false, testable = false)
    @TargetsContainer("node-4")
    static WebArchive applicationOnB() {
        return application();
    }

    private static WebArchive application() {
        return PortableLookup.mapped(Deployments.applicationWar(APP_CONTEXT + ".war")).addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final SegmentClient client = new SegmentClient(APP_CONTEXT, WholeClusterRestartIT::logs);
    /** Deployment names per node, in deployment order: undeployed after the test. */
    private final Map<Nodes, List<String>> deployed = new LinkedHashMap<>();

    @Test
    void everyAwaitedSegmentLoadsOnTheOtherNodeAfterBothWereKilledAndRestarted() throws Exception {
        Directories.deleteRecursively(STORAGE);
        A.resetConfiguration(); // no deployments left by a test that killed these nodes before
        B.resetConfiguration();
        start(A, A_ADAPTER, A_APP);
        start(B, B_ADAPTER, B_APP);

        Map<String, byte[]> written = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        String prefix = "restart-it/" + UUID.randomUUID() + "/";
        for (int i = 0; i < 4; i++) {
            byte[] state = new byte[i == 0 ? 1_500_000 : 40_000 + i]; // one of two chunks, three of one
            new Random(i).nextBytes(state);
            written.put(prefix + i, state);
            versions.put(prefix + i, client.put(A, prefix + i, state));
        }
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        boolean replicated = false;
        while (!replicated && System.nanoTime() < deadline) { // until B has joined and holds every copy
            replicated = client.awaitAllReplicated(A, versions, Duration.ofSeconds(5));
        }
        assertTrue(replicated, "expected awaitAllReplicated(" + versions + ") on " + A.qualifier() + " to say true with "
                + B.qualifier() + " in the cluster within " + REPLICATION_TIMEOUT + logs());

        killTogether(A, B);
        restart(B); // the servers deploy the adapter and the application again by themselves
        restart(A);

        for (Nodes node : List.of(B, A)) {
            for (Map.Entry<String, byte[]> segment : written.entrySet()) {
                SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(node, segment.getKey(), LOAD_DEADLINE,
                        "after both nodes were SIGKILLed and restarted, " + B.qualifier() + " first");
                assertEquals(versions.get(segment.getKey()), loaded.version(), "version of " + segment.getKey()
                        + " loaded on " + node.qualifier() + " after the restart");
                assertEquals(A.qualifier(), loaded.originNode(), "origin of " + segment.getKey());
                assertArrayEquals(segment.getValue(), loaded.state(), "bytes of " + segment.getKey() + " loaded on "
                        + node.qualifier() + " after the restart");
            }
        }
    }

    private void start(Nodes node, String adapter, String app) {
        restart(node);
        deployer.deploy(adapter);
        deployer.deploy(app);
        deployed.computeIfAbsent(node, n -> new ArrayList<>()).addAll(List.of(adapter, app));
    }

    /** Starts the node's server in disk mode; it deploys again whatever it had deployed before. */
    private void restart(Nodes node) {
        controller.start(node.qualifier(), node.startConfig(
                "-Dcheckpoint.storageMode=disk",
                "-Dcheckpoint.syncPolicy=none",
                "-Dcheckpoint.storageDirectory=" + STORAGE.resolve(node.qualifier()).toAbsolutePath()));
    }

    /** SIGKILL to both server JVMs first, then waits for both: the cluster loses them at once. */
    private void killTogether(Nodes... nodes) throws Exception {
        List<ProcessHandle> servers = new ArrayList<>();
        for (Nodes node : nodes) {
            servers.add(node.serverProcess());
        }
        servers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle server : servers) {
            server.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (Nodes node : nodes) {
            controller.stop(node.qualifier()); // the process is gone: Arquillian only tidies up
        }
    }

    @AfterEach
    void stopBoth() {
        List<String> problems = new ArrayList<>();
        for (Nodes node : List.of(A, B)) {
            if (controller.isStarted(node.qualifier())) {
                List<String> names = deployed.getOrDefault(node, List.of());
                for (int i = names.size() - 1; i >= 0; i--) { // so that the next test class deploys afresh
                    try {
                        deployer.undeploy(names.get(i));
                    } catch (RuntimeException e) {
                        problems.add("undeploy " + names.get(i) + ": " + e);
                    }
                }
                try {
                    controller.stop(node.qualifier());
                } catch (RuntimeException e) {
                    problems.add("stop " + node.qualifier() + ": " + e);
                }
            }
            List<Long> killed = node.killServerProcesses(KILL_TIMEOUT);
            if (!killed.isEmpty()) {
                problems.add(node.qualifier() + " was still running after stop; killed pids " + killed);
            }
        }
        deployed.clear();
        if (!problems.isEmpty()) {
            fail("cleanup had problems: " + problems);
        }
    }

    @AfterAll
    static void noServerProcessLeftBehind() {
        A.killServerProcesses(KILL_TIMEOUT);
        B.killServerProcesses(KILL_TIMEOUT);
    }

    private static String logs() {
        return Stream.of(A, B).map(n -> "\n--- " + n.serverLog() + " (tail) ---\n" + n.serverLogTail(40))
                .collect(Collectors.joining());
    }
}
