package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.global.GlobalCopy;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The global store with real processes, each scenario once per backend (a shared directory; a real
 * PostgreSQL server the test starts): a replica node writes each published version there in the
 * background; {@code load} takes it from there when every replica is gone; a brand-new cluster
 * recovers from it; a store that is down delays nothing, a segment whose only copy is there is
 * "unavailable" meanwhile, and the backlog drains when it is back; a damaged copy there is never
 * returned.
 *
 * <p>Where a test needs to know which node holds a version's only replica, R = 1 and the loading
 * node has capacity factor 0: the chunks then live on the writer and the one other node with
 * capacity, so killing those two leaves no replica anywhere.
 */
class GlobalStoreIT extends ClusterTestBase {

    private static final String NAMESPACE = "it"; // AppNodeMain's namespace
    private static final Duration ARCHIVED_WITHIN = Duration.ofSeconds(60);

    private GlobalStoreBackend backend;

    private GlobalStoreBackend backend(GlobalStoreBackend.Kind kind, TestInfo test) {
        backend = kind.prepare(cluster, test.getTestMethod().map(m -> m.getName()).orElse("test"));
        return backend;
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @AfterAll
    static void stopPostgres() {
        GlobalStoreBackend.stopPostgres();
    }

    /**
     * R = 1: the writer and its only replica SIGKILLed at once; a third node loads the bytes from
     * the global store. The replica, the node that archives, is a storage-only replica node started
     * from its jar as an operator starts it: for PostgreSQL it connects with the driver that jar holds.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GlobalStoreBackend.Kind.class)
    @Timeout(300)
    void writerAndItsOnlyReplicaKilledTogetherLoadComesFromTheGlobalStore(GlobalStoreBackend.Kind kind, TestInfo test) {
        GlobalStoreBackend store = backend(kind, test);
        NodeOptions options = store.configure(NodeOptions.memory(1));
        NodeProcess a = cluster.startApp("A", options);
        ReplicaProcess b = cluster.startReplicas(options, "B").get(0);
        NodeProcess c = cluster.startApp("C", options.capacityFactor("0"));
        cluster.awaitView(Set.of("A", "B", "C"), a, c);
        Map<String, Written> written = writeAndAwait(a, "lost-replicas", 4);
        written.forEach((segment, w) -> awaitArchived(store.reader(), segment, w));

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C"), c);

        written.forEach((segment, w) -> assertLoads(c, segment, w.version, w.payload, "A"));
    }

    /** Every node killed, none comes back: new nodes with new, empty disks recover every awaited segment. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GlobalStoreBackend.Kind.class)
    @Timeout(300)
    void brandNewNodesRecoverEveryAwaitedSegmentFromTheGlobalStore(GlobalStoreBackend.Kind kind, TestInfo test) {
        GlobalStoreBackend store = backend(kind, test);
        NodeOptions options = store.configure(NodeOptions.memory(1));
        List<NodeProcess> old = cluster.startApps(options, "A", "B", "C");
        cluster.awaitView(old.toArray(NodeProcess[]::new));
        Map<String, Written> written = writeAndAwait(old.get(0), "recovered", 6);
        written.forEach((segment, w) -> awaitArchived(store.reader(), segment, w));

        cluster.killTogether(old.toArray(NodeProcess[]::new));
        NodeOptions fresh = store.configure(NodeOptions.memory(1).onDisk("none"));
        List<NodeProcess> renewed = cluster.startApps(fresh, "D", "E");
        cluster.awaitView(renewed.toArray(NodeProcess[]::new)); // new names: new, empty directories

        NodeProcess e = renewed.get(1);
        written.forEach((segment, w) -> assertLoads(e, segment, w.version, w.payload, "A"));
        NodeProcess d = renewed.get(0);
        written.forEach((segment, w) -> assertLoads(d, segment, w.version, w.payload, "A"));
    }

    /**
     * The store down (directory unmounted, PostgreSQL stopped) while the application writes: writes
     * and replication go on; once it is back every newest version reaches the store. Down again
     * with the writer and its only replica killed: the store holds the only copy, and a load
     * answers "unavailable", never "absent", until it is back and the load returns the bytes.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GlobalStoreBackend.Kind.class)
    @Timeout(300)
    void aStoreThatIsDownDelaysNothingItsBacklogDrainsAndItsOnlyCopiesAreUnavailableMeanwhile(
            GlobalStoreBackend.Kind kind, TestInfo test) throws Exception {
        GlobalStoreBackend store = backend(kind, test);
        NodeOptions options = store.configure(NodeOptions.memory(1));
        NodeProcess a = cluster.startApp("A", options);
        NodeProcess b = cluster.startApp("B", options);
        NodeProcess c = cluster.startApp("C", options.capacityFactor("0"));
        cluster.awaitView(a, b, c);
        store.takeDown();

        Map<String, Written> written = writeAndAwait(a, "backlog", 6); // asserts every awaitReplicated true
        ClusterProcess.sleep(3_000); // the archivers meet the store that is down and retry
        store.assertNotStoredWhileDown(key(written.keySet().iterator().next()));

        store.bringBack();
        written.forEach((segment, w) -> awaitArchived(store.reader(), segment, w));

        store.takeDown();
        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C"), c);
        for (String segment : written.keySet()) {
            assertFailure(c.load(segment), 503, SegmentUnavailableException.class, "load of '" + segment
                    + "' on C while its only copy is in the global store, which is down");
        }

        store.bringBack();
        written.forEach((segment, w) -> assertLoads(c, segment, w.version, w.payload, "A"));
    }

    /** A bit flipped in the only copy left (the global store's): the load answers "unavailable", never the bytes. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GlobalStoreBackend.Kind.class)
    @Timeout(300)
    void aDamagedGlobalCopyIsNeverReturned(GlobalStoreBackend.Kind kind, TestInfo test) throws Exception {
        GlobalStoreBackend store = backend(kind, test);
        NodeOptions options = store.configure(NodeOptions.memory(1));
        NodeProcess a = cluster.startApp("A", options);
        NodeProcess b = cluster.startApp("B", options);
        NodeProcess c = cluster.startApp("C", options.capacityFactor("0"));
        cluster.awaitView(a, b, c);
        Map<String, Written> written = writeAndAwait(a, "damaged", 2);
        written.forEach((segment, w) -> awaitArchived(store.reader(), segment, w));
        String damaged = written.keySet().iterator().next();
        store.flipADataBit(key(damaged));

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C"), c);

        assertFailure(c.load(damaged), 503, SegmentUnavailableException.class,
                "load of '" + damaged + "' whose only copy, in the global store, has a bit flipped");
        String intact = written.keySet().stream().skip(1).findFirst().orElseThrow();
        Written w = written.get(intact);
        assertLoads(c, intact, w.version, w.payload, "A");
    }

    private static String key(String segment) {
        return new SegmentKey(NAMESPACE, segment).key();
    }

    /** A writes segments of one and of two chunks, some twice, and awaits each (G3). */
    private static Map<String, Written> writeAndAwait(NodeProcess a, String prefix, int count) {
        Map<String, Written> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String segment = prefix + "-" + i;
            Payloads.Expected payload = Payloads.Expected.of(i % 2 == 0 ? 20_000 + i : 1_300_000 + i, 40 + i);
            long version = a.write(segment, payload);
            if (i % 3 == 0) { // a later version: the newest is what must come back
                payload = Payloads.Expected.of(30_000 + i, 80 + i);
                version = a.write(segment, payload);
            }
            written.put(segment, new Written(version, payload));
        }
        written.forEach((segment, w) -> assertTrue(a.awaitReplicated(segment, w.version, REPLICATION_TIMEOUT),
                () -> "awaitReplicated('" + segment + "', v" + w.version + ") on A: expected true"));
        return written;
    }

    /** Polls the store until it holds exactly the written version, with the written bytes. */
    private static void awaitArchived(GlobalStore store, String segment, Written w) {
        String key = key(segment);
        long deadline = System.nanoTime() + ARCHIVED_WITHIN.toNanos();
        Optional<GlobalCopy> copy = store.newest(key);
        while (!matches(copy, w) && System.nanoTime() < deadline) {
            ClusterProcess.sleep(200);
            copy = store.newest(key);
        }
        Optional<GlobalCopy> last = copy;
        assertTrue(matches(last, w), () -> "global store copy of '" + segment + "' within " + ARCHIVED_WITHIN
                + ": expected v" + w.version + " " + w.payload + " but was "
                + last.map(c -> "v" + c.record().version() + " sha256 " + Payloads.sha256(c.data())).orElse("none"));
    }

    private static boolean matches(Optional<GlobalCopy> copy, Written w) {
        return copy.isPresent() && copy.get().record().version() == w.version
                && Payloads.sha256(copy.get().data()).equals(w.payload.sha256());
    }

    private record Written(long version, Payloads.Expected payload) {
    }
}
