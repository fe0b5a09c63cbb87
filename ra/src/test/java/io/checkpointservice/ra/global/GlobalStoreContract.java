package io.checkpointservice.ra.global;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GlobalStore} backend promises, run against each real backend by a subclass:
 * exactly the stored version comes back, only the newest is kept (the newest {@code retainVersions}
 * when more are to be kept) and an older one never replaces it, a damaged copy is never returned
 * (G7), a tombstone removes what it deletes, kept versions included, and a store that cannot be
 * reached fails loudly (never "missing") and keeps what it held.
 */
abstract class GlobalStoreContract {

    static final String KEY = "ns/segment";

    /** @return a store of the backend under test keeping the newest version only; closed by the subclass */
    GlobalStore store() {
        return store(1);
    }

    /**
     * @param retainVersions how many versions of each segment it keeps
     * @return a store of the backend under test, empty when first opened in a test; closed by the subclass
     */
    abstract GlobalStore store(int retainVersions);

    /** @return how many copies of {@code key} the store holds, whole or not */
    abstract int copiesHeld(String key) throws Exception;

    /**
     * Damages the stored copy of {@code record}'s version (the newest or a kept older one) as
     * {@code damage} says, behind the store's back.
     */
    abstract void damage(String key, SegmentRecord record, Damage damage) throws Exception;

    /** Makes the store unreachable: unmounted, stopped. */
    abstract void takeDown() throws Exception;

    /** Undoes {@link #takeDown}. */
    abstract void bringBack() throws Exception;

    enum Damage {
        /** One bit of the data flipped. */
        DATA_BIT,
        /** One bit of the header (the key) flipped. */
        HEADER_BIT,
        /** The copy cut in half. */
        TORN
    }

    static SegmentRecord record(long epoch, long version, byte[] data) {
        return SegmentRecord.builder().version(version).epoch(epoch).writer("writer-1").size(data.length)
                .checksum(Checksums.crc32c(data)).writtenAt(Instant.ofEpochMilli(1_000 + version)).build();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void returnsExactlyTheVersionStoredWithItsRecord() {
        GlobalStore store = store();
        byte[] data = bytes("state of version 3");
        SegmentRecord v3 = record(2, 3, data);
        store.put(KEY, v3, data);

        assertTrue(store.holds(KEY, v3));
        assertArrayEquals(data, store.get(KEY, v3).orElseThrow());
        GlobalCopy newest = store.newest(KEY).orElseThrow();
        assertEquals(v3, newest.record());
        assertArrayEquals(data, newest.data());
        assertEquals(Optional.empty(), store.get(KEY, record(2, 4, data)), "a version never stored");
        assertFalse(store.holds(KEY, record(2, 4, data)), "a version never stored");
        assertEquals(Optional.empty(), store.get("ns/other", v3), "another segment");
        assertEquals(Optional.empty(), store.newest("ns/other"), "another segment");
    }

    @Test
    void keepsOnlyTheNewestVersionAndNeverGoesBack() throws Exception {
        GlobalStore store = store();
        byte[] old = bytes("old");
        byte[] next = bytes("newer state");
        SegmentRecord v1 = record(1, 1, old);
        SegmentRecord v2 = record(1, 2, next);
        store.put(KEY, v1, old);
        store.put(KEY, v2, next);
        store.put(KEY, v1, old); // a late archiver of the older version
        store.put(KEY, v2, next); // and a repeated put

        assertFalse(store.holds(KEY, v1), "the older version is removed once a newer one is stored");
        assertEquals(Optional.empty(), store.get(KEY, v1));
        assertEquals(v2, store.newest(KEY).orElseThrow().record());
        assertArrayEquals(next, store.get(KEY, v2).orElseThrow());
        assertEquals(1, copiesHeld(KEY));
        // A take-over's lineage (higher data epoch) is newer even with a lower version number.
        byte[] taken = bytes("after a take-over");
        SegmentRecord epoch3 = record(3, 1, taken);
        store.put(KEY, epoch3, taken);
        assertEquals(epoch3, store.newest(KEY).orElseThrow().record());
        store.put(KEY, v2, next);
        assertEquals(epoch3, store.newest(KEY).orElseThrow().record(), "a higher version of an older epoch loses");
    }

    /** Archivers of different versions at once (a rebalance): whatever the interleaving, the newest stays. */
    @Test
    void concurrentPutsOfManyVersionsLeaveTheNewest() throws Exception {
        GlobalStore store = store();
        putVersionsOneToFortyAtOnce(store, 7);
        GlobalCopy newest = store.newest(KEY).orElseThrow();
        assertEquals(40, newest.record().version());
        assertArrayEquals(bytes("version 40"), newest.data());
    }

    @Test
    void aDamagedCopyIsNeverReturned() throws Exception {
        GlobalStore store = store();
        for (Damage damage : Damage.values()) {
            String key = "ns/damaged-" + damage;
            byte[] data = bytes("bytes that will be damaged in the store: " + damage);
            SegmentRecord v1 = record(1, 1, data);
            store.put(key, v1, data);
            damage(key, v1, damage);

            assertEquals(Optional.empty(), store.get(key, v1), damage + ": get");
            assertEquals(Optional.empty(), store.newest(key), damage + ": newest");
            Map<String, SegmentRecord> listed = new HashMap<>();
            store.forEachNewestRecord(listed::put);
            if (damage == Damage.DATA_BIT) {
                assertEquals(v1, listed.get(key), "an intact header is listed (recovery reads headers only)");
            } else {
                assertFalse(listed.containsKey(key), damage + ": a damaged header lists nothing: " + listed);
            }
        }
    }

    @Test
    void recordsAreListedPerSegment() {
        GlobalStore store = store();
        byte[] a = bytes("a");
        byte[] b = bytes("");
        store.put("ns/a", record(1, 4, a), a);
        store.put("ns/a", record(1, 5, a), a);
        store.put("ns/b", record(4, 1, b), b);

        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of("ns/a", record(1, 5, a), "ns/b", record(4, 1, b)), listed);
        assertArrayEquals(b, store.get("ns/b", record(4, 1, b)).orElseThrow(), "an empty state is a state");
    }

    @Test
    void aTombstoneRemovesTheVersionsItDeletesButAClaimRemovesNothing() {
        GlobalStore store = store();
        byte[] data = bytes("x");
        SegmentRecord v2 = record(1, 2, data);
        store.put(KEY, v2, data);

        store.delete(KEY, SegmentRecord.claim(2, "loader", 0, Instant.EPOCH));
        assertTrue(store.holds(KEY, v2), "a claim without data (version 0) is no delete");
        store.delete(KEY, SegmentRecord.claim(2, "writer-1", 1, Instant.EPOCH));
        assertTrue(store.holds(KEY, v2), "a tombstone of an older version leaves the newer one");
        store.delete(KEY, SegmentRecord.claim(2, "writer-1", 2, Instant.EPOCH));
        assertFalse(store.holds(KEY, v2));
        assertEquals(Optional.empty(), store.newest(KEY));
        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of(), listed);
    }

    /** Down is not empty: reads throw (a load answers "unavailable", never "absent"), and nothing is lost. */
    @Test
    void anUnreachableStoreFailsLoudlyAndKeepsWhatItHeld() throws Exception {
        GlobalStore store = store();
        byte[] data = bytes("kept");
        SegmentRecord v1 = record(1, 1, data);
        store.put(KEY, v1, data);
        byte[] later = bytes("written while the store is down");
        SegmentRecord v2 = record(1, 2, later);

        takeDown();
        try {
            assertThrows(GlobalStoreException.class, () -> store.put(KEY, v2, later));
            assertThrows(GlobalStoreException.class, () -> store.get(KEY, v1));
            assertThrows(GlobalStoreException.class, () -> store.newest(KEY));
            assertThrows(GlobalStoreException.class, () -> store.versions(KEY));
            assertThrows(GlobalStoreException.class, () -> store.forEachNewestRecord((k, r) -> { }));
        } finally {
            bringBack();
        }

        assertArrayEquals(data, store.get(KEY, v1).orElseThrow(), "what it held is there again");
        store.put(KEY, v2, later);
        assertArrayEquals(later, store.get(KEY, v2).orElseThrow(), "the same store object writes again");
    }

    @Test
    void keepsTheNewestRetainedVersionsNewestFirst() throws Exception {
        GlobalStore store = store(3);
        List<SegmentRecord> records = new ArrayList<>();
        for (int v = 1; v <= 5; v++) {
            byte[] data = bytes("state of version " + v);
            SegmentRecord record = record(1, v, data);
            records.add(record);
            store.put(KEY, record, data);
        }
        store.put(KEY, records.get(1), bytes("state of version 2")); // a late archiver of a version no longer kept

        assertEquals(List.of(records.get(4), records.get(3), records.get(2)), store.versions(KEY),
                "the newest 3, newest first");
        assertEquals(3, copiesHeld(KEY));
        for (int v = 3; v <= 5; v++) {
            assertArrayEquals(bytes("state of version " + v), store.get(KEY, records.get(v - 1)).orElseThrow(), "v" + v);
            assertTrue(store.holds(KEY, records.get(v - 1)), "v" + v);
        }
        for (int v = 1; v <= 2; v++) {
            assertEquals(Optional.empty(), store.get(KEY, records.get(v - 1)), "v" + v + " is no longer kept");
            assertFalse(store.holds(KEY, records.get(v - 1)), "v" + v);
        }
        assertEquals(records.get(4), store.newest(KEY).orElseThrow().record());
        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of(KEY, records.get(4)), listed, "recovery sees each segment's newest only");
        assertEquals(List.of(), store.versions("ns/other"), "another segment");
    }

    @Test
    void aTakeOverLineageComesFirstAmongTheKeptVersions() {
        GlobalStore store = store(3);
        byte[] a = bytes("a");
        byte[] b = bytes("b");
        byte[] c = bytes("c");
        store.put(KEY, record(1, 1, a), a);
        store.put(KEY, record(1, 2, b), b);
        store.put(KEY, record(2, 3, c), c); // published by the node that took the segment over

        assertEquals(List.of(record(2, 3, c), record(1, 2, b), record(1, 1, a)), store.versions(KEY));
        assertArrayEquals(a, store.get(KEY, record(1, 1, a)).orElseThrow());
    }

    @Test
    void aTombstoneRemovesEveryKeptVersion() {
        GlobalStore store = store(3);
        List<SegmentRecord> records = new ArrayList<>();
        for (int v = 1; v <= 3; v++) {
            byte[] data = bytes("kept " + v);
            records.add(record(1, v, data));
            store.put(KEY, records.get(v - 1), data);
        }
        store.delete(KEY, SegmentRecord.claim(2, "writer-1", 2, Instant.EPOCH));
        assertEquals(List.of(records.get(2)), store.versions(KEY), "a tombstone of v2 removes v1 and v2");

        store.delete(KEY, SegmentRecord.claim(2, "writer-1", 3, Instant.EPOCH));
        assertEquals(List.of(), store.versions(KEY));
        records.forEach(r -> assertEquals(Optional.empty(), store.get(KEY, r), "v" + r.version()));
        assertEquals(Optional.empty(), store.newest(KEY));

        for (int v = 1; v <= 2; v++) {
            byte[] data = bytes("kept again " + v);
            store.put(KEY, record(3, 3 + v, data), data);
        }
        store(1).delete(KEY, SegmentRecord.claim(4, "writer-1", 5, Instant.EPOCH));
        assertEquals(List.of(), store.versions(KEY), "a node keeping one version deletes the kept ones too");
    }

    @Test
    void aDamagedKeptCopyIsNeverReturned() throws Exception {
        GlobalStore store = store(3);
        List<SegmentRecord> records = new ArrayList<>();
        for (int v = 1; v <= 3; v++) {
            byte[] data = bytes("version " + v + " of a segment whose kept copies are damaged");
            records.add(record(1, v, data));
            store.put(KEY, records.get(v - 1), data);
        }
        damage(KEY, records.get(1), Damage.DATA_BIT);
        damage(KEY, records.get(0), Damage.HEADER_BIT);

        assertEquals(Optional.empty(), store.get(KEY, records.get(1)), "damaged data");
        assertEquals(Optional.empty(), store.get(KEY, records.get(0)), "damaged header");
        assertEquals(List.of(records.get(2), records.get(1)), store.versions(KEY),
                "an intact header is listed (the data is checked when read), a damaged one is not");
        assertArrayEquals(bytes("version 3 of a segment whose kept copies are damaged"),
                store.get(KEY, records.get(2)).orElseThrow());
    }

    /** Archivers of different versions at once, keeping 3: the newest stays and every kept copy is whole. */
    @Test
    void concurrentPutsKeepingVersionsLeaveTheNewestAndWholeCopies() throws Exception {
        GlobalStore store = store(3);
        putVersionsOneToFortyAtOnce(store, 11);
        List<SegmentRecord> kept = store.versions(KEY);
        assertEquals(40, kept.get(0).version(), "newest first: " + kept);
        for (SegmentRecord record : kept) {
            assertArrayEquals(bytes("version " + record.version()), store.get(KEY, record).orElseThrow());
        }
    }

    /** Puts versions 1 to 40 of {@code KEY} from 4 threads, in an order shuffled by {@code seed}. */
    private void putVersionsOneToFortyAtOnce(GlobalStore store, long seed) throws Exception {
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= 40; v++) {
            versions.add(v);
        }
        Collections.shuffle(versions, new java.util.Random(seed));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int v : versions) {
                byte[] data = bytes("version " + v);
                puts.add(pool.submit(() -> store.put(KEY, record(1, v, data), data)));
            }
            for (Future<?> put : puts) {
                put.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
