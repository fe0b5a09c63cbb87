package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.BadInputs;
import io.checkpointservice.ra.testsupport.BadInputs.BadWrite;
import io.checkpointservice.ra.testsupport.BadInputs.EdgeWrite;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link CheckpointService} promises whatever its local store: the subclasses run every test
 * here against memory and against disk with each sync policy.
 */
abstract class CheckpointServiceContractTest {

    static final String NS = "app";
    static final String NODE = "node-a";
    /** A clock with sub-millisecond digits, to check they are cut off. */
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00.123456789Z");

    @TempDir
    Path tempDir;

    LocalStore store;
    CheckpointService service;

    abstract StorageMode storageMode();

    abstract LocalStore openStore(Path directory);

    SyncPolicy syncPolicy() {
        return SyncPolicy.NONE;
    }

    Path storeDirectory() {
        return tempDir.resolve("store");
    }

    AdapterSettings settings(int replicaCount) {
        return new AdapterSettings(NODE, storageMode(), storeDirectory(), syncPolicy(),
                BadInputs.MAX_SEGMENT_BYTES, replicaCount);
    }

    CheckpointService newService(int replicaCount) {
        store = openStore(storeDirectory());
        return new CheckpointService(settings(replicaCount), store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void startService() {
        service = newService(2);
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    // ---- round trip --------------------------------------------------------------------------

    @Test
    void writeReturnsIncreasingVersionsAndLoadReturnsTheNewest() {
        assertEquals(1, service.write(NS, "job/position", bytes("one")), "the first write of a segment is version 1");
        assertEquals(2, service.write(NS, "job/position", bytes("two")), "the second write is version 2");
        assertEquals(3, service.write(NS, "job/position", new byte[0]), "an empty state is a version too");
        assertEquals(4, service.write(NS, "job/position", bytes("four")), "the fourth write is version 4");

        Checkpoint loaded = service.load(NS, "job/position").orElseThrow();
        assertEquals("job/position", loaded.name(), "the checkpoint's name is the name without the namespace");
        assertEquals(4, loaded.version(), "load returns the newest version");
        assertArrayEquals(bytes("four"), loaded.state(), "load returns the newest bytes");
        assertEquals(NODE, loaded.originNode(), "the origin node is this node's name");
        assertEquals(Instant.parse("2024-05-01T12:00:00.123Z"), loaded.writtenAt(),
                "writtenAt is the clock's time cut to milliseconds (what the file header keeps)");
    }

    @Test
    void loadOfASegmentNeverWrittenIsEmpty() {
        assertEquals(Optional.empty(), service.load(NS, "never/written"), "an absent segment loads as empty (G8)");
    }

    @Test
    void writtenStateIsCopiedSoTheCallerMayReuseItsArray() {
        byte[] state = bytes("original");
        service.write(NS, "s", state);
        state[0] = 'X';

        Checkpoint loaded = service.load(NS, "s").orElseThrow();
        assertArrayEquals(bytes("original"), loaded.state(), "changing the caller's array after write must not change the stored state");
        loaded.state()[0] = 'Y';
        assertArrayEquals(bytes("original"), service.load(NS, "s").orElseThrow().state(),
                "changing a loaded array must not change the stored state");
    }

    @Test
    void deleteAnswersWhetherTheSegmentExistedAndLoadIsEmptyAfterwards() {
        service.write(NS, "s", bytes("x"));
        assertTrue(service.delete(NS, "s"), "delete of an existing segment answers true");
        assertFalse(service.delete(NS, "s"), "a second delete answers false");
        assertEquals(Optional.empty(), service.load(NS, "s"), "a deleted segment loads as empty");
        assertFalse(service.delete(NS, "never"), "delete of a segment never written answers false");
    }

    @Test
    void sameNameInTwoNamespacesIsTwoSegments() {
        service.write("ns-a", "shared", bytes("a1"));
        service.write("ns-a", "shared", bytes("a2"));
        assertEquals(1, service.write("ns-b", "shared", bytes("b1")), "another namespace starts its own version sequence");

        assertArrayEquals(bytes("a2"), service.load("ns-a", "shared").orElseThrow().state(), "ns-a keeps its own bytes");
        assertArrayEquals(bytes("b1"), service.load("ns-b", "shared").orElseThrow().state(), "ns-b keeps its own bytes");
        assertTrue(service.delete("ns-b", "shared"), "deleting in ns-b succeeds");
        assertEquals(2, service.load("ns-a", "shared").orElseThrow().version(), "deleting in ns-b must not touch ns-a");
        assertEquals(Set.of("ns-a/shared"), keys(), "the store keys are namespace/name");
    }

    // ---- bad input (G9) ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidWrites")
    void invalidWriteIsRefusedAndNothingStoredChanges(BadWrite bad) {
        Snapshot before = prepareExistingSegments();

        Throwable thrown = assertThrows(bad.expected(), () -> service.write(NS, bad.name(), bad.state()),
                bad.label() + ": write should throw " + bad.expected().getSimpleName());
        assertTrue(thrown.getMessage() != null && !thrown.getMessage().isBlank(),
                bad.label() + ": the exception should say what is wrong");

        before.assertUnchanged(bad.label());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidNames")
    void invalidNameIsRefusedByEveryOperationAndNothingStoredChanges(String label, String name) {
        Snapshot before = prepareExistingSegments();

        assertThrows(InvalidSegmentNameException.class, () -> service.load(NS, name), label + ": load should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> service.delete(NS, name), label + ": delete should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> service.awaitReplicated(NS, name, 1, Duration.ZERO),
                label + ": awaitReplicated should refuse the name");
        Map<String, Long> withTheBadName = new HashMap<>(Map.of("existing/segment", 1L));
        withTheBadName.put(name, 1L);
        assertThrows(InvalidSegmentNameException.class, () -> service.awaitAllReplicated(NS, withTheBadName, Duration.ZERO),
                label + ": awaitAllReplicated should refuse the name beside a valid one");

        before.assertUnchanged(label);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#validEdgeWrites")
    void inputAtTheEdgeOfTheRulesIsAcceptedAndRoundTrips(EdgeWrite edge) {
        Snapshot before = prepareExistingSegments();

        assertEquals(1, service.write(NS, edge.name(), edge.state()), edge.label() + ": should be accepted as version 1");
        Checkpoint loaded = service.load(NS, edge.name()).orElseThrow();
        assertArrayEquals(edge.state(), loaded.state(), edge.label() + ": should load back byte for byte");
        assertEquals(edge.name(), loaded.name(), edge.label() + ": should load back under its name");
        assertTrue(service.delete(NS, edge.name()), edge.label() + ": should be deletable");

        before.assertUnchanged(edge.label());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidAwaitArguments")
    void invalidAwaitReplicatedArgumentIsRefused(String label, long version, Duration timeout) {
        Snapshot before = prepareExistingSegments();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThrows(IllegalArgumentException.class,
                    () -> service.awaitReplicated(NS, "existing/segment", version, timeout),
                    label + ": awaitReplicated should throw IllegalArgumentException without waiting");
            assertThrows(IllegalArgumentException.class,
                    () -> service.awaitAllReplicated(NS, Map.of("existing/segment", version, "other", 1L), timeout),
                    label + ": awaitAllReplicated should throw IllegalArgumentException without waiting");
        });
        before.assertUnchanged(label);
    }

    @Test
    void awaitAllReplicatedRefusesAMissingMapOrVersionWithoutWaiting() {
        Snapshot before = prepareExistingSegments();
        Map<String, Long> nullVersion = new HashMap<>(Map.of("existing/segment", 1L));
        nullVersion.put("other", null);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            IllegalArgumentException noMap = assertThrows(IllegalArgumentException.class,
                    () -> service.awaitAllReplicated(NS, null, Duration.ofMinutes(1)));
            assertTrue(noMap.getMessage().contains("versions must not be null"), noMap.getMessage());
            IllegalArgumentException noVersion = assertThrows(IllegalArgumentException.class,
                    () -> service.awaitAllReplicated(NS, nullVersion, Duration.ofMinutes(1)));
            assertTrue(noVersion.getMessage().contains("version of segment 'other' must be positive"), noVersion.getMessage());
        });
        before.assertUnchanged("awaitAllReplicated without map or version");
    }

    @ParameterizedTest(name = "namespace {0}")
    @MethodSource("invalidNamespaces")
    void invalidNamespaceIsRefusedByEveryOperation(String namespace) {
        Snapshot before = prepareExistingSegments();
        assertThrows(InvalidSegmentNameException.class, () -> service.write(namespace, "s", bytes("x")), "write should refuse the namespace");
        assertThrows(InvalidSegmentNameException.class, () -> service.load(namespace, "s"), "load should refuse the namespace");
        assertThrows(InvalidSegmentNameException.class, () -> service.delete(namespace, "s"), "delete should refuse the namespace");
        assertThrows(InvalidSegmentNameException.class, () -> service.awaitReplicated(namespace, "s", 1, Duration.ZERO),
                "awaitReplicated should refuse the namespace");
        assertThrows(InvalidSegmentNameException.class, () -> service.awaitAllReplicated(namespace, Map.of("s", 1L), Duration.ZERO),
                "awaitAllReplicated should refuse the namespace");
        before.assertUnchanged("namespace " + namespace);
    }

    static Stream<String> invalidNamespaces() {
        return Stream.of(null, "", ".", "..", "a/b", "/", "ns with space", "n".repeat(65), "caf\u00e9");
    }

    // ---- awaitReplicated on a single node -------------------------------------------------------

    @Test
    void awaitReplicatedWithNoReplicasAnswersWhetherThisNodeHoldsTheVersion() {
        service.close();
        service = newService(0);
        long v = service.write(NS, "s", bytes("x"));

        assertTrue(service.awaitReplicated(NS, "s", v, Duration.ZERO), "with R=0 a held version is replicated enough");
        assertFalse(service.awaitReplicated(NS, "s", v + 1, Duration.ZERO), "with R=0 a version not yet written is not held");
        assertFalse(service.awaitReplicated(NS, "absent", 1, Duration.ZERO), "with R=0 an absent segment is not held");
        service.write(NS, "s", bytes("y"));
        assertTrue(service.awaitReplicated(NS, "s", v, Duration.ZERO), "a newer version satisfies the wait for an older one");
    }

    @Test
    void awaitReplicatedWithReplicasButNoOtherNodeTimesOutFalse() {
        long v = service.write(NS, "s", bytes("x"));
        assertFalse(service.awaitReplicated(NS, "s", v, Duration.ZERO),
                "with R=2 and no other node, no version can be replicated");
        long start = System.nanoTime();
        assertFalse(service.awaitReplicated(NS, "s", v, Duration.ofMillis(50)), "the wait ends false on timeout");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "awaitReplicated should wait out its timeout");
    }

    @Test
    void awaitAllReplicatedWithNoReplicasAnswersWhetherThisNodeHoldsEveryVersion() {
        service.close();
        service = newService(0);
        long s = service.write(NS, "s", bytes("x"));
        long t = service.write(NS, "t", bytes("y"));

        assertTrue(service.awaitAllReplicated(NS, Map.of("s", s, "t", t), Duration.ZERO), "both are held here");
        assertFalse(service.awaitAllReplicated(NS, Map.of("s", s, "t", t + 1), Duration.ZERO),
                "t's next version is not written: not all are held");
        assertFalse(service.awaitAllReplicated(NS, Map.of("s", s, "absent", 1L), Duration.ZERO), "an absent segment is not held");
        assertTrue(service.awaitAllReplicated(NS, Map.of(), Duration.ZERO), "nothing to wait for");
    }

    @Test
    void awaitAllReplicatedWithReplicasButNoOtherNodeTimesOutFalse() {
        long s = service.write(NS, "s", bytes("x"));
        long t = service.write(NS, "t", bytes("y"));
        long start = System.nanoTime();
        assertFalse(service.awaitAllReplicated(NS, Map.of("s", s, "t", t), Duration.ofMillis(50)),
                "with R=2 and no other node, nothing can be replicated");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "awaitAllReplicated should wait out its timeout");
        assertTrue(service.awaitAllReplicated(NS, Map.of(), Duration.ZERO), "nothing to wait for, even with R=2");
    }

    // ---- closed service --------------------------------------------------------------------------

    @Test
    void closedServiceRefusesEveryOperationWithCheckpointException() {
        service.write(NS, "s", bytes("x"));
        service.close();
        assertThrows(CheckpointException.class, () -> service.write(NS, "s", bytes("y")), "write on a closed service");
        assertThrows(CheckpointException.class, () -> service.load(NS, "s"), "load on a closed service");
        assertThrows(CheckpointException.class, () -> service.delete(NS, "s"), "delete on a closed service");
        assertThrows(CheckpointException.class, () -> service.awaitReplicated(NS, "s", 1, Duration.ZERO),
                "awaitReplicated on a closed service");
        assertThrows(CheckpointException.class, () -> service.awaitAllReplicated(NS, Map.of("s", 1L), Duration.ZERO),
                "awaitAllReplicated on a closed service");
        assertThrows(InvalidSegmentNameException.class, () -> service.write(NS, "../x", bytes("y")),
                "bad input is still reported as bad input on a closed service");
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void concurrentWritersOfOneSegmentGetUniqueIncreasingVersionsAndTheNewestWins() throws Exception {
        int writers = 8;
        int writesPerWriter = 40;
        Map<Long, byte[]> stateByVersion = new ConcurrentHashMap<>();
        List<List<Long>> versionsByWriter = new ArrayList<>();
        List<Checkpoint> seenByReaders = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> writerTasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<Long> versions = new ArrayList<>();
                versionsByWriter.add(versions);
                int writer = w;
                writerTasks.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < writesPerWriter; i++) {
                        byte[] state = payload(writer, i);
                        long version = service.write(NS, "contended", state);
                        versions.add(version);
                        byte[] previous = stateByVersion.putIfAbsent(version, state);
                        if (previous != null) {
                            throw new AssertionError("version " + version + " was returned to two writes");
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> readerTasks = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readerTasks.add(pool.submit(() -> {
                    go.await();
                    while (writing.get()) {
                        service.load(NS, "contended").ifPresent(seenByReaders::add);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> task : writerTasks) {
                task.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> task : readerTasks) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }

        int total = writers * writesPerWriter;
        Set<Long> all = new HashSet<>();
        for (List<Long> versions : versionsByWriter) {
            for (int i = 1; i < versions.size(); i++) {
                assertTrue(versions.get(i) > versions.get(i - 1),
                        "each writer should see strictly increasing versions, got " + versions);
            }
            all.addAll(versions);
        }
        assertEquals(total, all.size(), "every write should get its own version");
        assertEquals(total, Collections.max(all), "versions should be exactly 1.." + total + " with no gap");

        Checkpoint last = service.load(NS, "contended").orElseThrow();
        assertEquals(total, last.version(), "load after all writes returns the highest version");
        assertArrayEquals(stateByVersion.get((long) total), last.state(),
                "the final state is whole and is the one written as the highest version");
        for (Checkpoint seen : seenByReaders) {
            assertArrayEquals(stateByVersion.get(seen.version()), seen.state(),
                    "a concurrent load of v" + seen.version() + " must return exactly the bytes written as that version");
        }
    }

    @Test
    void writersOfDifferentSegmentsRunInParallelWithoutDisturbingEachOther() throws Exception {
        int writers = 8;
        int writesPerWriter = 40;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Long>>> tasks = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    go.await();
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < writesPerWriter; i++) {
                        versions.add(service.write(NS, "segment-" + writer, payload(writer, i)));
                    }
                    return versions;
                }));
            }
            go.countDown();
            for (int w = 0; w < writers; w++) {
                List<Long> versions = tasks.get(w).get(60, TimeUnit.SECONDS);
                List<Long> expected = new ArrayList<>();
                for (long v = 1; v <= writesPerWriter; v++) {
                    expected.add(v);
                }
                assertEquals(expected, versions, "the only writer of segment-" + w + " should get versions 1.." + writesPerWriter);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int w = 0; w < writers; w++) {
            Checkpoint loaded = service.load(NS, "segment-" + w).orElseThrow();
            assertEquals(writesPerWriter, loaded.version(), "segment-" + w + " should end at its last version");
            assertArrayEquals(payload(w, writesPerWriter - 1), loaded.state(), "segment-" + w + " should hold its own last state");
        }
        assertEquals(writers, service.store().list().size(), "one stored copy per segment");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Writes the segments every bad-input test checks afterwards and remembers them. */
    Snapshot prepareExistingSegments() {
        service.write(NS, "existing/segment", bytes("first"));
        service.write(NS, "existing/segment", bytes("second"));
        service.write(NS, "valid/name", bytes("the valid name's state"));
        service.write("other-ns", "existing/segment", bytes("other namespace"));
        return new Snapshot(Set.copyOf(service.store().list()),
                service.load(NS, "existing/segment").orElseThrow(),
                service.load(NS, "valid/name").orElseThrow());
    }

    /** What was stored before a refused operation; nothing of it may change. */
    final class Snapshot {
        private final Set<SegmentMetadata> listed;
        private final Checkpoint existing;
        private final Checkpoint validName;

        Snapshot(Set<SegmentMetadata> listed, Checkpoint existing, Checkpoint validName) {
            this.listed = listed;
            this.existing = existing;
            this.validName = validName;
        }

        void assertUnchanged(String label) {
            assertEquals(listed, Set.copyOf(service.store().list()),
                    label + ": the store's list must be unchanged by a refused operation");
            Checkpoint now = service.load(NS, "existing/segment").orElseThrow();
            assertEquals(existing.version(), now.version(), label + ": an existing segment must keep its version");
            assertArrayEquals(existing.state(), now.state(), label + ": an existing segment must keep its bytes");
            Checkpoint valid = service.load(NS, "valid/name").orElseThrow();
            assertEquals(validName.version(), valid.version(), label + ": the segment named in bad-state cases must keep its version");
            assertArrayEquals(validName.state(), valid.state(), label + ": the segment named in bad-state cases must keep its bytes");
            assertEquals(existing.version() + 1, service.write(NS, "existing/segment", bytes("next")),
                    label + ": a refused operation must not use up a version");
        }
    }

    Set<String> keys() {
        Set<String> keys = new HashSet<>();
        for (SegmentMetadata m : service.store().list()) {
            keys.add(m.key());
        }
        return keys;
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A state unique to (writer, index), of a varying size below the limit. */
    static byte[] payload(int writer, int index) {
        int size = 16 + (writer * 131 + index * 17) % (BadInputs.MAX_SEGMENT_BYTES - 16);
        byte[] state = new byte[size];
        int x = writer * 100_003 + index;
        for (int i = 0; i < size; i++) {
            x = x * 1103515245 + 12345;
            state[i] = (byte) (x >>> 16);
        }
        state[0] = (byte) writer;
        state[1] = (byte) index;
        return state;
    }
}
