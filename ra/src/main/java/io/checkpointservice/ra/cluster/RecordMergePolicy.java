package io.checkpointservice.ra.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import org.infinispan.conflict.EntryMergePolicy;
import org.infinispan.container.entries.CacheEntry;

/**
 * Decides, when a network split heals, which copy of a segment record the whole cluster keeps.
 *
 * <p>During a split both sides stay writable (Infinispan's {@code ALLOW_READ_WRITES}), so an
 * application server that starts the singleton on each side can load (take over) and write on
 * each side. When the views merge, Infinispan's conflict resolution hands every key whose copies
 * differ to this policy. It keeps the record that comes first in {@link #PRECEDENCE}: the highest
 * ownership epoch, i.e. the lineage that took the segment over last, so the side that still ran
 * the old writer loses to the side that took over, and the old writer is fenced by the record it
 * finds after the merge (G6). Only its local copy and its unreferenced chunks remain; {@code load}
 * replaces the one and the other is never read.
 *
 * <p>The order is total and depends only on the records, so every node, whichever partition
 * Infinispan prefers, would pick the same winner. Infinispan's default ({@code NONE}) instead
 * keeps the preferred (larger) partition's copy whatever it holds, which could restore the old
 * writer's lineage over a take-over and leave two nodes that both believe they own the segment.
 */
public final class RecordMergePolicy implements EntryMergePolicy<String, String> {

    private static final Logger LOG = Logger.getLogger(RecordMergePolicy.class.getName());

    /**
     * Which record wins, first first: higher ownership epoch (the last take-over); at the same
     * epoch (two sides took over from the same record, or one side holds an older snapshot of
     * the same writer's lineage) the higher version, i.e. more progress; then a tombstone over
     * data of the same version (a delete comes after the version it deletes); then the writer's
     * name, and finally the whole record, only so the order is total and deterministic.
     */
    public static final Comparator<SegmentRecord> PRECEDENCE = Comparator
            .comparingLong(SegmentRecord::epoch)
            .thenComparingLong(SegmentRecord::version)
            .thenComparing(SegmentRecord::deleted)
            .thenComparing(SegmentRecord::writer)
            .thenComparing(SegmentRecord::encode)
            .reversed();

    @Override
    public CacheEntry<String, String> merge(CacheEntry<String, String> preferredEntry,
                                            List<CacheEntry<String, String>> otherEntries) {
        RecordMergeHold.holdIfArmed(); // test-only, inert in production (see there)
        List<CacheEntry<String, String>> candidates = new ArrayList<>();
        if (preferredEntry != null && preferredEntry.getValue() != null) {
            candidates.add(preferredEntry);
        }
        for (CacheEntry<String, String> other : otherEntries) {
            if (other != null && other.getValue() != null) {
                candidates.add(other);
            }
        }
        if (candidates.isEmpty()) {
            return preferredEntry; // Nothing on any side: nothing to keep.
        }
        CacheEntry<String, String> winner = candidates.stream()
                .min(Comparator.comparing(entry -> SegmentRecord.decode(entry.getValue()), PRECEDENCE))
                .orElseThrow();
        if (candidates.stream().anyMatch(entry -> !entry.getValue().equals(winner.getValue()))) {
            LOG.info(() -> "after a network split, segment '" + winner.getKey() + "' keeps " + describe(winner)
                    + " over " + candidates.stream().filter(entry -> !entry.getValue().equals(winner.getValue()))
                    .map(RecordMergePolicy::describe).distinct().toList());
        }
        return winner;
    }

    private static String describe(CacheEntry<String, String> entry) {
        SegmentRecord record = SegmentRecord.decode(entry.getValue());
        return "epoch " + record.epoch() + " writer '" + record.writer() + "' v" + record.version()
                + (record.deleted() ? " (deleted)" : "");
    }
}
