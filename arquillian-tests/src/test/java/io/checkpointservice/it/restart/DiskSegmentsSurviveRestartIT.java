package io.checkpointservice.it.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Deployments;
import io.checkpointservice.it.NodeShutdown;
import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.PortableLookup;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Disk mode keeps segments across a restart of the node: a graceful stop, and a SIGKILL of the
 * server JVM right after {@code write} returned with the fsync sync policy (G1: write returns once
 * the segment is as durable as the sync policy says).
 *
 * <p>Runs on the client against node-2 (manual mode), which each test starts with
 * {@code -Dcheckpoint.storageMode=disk -Dcheckpoint.syncPolicy=fsync} and a storage directory of
 * its own, and talks to the node over HTTP through {@link SegmentServlet} (the shared test application,
 * reached with {@link SegmentClient}). Each test leaves node-2
 * stopped, with nothing deployed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DiskSegmentsSurviveRestartIT {

    private static final Nodes NODE = Nodes.NODE_2;
    private static final String ADAPTER = "node-2-checkpoint-ra";
    private static final String APP = "node-2-segment-app";
    private static final String APP_CONTEXT = "segment-app";
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    @Deployment(name = ADAPTER, order = 1, managed = false, testable = false)
    @TargetsContainer("node-2")
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(name = APP, order = 2, managed = false, testable = false)
    @TargetsContainer("node-2")
    static WebArchive application() {
        return PortableLookup.mapped(Deployments.applicationWar(APP_CONTEXT + ".war")).addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final SegmentClient client = new SegmentClient(APP_CONTEXT,
            () -> "\n--- " + NODE.serverLog() + " (tail) ---\n" + NODE.serverLogTail(60));
    private final List<String> deployed = new ArrayList<>();
    private Path storageDir;

    @BeforeEach
    void startNode2WithDiskStorageAndDeploy() throws IOException {
        List<ProcessHandle> stale = NODE.serverProcesses();
        assertEquals(List.of(), stale.stream().map(ProcessHandle::pid).toList(),
                "expected no " + NODE.qualifier() + " server process before the test (pids)");
        storageDir = NODE.baseDir().resolve("checkpoint-store-" + UUID.randomUUID());
        startNode();
        deployer.deploy(ADAPTER);
        deployed.add(ADAPTER);
        deployer.deploy(APP);
        deployed.add(APP);
    }

    @AfterEach
    void undeployAndStopNode2() {
        List<String> problems = NodeShutdown.undeployAndStop(controller, deployer, NODE, deployed, KILL_TIMEOUT);
        deployed.clear();
        if (!problems.isEmpty()) {
            fail("cleanup of " + NODE.qualifier() + " had problems: " + problems);
        }
    }

    @AfterAll
    static void noServerProcessLeftBehind() {
        // Last resort when a test or its cleanup failed half-way: never leave a JVM running.
        NODE.killServerProcesses(KILL_TIMEOUT);
    }

    @Test
    void diskSegmentSurvivesGracefulRestartWithSameBytesAndVersion() throws Exception {
        String name = "restart-it/graceful/" + UUID.randomUUID();
        byte[] state = randomBytes(256 * 1024, 1L);

        long version = put(name, state);
        assertTrue(version > 0, "expected a positive version from write, got " + version);
        assertStorageDirectoryHoldsFiles();

        controller.stop(NODE.qualifier());
        assertEquals(List.of(), NODE.serverProcesses().stream().map(ProcessHandle::pid).toList(),
                "expected no " + NODE.qualifier() + " process after a graceful stop (pids)");
        startNode();

        SegmentClient.Loaded loaded = get(name);
        assertEquals(version, loaded.version(), "expected the version written before the restart");
        assertSameBytes(state, loaded.state());

        long next = put(name, new byte[] {1});
        assertTrue(next > version, "expected the first write after the restart to return a version greater than "
                + version + ", got " + next);
    }

    @Test
    void fsyncedSegmentSurvivesSigkillOfTheServerJvm() throws Exception {
        String name = "restart-it/sigkill/" + UUID.randomUUID();
        byte[] first = randomBytes(64 * 1024, 2L);
        byte[] state = randomBytes(1024 * 1024, 3L);
        long firstVersion = put(name, first);
        long version = put(name, state);
        assertTrue(version > firstVersion, "expected version after " + firstVersion + ", got " + version);

        // SIGKILL right after write returned: no shutdown hook, no flush, nothing but what fsync made durable.
        ProcessHandle server = NODE.serverProcess();
        long pid = server.pid();
        assertTrue(server.destroyForcibly(), "expected SIGKILL to be sent to " + NODE.qualifier() + " pid " + pid);
        server.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(server.isAlive(), "expected pid " + pid + " to be dead after SIGKILL");

        // Arquillian still thinks node-2 runs; stop() sees the process is gone and only tidies up.
        controller.stop(NODE.qualifier());
        startNode();
        long newPid = NODE.serverProcess().pid();
        assertNotEquals(pid, newPid, "expected a new server JVM after the restart, got the killed pid again");

        SegmentClient.Loaded loaded = get(name);
        assertEquals(version, loaded.version(), "expected the version of the last write before SIGKILL");
        assertSameBytes(state, loaded.state());

        long next = put(name, new byte[] {2});
        assertTrue(next > version, "expected the first write after the crash to return a version greater than "
                + version + ", got " + next);
    }

    // ----------------------------------------------------------------------------------------

    private void startNode() {
        controller.start(NODE.qualifier(), NODE.startConfig(
                "-Dcheckpoint.storageMode=disk",
                "-Dcheckpoint.syncPolicy=fsync",
                "-Dcheckpoint.storageDirectory=" + storageDir));
    }

    private void assertStorageDirectoryHoldsFiles() throws IOException {
        assertTrue(Files.isDirectory(storageDir), "expected disk mode to create the configured storageDirectory "
                + storageDir + ", it does not exist");
        try (Stream<Path> files = Files.walk(storageDir)) {
            long count = files.filter(Files::isRegularFile).count();
            assertTrue(count > 0, "expected at least one file in " + storageDir + " after a write, found " + count);
        }
    }

    private long put(String name, byte[] state) throws IOException, InterruptedException {
        return client.put(NODE, name, state);
    }

    /** A load on the restarted node itself: its own disk answers, so "unavailable" (503) fails too. */
    private SegmentClient.Loaded get(String name) throws IOException, InterruptedException {
        return client.loadRetryingWhileUnavailable(NODE, name, Duration.ZERO, "after its restart");
    }

    private static void assertSameBytes(byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            fail("expected the " + expected.length + " bytes written before the restart, got " + actual.length
                    + " bytes differing first at index " + Arrays.mismatch(expected, actual));
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

}
