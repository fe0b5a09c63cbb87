package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.global.DirectoryGlobalStore;
import io.checkpointservice.ra.global.GlobalCopy;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared-directory global store with real processes: a replica node writes each published
 * version there in the background; {@code load} takes it from there when every replica is gone;
 * a brand-new cluster recovers from it; an unwritable store delays nothing and its backlog
 * drains when it is back; a damaged copy there is never returned.
 *
 * <p>Where a test needs to know which node holds a version's only replica, R = 1 and the loading
 * node has capacity factor 0: the chunks then live on the writer and the one other node with
 * capacity, so killing those two leaves no replica anywhere.
 */
class GlobalStoreIT extends ClusterTestBase {

    private static final String NAMESPACE = "it"; // AppNodeMain's namespace
    private static final Duration ARCHIVED_WITHIN = Duration.ofSeconds(60);

    private NodeOptions withStore(NodeOptions options) {
        return options.globalStore(cluster.globalStoreDirectory());
    }

    /** R = 1: the writer and its only replica SIGKILLed at once; a third node loads the bytes from the global store. */
    @Test
    @Timeout(300)
    void writerAndItsOnlyReplicaKilledTogetherLoadComesFromTheGlobalStore() {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(cluster.globalStoreDirectory());
        NodeOptions options = withStore(NodeOptions.memory(1));
        NodeProcess a = cluster.startApp("A", options);
        NodeProcess b = cluster.startApp("B", options);
        NodeProcess c = cluster.startApp("C", options.capacityFactor("0"));
        cluster.awaitView(a, b, c);
        Map<String, Written> written = writeAndAwait(a, "lost-replicas", 4);
        written.forEach((segment, w) -> awaitArchived(store, segment, w));

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C"), c);

        written.forEach((segment, w) -> assertLoads(c, segment, w.version, w.payload, "A"));
    }

    /** Every node killed, none comes back: new nodes with new, empty disks recover every awaited segment. */
    @Test
    @Timeout(300)
    void brandNewNodesRecoverEveryAwaitedSegmentFromTheGlobalStore() {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(cluster.globalStoreDirectory());
        NodeOptions options = withStore(NodeOptions.memory(1));
        List<NodeProcess> old = cluster.startApps(options, "A", "B", "C");
        cluster.awaitView(old.toArray(NodeProcess[]::new));
        Map<String, Written> written = writeAndAwait(old.get(0), "recovered", 6);
        written.forEach((segment, w) -> awaitArchived(store, segment, w));

        cluster.killTogether(old.toArray(NodeProcess[]::new));
        NodeOptions fresh = withStore(NodeOptions.memory(1).onDisk("none"));
        List<NodeProcess> renewed = cluster.startApps(fresh, "D", "E");
        cluster.awaitView(renewed.toArray(NodeProcess[]::new)); // new names: new, empty directories

        NodeProcess e = renewed.get(1);
        written.forEach((segment, w) -> assertLoads(e, segment, w.version, w.payload, "A"));
        NodeProcess d = renewed.get(0);
        written.forEach((segment, w) -> assertLoads(d, segment, w.version, w.payload, "A"));
    }

    /**
     * The store's directory unusable (a file where it was: refused even to root, unlike a mode of
     * 0555) while the application writes: writes and replication go on; once the directory is back,
     * every newest version reaches the store.
     */
    @Test
    @Timeout(300)
    void anUnwritableStoreDelaysNothingAndItsBacklogDrainsWhenItIsBack() throws IOException {
        Path directory = cluster.globalStoreDirectory();
        DirectoryGlobalStore store = DirectoryGlobalStore.open(directory);
        NodeOptions options = withStore(NodeOptions.memory(1));
        List<NodeProcess> nodes = cluster.startApps(options, "A", "B", "C");
        cluster.awaitView(nodes.toArray(NodeProcess[]::new));
        Path away = directory.resolveSibling("global-store-away");
        Files.move(directory, away);
        Files.writeString(directory, "the shared directory is not mounted");

        Map<String, Written> written = writeAndAwait(nodes.get(0), "backlog", 6);
        ClusterProcess.sleep(3_000); // the archivers meet the unusable store and retry
        assertEquals(Optional.empty(), newestIfReadable(away, written.keySet().iterator().next()),
                "nothing can have been stored while the directory was away");

        Files.delete(directory);
        Files.move(away, directory);
        written.forEach((segment, w) -> awaitArchived(store, segment, w));
    }

    /** A bit flipped in the only copy left (the global store's): the load answers "unavailable", never the bytes. */
    @Test
    @Timeout(300)
    void aDamagedGlobalCopyIsNeverReturned() throws IOException {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(cluster.globalStoreDirectory());
        NodeOptions options = withStore(NodeOptions.memory(1));
        NodeProcess a = cluster.startApp("A", options);
        NodeProcess b = cluster.startApp("B", options);
        NodeProcess c = cluster.startApp("C", options.capacityFactor("0"));
        cluster.awaitView(a, b, c);
        Map<String, Written> written = writeAndAwait(a, "damaged", 2);
        written.forEach((segment, w) -> awaitArchived(store, segment, w));
        String damaged = written.keySet().iterator().next();
        Path copy = onlyCopy(store, damaged);
        byte[] raw = Files.readAllBytes(copy);
        raw[raw.length - 7] ^= 0x04;
        Files.write(copy, raw);

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C"), c);

        assertFailure(c.load(damaged), 503, SegmentUnavailableException.class,
                "load of '" + damaged + "' whose only copy, in the global store, has a bit flipped");
        String intact = written.keySet().stream().skip(1).findFirst().orElseThrow();
        Written w = written.get(intact);
        assertLoads(c, intact, w.version, w.payload, "A");
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
    private static void awaitArchived(DirectoryGlobalStore store, String segment, Written w) {
        String key = new SegmentKey(NAMESPACE, segment).key();
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

    private static Optional<GlobalCopy> newestIfReadable(Path directory, String segment) {
        return DirectoryGlobalStore.open(directory).newest(new SegmentKey(NAMESPACE, segment).key());
    }

    private static Path onlyCopy(DirectoryGlobalStore store, String segment) throws IOException {
        try (Stream<Path> files = Files.list(store.segmentDirectory(new SegmentKey(NAMESPACE, segment).key()))) {
            List<Path> copies = files.filter(f -> f.getFileName().toString().endsWith(".copy")).toList();
            assertEquals(1, copies.size(), () -> "copies of '" + segment + "' in the global store: " + copies);
            return copies.get(0);
        }
    }

    private record Written(long version, Payloads.Expected payload) {
    }
}
