package io.checkpointservice.payara;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The failover scenario on two real Payara domains: write on A, SIGKILL A, load on B with
 * identical bytes (G2-G6 across a crash). A is pt-2, B is pt-3 (manual containers), one checkpoint
 * cluster of their own (R = 1, memory storage, so B's replica is the only copy left once A's JVM
 * is killed; see pom.xml). Each domain gets the adapter and its binding by the README's admin step
 * when it starts ({@link AdapterSetupExtension}); the application is the segment servlet the
 * WildFly failover tests use, with the portable resource reference.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WriterKilledOnPayaraIT {

    private static final Domains A = Domains.PT_2;
    private static final Domains B = Domains.PT_3;
    private static final String APP_CONTEXT = "payara-failover";
    private static final String A_APP = "pt-2-failover";
    private static final String B_APP = "pt-3-failover";

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLUSTER_FORMATION_DEADLINE = Duration.ofSeconds(60);
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOAD_AFTER_KILL_DEADLINE = Duration.ofSeconds(30);
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

    private static WebArchive application() {
        return PayaraDeployments.applicationWar(APP_CONTEXT + ".war").addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final SegmentClient client = new SegmentClient(APP_CONTEXT, WriterKilledOnPayaraIT::logs);

    @Test
    void aSegmentWrittenOnAKilledDomainLoadsOnTheOtherWithIdenticalBytes() throws Exception {
        controller.start(A.qualifier());
        deployer.deploy(A_APP);
        controller.start(B.qualifier());
        deployer.deploy(B_APP);
        awaitTwoMemberCluster();

        String name = "payara-it/writer-killed/" + UUID.randomUUID();
        byte[] state = new byte[SEGMENT_BYTES];
        new Random(23).nextBytes(state);
        long version = client.put(A, name, state);
        assertTrue(client.awaitReplicated(A, name, version, REPLICATION_TIMEOUT),
                "expected " + name + " v" + version + " replicated to " + B.qualifier() + logs());

        long killed = A.killServer(KILL_TIMEOUT);
        System.out.println("WriterKilledOnPayaraIT: SIGKILL of " + A.qualifier() + " (pid " + killed + ")");
        markStoppedForArquillian(A);

        SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(B, name, LOAD_AFTER_KILL_DEADLINE,
                "after SIGKILL of " + A.qualifier());
        assertArrayEquals(state, loaded.state(), "expected the bytes written on " + A.qualifier());
        assertEquals(SegmentServlet.sha256(state), loaded.sha256Header(), "the SHA-256 computed on " + B.qualifier());
        assertEquals(version, loaded.version(), "the version awaited on " + A.qualifier());
        assertEquals(A.qualifier(), loaded.originNode(), "the writer was " + A.qualifier() + "'s node (its domain's name)");
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
