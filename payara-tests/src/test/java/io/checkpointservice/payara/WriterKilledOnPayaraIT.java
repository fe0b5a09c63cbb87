package io.checkpointservice.payara;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.support.ConsoleClient;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import io.checkpointservice.testsupport.Await;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The failover scenario on two real Payara domains: write on A, SIGKILL A, load on B with
 * identical bytes (G2-G6 across a crash); B also lists the older version A wrote before
 * ({@code retainVersions} 2) and loads it with its bytes. A is pt-2, B is pt-3 (manual containers), one checkpoint
 * cluster of their own (R = 1, memory storage, so B's replica is the only copy left once A's JVM
 * is killed; see pom.xml). Each domain gets the adapter and its binding by the README's admin step
 * when it starts ({@link AdapterSetupExtension}); the application is the segment servlet the
 * WildFly failover tests use, with the portable resource reference.
 *
 * <p>Both domains also run checkpoint-console.war, checked as an operator sees it through Payara's
 * own MicroProfile Health endpoints ({@code /health/ready}, {@code /health/live} on the HTTP
 * listener) and the war's Prometheus text: ready with two members while the segment replicates
 * (B holding a replica copy); after the SIGKILL, B alone although configured with a peer, so
 * readiness DOWN with that reason, {@code checkpoint_ready} 0, liveness still UP.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WriterKilledOnPayaraIT {

    private static final Domains A = Domains.PT_2;
    private static final Domains B = Domains.PT_3;
    private static final String APP_CONTEXT = "payara-failover";
    private static final String A_APP = "pt-2-failover";
    private static final String B_APP = "pt-3-failover";
    private static final String A_CONSOLE = "pt-2-console";
    private static final String B_CONSOLE = "pt-3-console";

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLUSTER_FORMATION_DEADLINE = Duration.ofSeconds(60);
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOAD_AFTER_KILL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CONSOLE_DEADLINE = Duration.ofSeconds(60);
    private static final int SEGMENT_BYTES = 384 * 1024;

    @Deployment(name = A_APP, managed = false, testable = false)
    @TargetsContainer("pt-2")
    static WebArchive applicationOnA() {
        return application();
    }

    @Deployment(name = B_APP, managed = false, testable = false)
    @TargetsContainer("pt-3")
    static WebArchive applicationOnB() {
        return application();
    }

    @Deployment(name = A_CONSOLE, managed = false, testable = false)
    @TargetsContainer("pt-2")
    static WebArchive consoleOnA() {
        return console();
    }

    @Deployment(name = B_CONSOLE, managed = false, testable = false)
    @TargetsContainer("pt-3")
    static WebArchive consoleOnB() {
        return console();
    }

    /** The console war this build made, unchanged (its context root is its name, checkpoint-console). */
    private static WebArchive console() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("checkpoint.test.console.war")));
    }

    private static WebArchive application() {
        return PayaraDeployments.applicationWar(APP_CONTEXT + ".war").addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final SegmentClient client = new SegmentClient(APP_CONTEXT, WriterKilledOnPayaraIT::logs);
    private final ConsoleClient console = new ConsoleClient();

    @Test
    void aSegmentWrittenOnAKilledDomainLoadsOnTheOtherWithIdenticalBytesAndTheConsoleShowsTheKill() throws Exception {
        controller.start(A.qualifier());
        deployer.deploy(A_APP);
        deployer.deploy(A_CONSOLE);
        controller.start(B.qualifier());
        deployer.deploy(B_APP);
        deployer.deploy(B_CONSOLE);
        awaitTwoMemberCluster();

        String name = "payara-it/writer-killed/" + UUID.randomUUID();
        byte[] older = new byte[SEGMENT_BYTES / 2];
        new Random(22).nextBytes(older);
        long olderVersion = client.put(A, name, older);
        assertTrue(client.awaitReplicated(A, name, olderVersion, REPLICATION_TIMEOUT),
                "expected " + name + " v" + olderVersion + " replicated to " + B.qualifier() + logs());
        byte[] state = new byte[SEGMENT_BYTES];
        new Random(23).nextBytes(state);
        long version = client.put(A, name, state);
        assertTrue(client.awaitReplicated(A, name, version, REPLICATION_TIMEOUT),
                "expected " + name + " v" + version + " replicated to " + B.qualifier() + logs());

        for (Domains domain : List.of(A, B)) {
            String members = ConsoleClient.perNode("checkpoint_cluster_members", domain.qualifier());
            awaitConsole(domain.qualifier() + " ready with 2 members", () -> ready(domain).up()
                    && console.metric(domain, members) == 2);
            assertEquals("UP", health(domain, "live").json().getString("status"));
        }
        assertEquals(1, console.metric(A, "checkpoint_ready"));
        assertTrue(console.metric(B, ConsoleClient.perNode("checkpoint_replica_segments", B.qualifier())) >= 1,
                "B holds the replica copy of A's segment");
        assertTrue(console.metric(A, ConsoleClient.perNode("checkpoint_published_total", A.qualifier())) >= 1,
                "A counts its publications");

        long killed = A.killServer(KILL_TIMEOUT);
        System.out.println("WriterKilledOnPayaraIT: SIGKILL of " + A.qualifier() + " (pid " + killed + ")");
        markStoppedForArquillian(A);

        SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(B, name, LOAD_AFTER_KILL_DEADLINE,
                "after SIGKILL of " + A.qualifier());
        assertArrayEquals(state, loaded.state(), "expected the bytes written on " + A.qualifier());
        assertEquals(SegmentServlet.sha256(state), loaded.sha256Header(), "the SHA-256 computed on " + B.qualifier());
        assertEquals(version, loaded.version(), "the version awaited on " + A.qualifier());
        assertEquals(A.qualifier(), loaded.originNode(), "the writer was " + A.qualifier() + "'s node (its domain's name)");
        // retainVersions 2: the older version was kept on the replica too.
        assertEquals(List.of(version, olderVersion), client.versions(B, name), "versions kept on " + B.qualifier());
        SegmentClient.Loaded kept = client.loadVersion(B, name, olderVersion, LOAD_AFTER_KILL_DEADLINE).orElseThrow(() -> new AssertionError(
                "v" + olderVersion + " of " + name + " not kept on " + B.qualifier() + logs()));
        assertEquals(olderVersion, kept.version(), "the older version loaded on " + B.qualifier());
        assertArrayEquals(older, kept.state(), "the older bytes written on " + A.qualifier());

        // B is alone now although its settings name a peer: not ready, but alive.
        awaitConsole(B.qualifier() + " readiness DOWN with 1 member", () -> ready(B).code() == 503
                && console.metric(B, ConsoleClient.perNode("checkpoint_cluster_members", B.qualifier())) == 1);
        ConsoleClient.Health alone = ready(B);
        assertEquals("DOWN", alone.json().getString("status"));
        assertTrue(alone.json().toString().contains(B.qualifier() + " is configured with peers but has joined none"),
                alone.json().toString());
        assertEquals(0, console.metric(B, "checkpoint_ready"));
        assertEquals("UP", health(B, "live").json().getString("status"), "alone is not dead");
        long next = client.put(B, name, new byte[] {7});
        assertTrue(next > version, "expected B's write after the take-over to have a newer version than " + version
                + ", got " + next);
    }

    @AfterEach
    void stopBothDomains() {
        List<String> problems = new ArrayList<>();
        for (Domains domain : List.of(B, A)) {
            if (controller.isStarted(domain.qualifier())) {
                try {
                    controller.stop(domain.qualifier());
                } catch (RuntimeException e) {
                    problems.add("stop " + domain.qualifier() + ": " + e);
                }
            }
            if (domain.isRunning()) {
                problems.add(domain.qualifier() + " was still running after stop; killed pid " + domain.killServer(KILL_TIMEOUT));
            }
        }
        if (!problems.isEmpty()) {
            fail("cleanup of " + A.qualifier() + "/" + B.qualifier() + " had problems: " + problems);
        }
    }

    /** Writes probes on A until one is replicated: then both adapters are in one cluster. */
    private void awaitTwoMemberCluster() throws IOException, InterruptedException {
        String probe = "payara-it/probe/" + UUID.randomUUID();
        long version = client.put(A, probe, new byte[] {1});
        long deadline = System.nanoTime() + CLUSTER_FORMATION_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.awaitReplicated(A, probe, version, Duration.ofSeconds(2))) {
                return;
            }
        }
        fail("expected " + A.qualifier() + " and " + B.qualifier() + " to form a checkpoint cluster within "
                + CLUSTER_FORMATION_DEADLINE + logs());
    }

    /** Payara's MicroProfile Health endpoint, on the HTTP listener. */
    private ConsoleClient.Health health(Domains domain, String which) {
        return console.health(URI.create("http://127.0.0.1:" + domain.httpPort() + "/health"), which);
    }

    private ConsoleClient.Health ready(Domains domain) {
        return health(domain, "ready");
    }

    private static void awaitConsole(String what, BooleanSupplier condition) {
        try {
            Await.await(what).atMost(CONSOLE_DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + logs(), e);
        }
    }

    /** Tells Arquillian A is gone, so that nothing later tries to undeploy from it. */
    private void markStoppedForArquillian(Domains domain) {
        try {
            controller.kill(domain.qualifier());
        } catch (RuntimeException e) {
            System.out.println("WriterKilledOnPayaraIT: controller.kill(" + domain.qualifier() + ") after SIGKILL: " + e);
        }
    }

    private static String logs() {
        return List.of(A, B).stream()
                .map(d -> "\n--- " + d.serverLog() + " (tail) ---\n" + d.serverLogTail(40))
                .collect(Collectors.joining());
    }
}
