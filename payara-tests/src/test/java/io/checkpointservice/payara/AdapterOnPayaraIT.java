package io.checkpointservice.payara;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.api.cdi.CheckpointPrefetchExtension;
import io.checkpointservice.api.cdi.PrefetchReport;
import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.it.support.StorageSnapshot;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The adapter on one real Payara domain (pt-1: a single node, R = 0, disk storage, settings as
 * system properties of the domain's server), set up by the README's admin step
 * ({@link AdminStep}), used by an application built the README's Payara way
 * ({@link PayaraDeployments}): the deployment logs no warning of the adapter's making, the
 * connection factory is bound by {@code glassfish-resources.xml}, an EJB's portable resource
 * reference and an injected connection both do the round trip, the prefetch of
 * {@code @PrefetchCheckpoints} runs, the node takes its name and directory from the domain, and
 * bad input is refused before anything is stored.
 */
@ExtendWith(ArquillianExtension.class)
class AdapterOnPayaraIT {

    /** pt-1 runs with checkpoint.maxSegmentBytes=16777216 (pom.xml). */
    private static final int MAX_SEGMENT_BYTES = 16 * 1024 * 1024;

    @Deployment
    static WebArchive application() {
        return PayaraDeployments.applicationWar("payara-adapter-it.war")
                .addClasses(CheckpointEjb.class, CheckpointCdiBean.class, PrefetchedJob.class,
                        StorageSnapshot.class, Domains.class, HttpNode.class, Asadmin.class, AdminStep.class,
                        ListeningSockets.class);
    }

    @EJB
    private CheckpointEjb ejb;

    @Inject
    private CheckpointCdiBean cdiBean;

    @Inject
    private CheckpointPrefetchExtension prefetch;

    @Test
    @RunAsClient
    void theAdminStepDeploysWithoutAWarningOfTheAdaptersAndBindsTheFactory() throws IOException {
        Domains domain = Domains.PT_1;
        String log = Files.readString(domain.serverLog());
        for (String unwanted : List.of("NCLS-CORE-00069", "ClassCastException", "[SEVERE]")) {
            assertFalse(log.contains(unwanted), "expected no '" + unwanted + "' in " + domain.serverLog()
                    + " after deploying checkpoint-ra.rar and the application:\n" + domain.serverLogTail(80));
        }
        assertTrue(log.contains("checkpoint node '" + domain.qualifier() + "' started"),
                "expected the adapter to start as node " + domain.qualifier() + ":\n" + domain.serverLogTail(80));
        String resources = Asadmin.run(domain, "list-connector-resources");
        assertTrue(resources.lines().anyMatch(line -> line.trim().equals(AdminStep.RESOURCE)),
                "expected add-resources to bind " + AdminStep.RESOURCE + ", list-connector-resources says:\n" + resources);
        String ping = Asadmin.run(domain, "ping-connection-pool", "checkpoint");
        assertTrue(ping.contains("executed successfully"), "expected the pool to give a connection:\n" + ping);
    }

    @Test
    @RunAsClient
    void everySocketOfTheDomainIsOnLoopback() throws IOException {
        // The adapter and the test application are deployed and used by now, so the sockets they
        // open (the cluster channel, the HTTP listener) are there, and so is anything the first
        // deployment starts (Payara starts its embedded JMS broker then).
        ProcessHandle server = Domains.PT_1.serverProcess();
        assertEquals(List.of(), ListeningSockets.notOnLoopback(server.pid()),
                "expected every listening socket of pt-1's server (pid " + server.pid() + ") on 127.0.0.1");
    }

    @Test
    void anEjbWritesLoadsAndDeletesThroughThePortableResourceReference() {
        String name = "payara-it/ejb/" + UUID.randomUUID();
        byte[] state = "state written by an EJB on Payara".getBytes(StandardCharsets.UTF_8);
        long version = ejb.write(name, state);
        Checkpoint loaded = ejb.load(name).orElseThrow(() -> new AssertionError("expected " + name + " to load"));
        assertEquals(version, loaded.version(), "the version write returned");
        assertArrayEquals(state, loaded.state(), "the bytes written");
        assertEquals("pt-1", loaded.originNode(), "the writer is this domain's node");
        assertTrue(ejb.delete(name), "expected delete of an existing segment to say it deleted it");
        assertEquals(Optional.empty(), ejb.load(name).map(Checkpoint::version), "expected nothing after delete");
    }

    @Test
    void anInjectedConnectionWritesAndLoads() {
        String name = "payara-it/cdi/" + UUID.randomUUID();
        byte[] state = "state written through @Inject CheckpointConnection".getBytes(StandardCharsets.UTF_8);
        long version = cdiBean.write(name, state);
        Checkpoint loaded = cdiBean.load(name).orElseThrow(() -> new AssertionError("expected " + name + " to load"));
        assertEquals(version, loaded.version(), "the version write returned");
        assertArrayEquals(state, loaded.state(), "the bytes written");
        // One factory behind both lookups: the EJB's resource reference sees the CDI bean's write.
        assertArrayEquals(state, ejb.load(name).orElseThrow().state(), "the EJB's factory is the same node's");
    }

    @Test
    void thePrefetchOfTheDeploymentFoundTheFactory() {
        PrefetchReport report = prefetch.lastReport();
        assertNotNull(report, "expected the prefetch extension to have run for @PrefetchCheckpoints");
        assertEquals(List.of(), report.failed(), "expected no failed prefetch (the factory was found)");
        assertEquals(List.of(PrefetchedJob.SEGMENT), report.absent(),
                "expected the never-written segment to be reported absent");
    }

    @Test
    void theNodeIsNamedForTheDomainAndStoresUnderIt() throws Exception {
        ObjectName mbean = new ObjectName("io.checkpointservice:type=CheckpointNode,name=pt-1");
        assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(mbean),
                "expected the node's MBean under the domain's name: " + mbean);
        Path storage = Path.of(System.getProperty("com.sun.aas.instanceRoot"), "checkpoint");
        ejb.write("payara-it/stored-under-the-domain", new byte[] {1, 2, 3});
        assertTrue(Files.isDirectory(storage), "expected the default storage directory " + storage);
        try (Stream<Path> files = Files.walk(storage)) {
            assertTrue(files.anyMatch(Files::isRegularFile), "expected the segment's file under " + storage);
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsStored() throws IOException {
        Path storage = Path.of(System.getProperty("com.sun.aas.instanceRoot"), "checkpoint");
        byte[] some = "must never be stored".getBytes(StandardCharsets.UTF_8);
        ejb.write("payara-it/victim", some);
        StorageSnapshot before = StorageSnapshot.of(storage);
        List<Executable> rows = new ArrayList<>();
        for (String[] row : new String[][] {
                {"../etc/passwd", "has a '..' word"}, {"a/./b", "has a '.' word"}, {"a//b", "has an empty word"},
                {"", "segment name is empty"}, {"x".repeat(201), "more than the limit of 200"},
                {"nul\u0000byte", "U+0000"}, {"C:", "U+003A"}, {"a\uFF0Fb", "U+FF0F"}}) {
            rows.add(() -> refused(InvalidSegmentNameException.class, row[1], c -> c.write(row[0], some)));
        }
        rows.add(() -> refused(InvalidSegmentNameException.class, "segment name is null", c -> c.load(null)));
        rows.add(() -> refused(NullPointerException.class, "is null", c -> c.write("payara-it/null-state", null)));
        rows.add(() -> refused(SegmentTooLargeException.class, Integer.toString(MAX_SEGMENT_BYTES),
                c -> c.write("payara-it/too-large", new byte[MAX_SEGMENT_BYTES + 1])));
        rows.add(() -> {
            CheckpointConnection closed = ejb.open();
            closed.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.write("payara-it/closed", some));
            assertTrue(e.getMessage().contains("the connection is closed"), "closed connection: " + e.getMessage());
        });
        assertAll("bad input on Payara", rows);
        assertEquals(List.of(), StorageSnapshot.of(storage).changesSince(before),
                "expected the storage directory unchanged by refused input");
        assertArrayEquals(some, ejb.load("payara-it/victim").orElseThrow().state(), "the victim unchanged");
        assertEquals(Optional.empty(), ejb.load("payara-it/too-large").map(Checkpoint::version), "nothing stored");
    }

    private void refused(Class<? extends Throwable> type, String messagePart, Consumer<CheckpointConnection> call) {
        try (CheckpointConnection connection = ejb.open()) {
            Throwable thrown = assertThrows(type, () -> call.accept(connection));
            assertTrue(thrown.getMessage() != null && thrown.getMessage().contains(messagePart),
                    "expected a " + type.getSimpleName() + " saying '" + messagePart + "', got: " + thrown.getMessage());
        }
    }
}
