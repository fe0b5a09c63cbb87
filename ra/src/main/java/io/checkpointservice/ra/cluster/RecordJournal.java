package io.checkpointservice.ra.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;
import org.infinispan.functional.FunctionalMap.WriteOnlyMap;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * This node's copy of the cluster's segment records on its own disk (disk mode), so that a
 * cluster whose nodes all stopped at once still knows every segment when it comes back: without
 * it a node that was not the writer would answer "absent" for a segment the cluster had.
 *
 * <p>A local cache with Infinispan's soft-index file store, written by a listener on the
 * replicated records cache: every record change this node applies, its own or another node's,
 * is on its disk before the change is acknowledged (the listener is synchronous), so an awaited
 * version's record is on every member's disk. Not the records cache's own store: on a join
 * Infinispan installs the joined cluster's entries over a non-shared store's, so a node that
 * stopped last (holding the newest records) would lose them to a node that stopped first. Here
 * the join keeps both and {@link #restoreInto} keeps the newer of each pair by
 * {@link RecordMergePolicy#PRECEDENCE}, the order in which a segment's record only ever moves
 * (take-overs raise the epoch, publications the version, a delete leaves a tombstone of the
 * last version). The only records that leave the records cache are tombstones and claims past
 * their grace period ({@link TombstoneCompactor}); the journal forgets them too. A node that was
 * away while the cluster forgot one may remember an older record of that segment: it restores
 * only records the cluster still has ({@code restoreAbsent} false, see {@link CompactionMarker}).
 *
 * <p>The file store writes to the page cache: the journal survives a process kill; a power loss
 * of a host may cost its last changes, which the other nodes' journals still hold. A record the
 * file store cannot read (a write cut short by a kill) is left out with a warning, and a journal
 * that cannot be read at all, or written, never stops the node or a record change. A cluster
 * that refuses the kept records does stop the node's start ({@link #restoreWithRetries}).
 */
@Listener(observation = Listener.Observation.POST)
final class RecordJournal {

    static final String CACHE = "checkpoint-records-journal";
    private static final Logger LOG = Logger.getLogger(RecordJournal.class.getName());
    /** Records the journal keeps in memory as well; the rest are read from its files when needed. */
    private static final int IN_MEMORY = 1_024;
    /** Compare-and-sets of a restore in flight at once; each carries one record of a few hundred bytes. */
    static final int OFFERS_IN_FLIGHT = 256;
    /** Attempts at bringing the kept records back before the node's start fails. */
    static final int RESTORE_ATTEMPTS = 3;

    private final Cache<String, String> journal;
    /** The journal's write-only view: removals that do not read the entry first. */
    private final WriteOnlyMap<String, String> removals;
    private final JournalSupport failures = new JournalSupport(LOG, "record journal");

    private RecordJournal(Cache<String, String> journal) {
        this.journal = journal;
        this.removals = JournalSupport.writeOnly(journal);
    }

    /** Defines the journal's cache, with its files under {@code directory}. */
    static void define(DefaultCacheManager manager, Path directory) {
        JournalSupport.defineLocalFileCache(manager, CACHE, directory, IN_MEMORY, 1 << 20);
    }

    /**
     * Brings what this node's disk remembers into the cluster's records, then journals every
     * change from here on.
     *
     * @param records the joined cluster's records; this node holds every one of them
     * @return the journal, listening to {@code records}
     */
    static RecordJournal open(DefaultCacheManager manager, Cache<String, String> records, boolean restoreAbsent) {
        RecordJournal journal = new RecordJournal(manager.getCache(CACHE));
        records.addListener(journal); // first, so no change made while restoring is missed
        long start = System.nanoTime();
        Map<String, String> kept;
        try {
            kept = journal.readAll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "record journal cannot be read; this node starts with the cluster's records only", e);
            return journal;
        }
        int restored = journal.restoreWithRetries(records, kept, restoreAbsent);
        int journaled = catchUpOrWarn(journal, records, kept);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.info(() -> "record journal: " + restored + " records brought back into the cluster from this node's disk, "
                + journaled + " learnt from the cluster, in " + millis + " ms");
        return journal;
    }

    /**
     * Brings the kept records back, trying again when the cluster refuses a write (a lock that
     * timed out, a member that left meanwhile): every offer is a compare-and-set that keeps the
     * newer record, so offering again is safe. A node whose records could not be brought back
     * must not start: it would answer "absent" for segments the cluster had (G8), and the chunk
     * journal would drop the kept chunks no record points at.
     *
     * @throws ClusterUnavailableException when the last attempt failed too
     */
    private int restoreWithRetries(Cache<String, String> records, Map<String, String> kept, boolean restoreAbsent) {
        for (int attempt = 1; ; attempt++) {
            try {
                return restoreInto(records, kept, restoreAbsent);
            } catch (RuntimeException e) {
                if (attempt == RESTORE_ATTEMPTS) {
                    throw new ClusterUnavailableException("the " + kept.size() + " records this node's disk kept could "
                            + "not be brought back into the cluster (" + e.getMessage() + "); without them it would "
                            + "answer \"absent\" for segments the cluster had; starting it again is safe", e);
                }
                int tried = attempt;
                LOG.log(Level.WARNING, e, () -> "record journal: bringing the kept records back into the cluster failed "
                        + "(attempt " + tried + " of " + RESTORE_ATTEMPTS + "); trying again");
            }
        }
    }

    /** The journal is this node's second copy: failing to write what the cluster has into it never stops the node. */
    private static int catchUpOrWarn(RecordJournal journal, Cache<String, String> records, Map<String, String> kept) {
        try {
            return journal.catchUpWith(records, kept);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "record journal: the records learnt from the cluster cannot all be written to this "
                    + "node's disk; the cluster's copies are unaffected", e);
            return 0;
        }
    }

    /**
     * @param restoreAbsent false when the cluster may have forgotten segments this node still
     *     remembers: then only the records the cluster has are brought up to date, and the rest
     *     are dropped from the journal
     * @param kept the journal's records, by key ({@link #readAll})
     * @return how many of the journal's records were newer than the cluster's (or unknown to it)
     */
    private int restoreInto(Cache<String, String> records, Map<String, String> kept, boolean restoreAbsent) {
        List<Kept> newer = new ArrayList<>();
        int dropped = 0;
        for (Map.Entry<String, String> entry : kept.entrySet()) {
            String key = entry.getKey();
            SegmentRecord remembered = decodeOrNull(key, entry.getValue());
            if (remembered == null) {
                continue;
            }
            String current = localRecord(records, key);
            if (!restoreAbsent && current == null) {
                forget(key);
                dropped++;
            } else if (current == null || isOlder(key, current, remembered)) {
                newer.add(new Kept(key, entry.getValue(), remembered));
            }
        }
        if (dropped > 0) {
            int count = dropped;
            LOG.warning(() -> "record journal: " + count + " records the cluster no longer has were dropped: this node "
                    + "was away while the cluster forgot deleted segments, so they may be segments deleted meanwhile");
        }
        return offerAll(records, newer);
    }

    /**
     * Reads every kept record in one pass over the journal's files. An entry the file store
     * cannot read makes that pass fail; then the records are read one by one, and the unreadable
     * ones are dropped.
     */
    private Map<String, String> readAll() {
        Map<String, String> kept = new HashMap<>();
        try (CloseableIterator<Map.Entry<String, String>> entries = journal.entrySet().iterator()) {
            while (entries.hasNext()) {
                Map.Entry<String, String> entry = entries.next();
                kept.put(entry.getKey(), entry.getValue());
            }
            return kept;
        } catch (RuntimeException e) {
            LOG.warning(() -> "record journal: cannot be read in one pass (" + e.getMessage() + "); reading it record by record");
        }
        for (String key : List.copyOf(journal.keySet())) {
            String encoded = read(key);
            if (encoded != null) {
                kept.put(key, encoded);
            }
        }
        return kept;
    }

    /**
     * Sets the cluster's records to the remembered ones, by compare-and-set, {@value #OFFERS_IN_FLIGHT}
     * at a time: their round trips overlap instead of adding up. Every node restarting at once
     * offers the same records, so each goes through them in an order of its own and checks the
     * cluster's record again just before each wave: most records one node offers, the others
     * then find there. A compare-and-set that lost (another node changed the record meanwhile)
     * decides again, one record at a time.
     */
    private static int offerAll(Cache<String, String> records, List<Kept> newer) {
        String self = String.valueOf(records.getCacheManager().getAddress());
        newer.sort(Comparator.comparingLong(k -> KeptChunksPutBack.order(self, k.key())));
        int restored = 0;
        for (int from = 0; from < newer.size(); from += OFFERS_IN_FLIGHT) {
            List<Kept> wave = newer.subList(from, Math.min(newer.size(), from + OFFERS_IN_FLIGHT));
            List<CompletableFuture<Boolean>> sets = new ArrayList<>(wave.size());
            List<CompletableFuture<String>> winners = new ArrayList<>(wave.size());
            for (Kept kept : wave) {
                String current = localRecord(records, kept.key());
                if (current == null) {
                    CompletableFuture<String> put = records.putIfAbsentAsync(kept.key(), kept.encoded());
                    winners.add(put);
                    sets.add(put.thenApply(Objects::isNull));
                } else if (isOlder(kept.key(), current, kept.record())) {
                    winners.add(null);
                    sets.add(records.replaceAsync(kept.key(), current, kept.encoded()));
                } else {
                    winners.add(null);
                    sets.add(null); // another node brought it back meanwhile
                }
            }
            for (int i = 0; i < wave.size(); i++) {
                Kept kept = wave.get(i);
                CompletableFuture<Boolean> set = sets.get(i);
                if (set == null) {
                    continue;
                }
                boolean done = set.join();
                if (!done) {
                    // Lost to another node: decide again against the record that won.
                    String winner = winners.get(i) != null ? winners.get(i).join() : records.get(kept.key());
                    done = offer(records, kept.key(), kept.encoded(), kept.record(), winner);
                }
                if (done) {
                    restored++;
                }
            }
        }
        return restored;
    }

    /** @return true when {@code remembered} is newer than the cluster's {@code current} record */
    private static boolean isOlder(String key, String current, SegmentRecord remembered) {
        SegmentRecord held = decodeOrNull(key, current);
        return held != null && RecordMergePolicy.PRECEDENCE.compare(remembered, held) < 0;
    }

    private static String localRecord(Cache<String, String> records, String key) {
        return records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get(key);
    }

    /**
     * Sets the cluster's record to the remembered one unless the cluster's is at least as new.
     * A compare-and-set: a node changing the record meanwhile makes it decide again.
     */
    static boolean offer(Cache<String, String> records, String key, String encoded, SegmentRecord remembered) {
        return offer(records, key, encoded, remembered, localRecord(records, key));
    }

    /**
     * @param current the cluster's record as last seen. After a compare-and-set that lost, the
     *     winner's record is taken from the answer or read from the cluster, not from this node's
     *     memory: while it joins, that may not hold the record yet.
     */
    private static boolean offer(Cache<String, String> records, String key, String encoded, SegmentRecord remembered,
                                 String current) {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (current == null) {
                current = records.putIfAbsent(key, encoded);
                if (current == null) {
                    return true;
                }
                continue;
            }
            if (!isOlder(key, current, remembered)) {
                return false; // the cluster's is as new or newer
            }
            if (records.replace(key, current, encoded)) {
                return true;
            }
            current = records.get(key);
        }
        LOG.warning(() -> "record of '" + key + "' kept changing while this node restored its journal; the cluster's is kept");
        return false;
    }

    /**
     * Journals the records this node received on joining: the listener sees changes, and a
     * joiner's initial copy of the records is not one.
     *
     * @param kept the journal's records as {@link #readAll} read them: a record equal to the
     *     cluster's is skipped without reading the journal again (records changed since are
     *     journalled by the listener)
     * @return how many records were new or newer than the journal's
     */
    private int catchUpWith(Cache<String, String> records, Map<String, String> kept) {
        int journaled = 0;
        for (Map.Entry<String, String> entry : records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).entrySet()) {
            String key = entry.getKey();
            if (entry.getValue().equals(kept.get(key)) || decodeOrNull(key, entry.getValue()) == null) {
                continue;
            }
            String after = journal.merge(key, entry.getValue(), (old, offered) -> newer(key, old, offered));
            if (entry.getValue().equals(after)) {
                journaled++;
            }
        }
        return journaled;
    }

    private static String newer(String key, String a, String b) {
        SegmentRecord ra = decodeOrNull(key, a);
        SegmentRecord rb = decodeOrNull(key, b);
        if (ra == null) {
            return b;
        }
        return rb == null || RecordMergePolicy.PRECEDENCE.compare(ra, rb) <= 0 ? a : b;
    }

    /**
     * The cluster's record changed on this node: on disk before the change is acknowledged.
     * Changes of one key reach this node one after the other (the records cache locks the key
     * until every member applied it), so the last one written is the newest.
     */
    @CacheEntryCreated
    @CacheEntryModified
    public CompletionStage<?> recordChanged(CacheEntryEvent<String, String> event) {
        if (event.getValue() == null) {
            return null;
        }
        return failures.absorb(journal.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .putAsync(event.getKey(), event.getValue()));
    }

    /**
     * The cluster forgot a tombstone or claim after its grace period ({@link ForgottenRecords}
     * tells, on a node thread): so does this node's disk.
     */
    void forget(String key) {
        try {
            JournalSupport.removeWithoutReading(removals, key).join();
        } catch (RuntimeException e) {
            LOG.warning(() -> "record journal: the forgotten record of '" + key + "' stays on this node's disk: "
                    + e.getMessage());
        }
    }

    /** @return the kept record, or null when there is none or its entry cannot be read (then it is dropped) */
    private String read(String key) {
        try {
            return journal.get(key);
        } catch (RuntimeException e) {
            LOG.warning(() -> "record journal: the kept record of '" + key + "' cannot be read and is dropped: " + e.getMessage());
            try {
                JournalSupport.removeWithoutReading(removals, key).join();
            } catch (RuntimeException ignored) {
                // dropped at the next change of this record, which overwrites it
            }
            return null;
        }
    }

    private static SegmentRecord decodeOrNull(String key, String encoded) {
        try {
            return SegmentRecord.decode(encoded);
        } catch (RuntimeException e) {
            LOG.warning(() -> "record of '" + key + "' cannot be read and is left out: " + e.getMessage());
            return null;
        }
    }

    /** A record the journal kept that is newer than the cluster's, or unknown to it. */
    private record Kept(String key, String encoded, SegmentRecord record) {
    }
}
