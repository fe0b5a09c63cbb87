package io.checkpointservice.it.failover;

import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.NodeShutdown;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.PortableLookup;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the failover tests on two real WildFly nodes share: A is node-3 and B is node-4 (manual
 * containers), each given the adapter and the segment application ({@link SegmentServlet}, reached
 * with {@link #client}); the test starts the nodes with its own settings and deploys with
 * {@link #startAndDeploy}. After each test every node it deployed to is undeployed (so that the
 * next test class deploys afresh) and stopped, and any server JVM still running is killed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class TwoNodeFailoverBase {

    static final Nodes A = Nodes.NODE_3;
    static final Nodes B = Nodes.NODE_4;
    static final String APP_CONTEXT = "segment-app";
    static final String A_ADAPTER = "node-3-checkpoint-ra";
    static final String A_APP = "node-3-segment-app";
    static final String B_ADAPTER = "node-4-checkpoint-ra";
    static final String B_APP = "node-4-segment-app";
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    /** Lines of each server log a failure message ends with. */
    private static final int LOG_TAIL_LINES = 60;

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

    /** The segment application, reaching the connection factory through its portable resource reference. */
    static WebArchive application() {
        return PortableLookup.mapped(Deployments.applicationWar(APP_CONTEXT + ".war")).addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    final SegmentClient client = new SegmentClient(APP_CONTEXT, this::logs);
    /** Deployment names per node, in deployment order: undeployed after the test. */
    private final Map<Nodes, List<String>> deployed = new LinkedHashMap<>();

    /** @return the nodes this test uses, in the order they are stopped after it; A and B unless overridden */
    List<Nodes> nodes() {
        return List.of(A, B);
    }

    /** Starts {@code node}'s server with {@code startConfig}, then deploys {@code deployments} in order. */
    void startAndDeploy(Nodes node, Map<String, String> startConfig, String... deployments) {
        List<String> names = deployed.computeIfAbsent(node, n -> new ArrayList<>());
        controller.start(node.qualifier(), startConfig);
        for (String deployment : deployments) {
            deployer.deploy(deployment);
            names.add(deployment);
        }
    }

    /** @return whether this test has deployed anything to {@code node} yet */
    boolean deployedTo(Nodes node) {
        return deployed.containsKey(node);
    }

    /** SIGKILL to every server JVM first, then waits for all: the cluster loses them at once. */
    void killTogether(Nodes... nodes) throws Exception {
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

    /** Runs after every node of the test is stopped: for clean-up of what outlives the servers. */
    void afterNodesStopped() {
    }

    @AfterEach
    void undeployAndStopNodes() {
        List<String> problems = new ArrayList<>();
        for (Nodes node : nodes()) {
            problems.addAll(NodeShutdown.undeployAndStop(controller, deployer, node, deployed.getOrDefault(node, List.of()),
                    KILL_TIMEOUT));
        }
        deployed.clear();
        afterNodesStopped();
        if (!problems.isEmpty()) {
            fail("cleanup of " + nodes() + " had problems: " + problems);
        }
    }

    @AfterAll
    static void noServerProcessLeftBehind() {
        // Last resort when a test or its cleanup failed half-way: never leave a JVM running.
        A.killServerProcesses(KILL_TIMEOUT);
        B.killServerProcesses(KILL_TIMEOUT);
    }

    /** @return the tails of the test's server logs, for failure messages */
    String logs() {
        return nodes().stream().map(n -> "\n--- " + n.serverLog() + " (tail) ---\n" + n.serverLogTail(LOG_TAIL_LINES))
                .collect(Collectors.joining());
    }
}
