package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.threads.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts the published versions a node's {@link ChunkJournal} kept back into the cluster, where no
 * owner holds them: after a restart of the whole cluster the records are back (record journal)
 * but every chunk cache is empty. Runs in the background once the node has started, so a start
 * costs the same with 10 or 10,000 kept versions; meanwhile a load of a version not yet back
 * answers "unavailable" (its record points at chunks no owner holds), never "absent".
 *
 * <p>One pass over the journal's keys groups them into versions and drops the chunks no record
 * points at; then the versions go in waves: one round trip asks the owners about chunk 0 of every
 * version of the wave ({@link ReplicaStore#confirmCopiesOutside(Map, Duration)}), and of those no
 * owner holds, the chunks go out with many puts in flight ({@link ReplicaStore#putChunks}), chunk 0
 * of each version only after all its other chunks were acknowledged (readers probe chunk 0 first,
 * so it must not vouch for missing ones). A version this node kept only part of is not offered.
 * Every node that restarts does this at once, each in an order of its own (a hash of its name and
 * the key), so that they mostly put back different versions and find the others' already held.
 * Versions that could not be put now (owners unreachable) are tried again in later passes.
 */
final class KeptChunksPutBack {

    private static final Logger LOG = Logger.getLogger(KeptChunksPutBack.class.getName());
    /** Versions whose owners are asked in one round trip before their chunks are put. */
    static final int VERSIONS_PER_WAVE = 256;
    /** Chunks of one batch of puts in flight at once, and their bytes at most (chunks are up to 1 MiB). */
    private static final int CHUNKS_PER_BATCH = 256;
    private static final long BYTES_PER_BATCH = 8L << 20;
    private static final Duration QUESTION_PATIENCE = Duration.ofSeconds(5);
    /** Passes over the versions that could not be put back, with the replicator's back-off between them. */
    private static final int PASSES = 5;

    private final ChunkJournal journal;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final String nodeName;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopped;

    KeptChunksPutBack(ChunkJournal journal, SegmentDirectory directory, ReplicaStore replicas, String nodeName) {
        this.journal = journal;
        this.directory = directory;
        this.replicas = replicas;
        this.nodeName = nodeName;
    }

    /** Puts back what no owner holds; returns when done, or soon after {@link #stop}. */
    void run() {
        long start = System.nanoTime();
        Counts counts = new Counts();
        try {
            List<Version> pending = kept(counts);
            pending.sort(Comparator.comparingLong(v -> order(nodeName, v.first().cacheKey())));
            counts.kept = pending.size();
            LOG.info(() -> "chunk journal: putting " + counts.kept + " published versions kept on this node's disk "
                    + "back where no owner holds them, in the background; " + counts.dropped
                    + " chunks no record points at dropped, " + counts.partial + " versions kept only in part left out");
            for (int pass = 0; pass < PASSES && !pending.isEmpty() && !stopped; pass++) {
                if (pass > 0) {
                    Thread.sleep(Backoff.REPLICATION.delayMillis(pass - 1));
                }
                List<Version> failed = new ArrayList<>();
                for (int from = 0; from < pending.size() && !stopped; from += VERSIONS_PER_WAVE) {
                    failed.addAll(putBackWave(pending.subList(from, Math.min(pending.size(), from + VERSIONS_PER_WAVE)),
                            counts));
                }
                pending = failed;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int failed = pending.size();
            if (stopped) {
                LOG.info(() -> "chunk journal: put-back stopped with the node after " + millis + " ms");
            } else if (failed > 0) {
                LOG.warning(() -> "chunk journal: " + failed + " kept versions could not be put back (owners unreachable); "
                        + "their loads answer \"unavailable\" until a node holding them restarts");
            }
            LOG.info(() -> "chunk journal: " + counts.kept + " kept versions checked in " + millis + " ms: "
                    + counts.putBack + " put back, " + counts.held + " already held by an owner, " + counts.gone
                    + " gone meanwhile");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.log(Level.WARNING, "chunk journal cannot be read; the versions it kept are not put back", e);
            }
        } finally {
            finished.countDown();
        }
    }

    /** Makes {@link #run} return soon: before its next wave. */
    void stop() {
        stopped = true;
    }

    /** @return true when {@link #run} has returned within {@code millis} */
    boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @return the versions kept whole, grouped from the journal's keys; chunks no record points at
     *     are dropped (superseded, deleted, or a lost lineage)
     */
    private List<Version> kept(Counts counts) {
        Map<String, Version> versions = new HashMap<>(); // by the key of chunk 0: the chunks of one published version
        for (String cacheKey : journal.keys()) {
            ChunkKey chunk = ChunkKey.parse(cacheKey);
            Optional<SegmentRecord> record = chunk == null ? Optional.empty() : directory.get(chunk.segmentKey())
                    .flatMap(r -> r.publishedVersions().stream() // the record's version, or one it keeps
                            .filter(v -> ChunkKey.of(chunk.segmentKey(), v, chunk.index()).equals(chunk)).findFirst());
            if (record.isEmpty()) {
                if (journal.dropUnlessStoredSinceOpen(cacheKey)) {
                    counts.dropped++;
                }
                continue;
            }
            versions.computeIfAbsent(ChunkKey.of(chunk.segmentKey(), record.get(), 0).cacheKey(),
                    k -> new Version(chunk.segmentKey(), record.get())).indices.put(chunk.index(), chunk);
        }
        List<Version> whole = new ArrayList<>();
        for (Version version : versions.values()) {
            if (version.indices.size() == version.record.chunkCount() && version.indices.containsKey(0)) {
                whole.add(version);
            } else {
                counts.partial++; // this node kept only part of it (it became an owner half way)
            }
        }
        return whole;
    }

    /** @return the versions of the wave that could not be put back now */
    private List<Version> putBackWave(List<Version> wave, Counts counts) {
        Map<ChunkKey, String> firstChunks = new HashMap<>();
        wave.forEach(v -> firstChunks.put(v.first(), ""));
        Map<ChunkKey, Integer> held;
        try {
            held = replicas.confirmCopiesOutside(firstChunks, QUESTION_PATIENCE);
        } catch (ClusterUnavailableException e) {
            LOG.fine(() -> "chunk journal: owners not asked now: " + e.getMessage());
            return wave;
        }
        List<Version> missing = new ArrayList<>();
        for (Version version : wave) {
            if (held.getOrDefault(version.first(), 0) > 0) {
                counts.held++; // held already, or being moved to its owners by state transfer
            } else {
                missing.add(version);
            }
        }
        List<Version> failed = new ArrayList<>();
        List<Version> rest = putAll(missing, false, failed, counts);
        List<Version> whole = putAll(rest, true, failed, counts);
        for (Version version : whole) {
            if (stillPublished(version)) {
                counts.putBack++;
            } else {
                // Published over while being put back: nothing points at these chunks any more.
                version.indices.values().forEach(replicas::removeChunkLater);
                counts.gone++;
            }
        }
        return failed;
    }

    /**
     * Puts chunk 0 of each version ({@code firsts}), or every other chunk; a version whose
     * chunk is gone from the journal (the record moved on and the cluster removed it) or whose
     * batch failed is left out of the result.
     *
     * @return the versions all of whose chunks of that kind are now acknowledged by every owner
     */
    private List<Version> putAll(List<Version> versions, boolean firsts, List<Version> failed, Counts counts) {
        List<Version> done = new ArrayList<>();
        Batch batch = new Batch();
        for (Version version : versions) {
            if (stopped) {
                return List.of();
            }
            List<ChunkKey> chunks = firsts ? List.of(version.first())
                    : List.copyOf(version.indices.tailMap(1).values());
            boolean readable = true;
            for (ChunkKey chunk : chunks) {
                byte[] data = journal.read(chunk.cacheKey());
                if (data == null) {
                    readable = false; // removed meanwhile (the record moved on), or unreadable
                    break;
                }
                if (batch.full(data.length)) {
                    batch.flush(failed);
                }
                batch.add(version, chunk, data);
            }
            if (readable) {
                done.add(version);
            } else {
                counts.gone++;
                batch.forget(version);
            }
        }
        batch.flush(failed);
        done.removeAll(failed);
        return done;
    }

    private boolean stillPublished(Version version) {
        try {
            return directory.get(version.segmentKey).map(r -> r.publishedVersions().stream()
                    .anyMatch(v -> v.sameDataAs(version.record))).orElse(false);
        } catch (ClusterUnavailableException e) {
            return true; // the record cannot be read now; the sweep removes the chunks if they are abandoned
        }
    }

    /**
     * A position in this node's order of the versions: the key's hash mixed with the node's name
     * (SplitMix64's finaliser), so that two nodes putting back the same versions go through them
     * in unrelated orders.
     */
    static long order(String nodeName, String cacheKey) {
        long z = cacheKey.hashCode() * 0x9E3779B97F4A7C15L + nodeName.hashCode();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Chunks to put with all their puts in flight at once, bounded in number and bytes. */
    private final class Batch {
        private final List<ChunkKey> keys = new ArrayList<>();
        private final List<byte[]> data = new ArrayList<>();
        private final List<Version> of = new ArrayList<>();
        private long bytes;

        boolean full(int more) {
            return !keys.isEmpty() && (keys.size() >= CHUNKS_PER_BATCH || bytes + more > BYTES_PER_BATCH);
        }

        void add(Version version, ChunkKey chunk, byte[] chunkData) {
            keys.add(chunk);
            data.add(chunkData);
            of.add(version);
            bytes += chunkData.length;
        }

        /** Takes back the chunks of a version that turned out not to be readable whole. */
        void forget(Version version) {
            for (int i = of.size() - 1; i >= 0; i--) {
                if (of.get(i) == version) {
                    bytes -= data.get(i).length;
                    keys.remove(i);
                    data.remove(i);
                    of.remove(i);
                }
            }
        }

        /** Puts the batch; on failure its versions go to {@code failed}. */
        void flush(List<Version> failed) {
            if (keys.isEmpty()) {
                return;
            }
            try {
                replicas.putChunks(keys, data);
            } catch (ClusterUnavailableException e) {
                LOG.fine(() -> "chunk journal: " + keys.size() + " chunks not put back now: " + e.getMessage());
                of.stream().distinct().filter(v -> !failed.contains(v)).forEach(failed::add);
            }
            keys.clear();
            data.clear();
            of.clear();
            bytes = 0;
        }
    }

    /** The kept chunks of one published version, by index. */
    private static final class Version {
        final String segmentKey;
        final SegmentRecord record;
        final TreeMap<Integer, ChunkKey> indices = new TreeMap<>();

        Version(String segmentKey, SegmentRecord record) {
            this.segmentKey = segmentKey;
            this.record = record;
        }

        ChunkKey first() {
            return indices.get(0);
        }
    }

    /** What the put-back found and did, for its log line. */
    private static final class Counts {
        int kept;
        int dropped;
        int partial;
        int held;
        int putBack;
        int gone;
    }
}
