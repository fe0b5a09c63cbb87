package io.checkpointservice.payara;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.it.support.PortableLookup;
import io.checkpointservice.it.support.SegmentClient;
import io.checkpointservice.it.support.SegmentServlet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One checkpoint cluster of a WildFly server and a Payara domain (same cluster name, secret and
 * initialHosts; R = 1, memory storage, so after a SIGKILL the survivor's replica is the only copy
 * left): a segment written on WildFly loads on Payara with identical bytes after WildFly is
 * killed, and one written on Payara loads on WildFly after Payara is killed. Each server runs the
 * same segment servlet, packaged its own way (WildFly: the manifest dependency on the adapter,
 * API {@code provided}; Payara: the API jar bundled), with the portable resource reference.
 *
 * <p>Payara is domain pt-4 (a manual Arquillian container, which gets the adapter and its binding
 * by the README's admin step when it starts); WildFly is {@code wf-mixed}, a plain server process
 * of the WildFly distribution with the adapter and the servlet in its {@code deployments/}, so
 * that it can be started again after its SIGKILL (see pom.xml for ports and settings).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MixedClusterIT {

    private static final Domains PAYARA = Domains.PT_4;
    private static final WildFlyNode WILDFLY = new WildFlyNode("wf-mixed", 900, "wf-mixed.checkpoint");
    private static final String APP_CONTEXT = "mixed-cluster";
    private static final String PAYARA_APP = "pt-4-mixed";

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLUSTER_FORMATION_DEADLINE = Duration.ofSeconds(90);
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOAD_AFTER_KILL_DEADLINE = Duration.ofSeconds(30);
    private static final int SEGMENT_BYTES = 384 * 1024;

    @Deployment(name = PAYARA_APP, managed = false, testable = false)
    @TargetsContainer("pt-4")
    static WebArchive applicationOnPayara() {
        return PayaraDeployments.applicationWar(APP_CONTEXT + ".war").addClass(SegmentServlet.class);
    }

    /** The WildFly way: the API classes from the adapter's deployment, not bundled. */
    private static WebArchive applicationOnWildFly() {
        return PortableLookup.mapped(ShrinkWrap.create(WebArchive.class, APP_CONTEXT + ".war"))
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.checkpoint-ra.rar\n"))
                .addClass(SegmentServlet.class);
    }

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    private final SegmentClient client = new SegmentClient(APP_CONTEXT, MixedClusterIT::logs);

    @Test
    void aSegmentWrittenOnAKilledServerLoadsOnTheOtherServerKindWithIdenticalBytes() throws Exception {
        WILDFLY.addDeployment(applicationOnWildFly());
        WILDFLY.start(); // starts while Payara does: both are slow to boot
        controller.start(PAYARA.qualifier());
        deployer.deploy(PAYARA_APP);
        WILDFLY.awaitStarted();
        awaitTwoMemberCluster(WILDFLY, PAYARA);

        // WildFly writes and dies; Payara loads.
        Written onWildFly = write(WILDFLY, PAYARA, 1);
        long wildFlyPid = WILDFLY.kill();
        System.out.println("MixedClusterIT: SIGKILL of " + WILDFLY.qualifier() + " (pid " + wildFlyPid + ")");
        assertLoadsIdentically(PAYARA, onWildFly, WILDFLY);

        // WildFly comes back empty (memory storage), joins Payara; Payara writes and dies; WildFly loads.
        WILDFLY.start();
        WILDFLY.awaitStarted();
        awaitTwoMemberCluster(PAYARA, WILDFLY);
        Written onPayara = write(PAYARA, WILDFLY, 2);
        long payaraPid = PAYARA.killServer(KILL_TIMEOUT);
        System.out.println("MixedClusterIT: SIGKILL of " + PAYARA.qualifier() + " (pid " + payaraPid + ")");
        markStoppedForArquillian(PAYARA);
        assertLoadsIdentically(WILDFLY, onPayara, PAYARA);
    }

    @AfterEach
    void stopBothServers() {
        List<String> problems = new ArrayList<>();
        WILDFLY.killQuietly();
        if (controller.isStarted(PAYARA.qualifier())) {
            try {
                controller.stop(PAYARA.qualifier());
            } catch (RuntimeException e) {
                problems.add("stop " + PAYARA.qualifier() + ": " + e);
            }
        }
        if (PAYARA.isRunning()) {
            problems.add(PAYARA.qualifier() + " was still running after stop; killed pid " + PAYARA.killServer(KILL_TIMEOUT));
        }
        if (!problems.isEmpty()) {
            fail("cleanup of " + PAYARA.qualifier() + "/" + WILDFLY.qualifier() + " had problems: " + problems);
        }
    }

    /** A segment written on {@code writer} and awaited on {@code replica}. */
    private record Written(String name, byte[] state, long version, HttpNode writer) {
    }

    private Written write(HttpNode writer, HttpNode replica, long seed) throws IOException, InterruptedException {
        String name = "mixed-it/" + writer.qualifier() + "/" + UUID.randomUUID();
        byte[] state = new byte[SEGMENT_BYTES];
        new Random(seed).nextBytes(state);
        long version = client.put(writer, name, state);
        assertTrue(client.awaitReplicated(writer, name, version, REPLICATION_TIMEOUT),
                "expected " + name + " v" + version + " replicated to " + replica.qualifier() + logs());
        return new Written(name, state, version, writer);
    }

    private void assertLoadsIdentically(HttpNode survivor, Written written, HttpNode killed)
            throws IOException, InterruptedException {
        SegmentClient.Loaded loaded = client.loadRetryingWhileUnavailable(survivor, written.name(),
                LOAD_AFTER_KILL_DEADLINE, "after SIGKILL of " + killed.qualifier());
        assertArrayEquals(written.state(), loaded.state(), "expected on " + survivor.qualifier()
                + " the bytes written on " + killed.qualifier());
        assertEquals(SegmentServlet.sha256(written.state()), loaded.sha256Header(),
                "the SHA-256 computed on " + survivor.qualifier());
        assertEquals(written.version(), loaded.version(), "the version awaited on " + killed.qualifier());
        assertEquals(killed.qualifier(), loaded.originNode(), "the writer was " + killed.qualifier() + "'s node");
        long next = client.put(survivor, written.name(), new byte[] {7});
        assertTrue(next > written.version(), "expected " + survivor.qualifier() + "'s write after the take-over to"
                + " have a newer version than " + written.version() + ", got " + next);
    }

    /** Writes probes on {@code writer} until one is replicated: then both adapters are in one cluster. */
    private void awaitTwoMemberCluster(HttpNode writer, HttpNode other) throws IOException, InterruptedException {
        String probe = "mixed-it/probe/" + UUID.randomUUID();
        long version = client.put(writer, probe, new byte[] {1});
        long deadline = System.nanoTime() + CLUSTER_FORMATION_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.awaitReplicated(writer, probe, version, Duration.ofSeconds(2))) {
                return;
            }
        }
        fail("expected " + writer.qualifier() + " and " + other.qualifier() + " to form one checkpoint cluster within "
                + CLUSTER_FORMATION_DEADLINE + logs());
    }

    /** Tells Arquillian the domain is gone, so that nothing later tries to undeploy from it. */
    private void markStoppedForArquillian(Domains domain) {
        try {
            controller.kill(domain.qualifier());
        } catch (RuntimeException e) {
            System.out.println("MixedClusterIT: controller.kill(" + domain.qualifier() + ") after SIGKILL: " + e);
        }
    }

    private static String logs() {
        return "\n--- " + PAYARA.serverLog() + " (tail) ---\n" + PAYARA.serverLogTail(40)
                + "\n--- " + WILDFLY.qualifier() + " console (tail) ---\n" + WILDFLY.logTail(40);
    }
}
