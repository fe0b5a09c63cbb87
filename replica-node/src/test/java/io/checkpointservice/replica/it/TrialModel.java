package io.checkpointservice.replica.it;

import io.checkpointservice.testsupport.Payloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checker of a randomized fault trial: a model of one segment that knows exactly what the
 * guarantees promise, and fails ({@link Violation}) the moment a real node answers something they
 * rule out. It holds no process; {@link FaultTrial} tells it what it did and what came back.
 *
 * <p>What it asserts, and only that:
 * <ul>
 *   <li>No acknowledged version lost (G3, G4): after {@code awaitReplicated} returned true, a crash
 *       of the acknowledging writer and at most R-1 other nodes leaves the segment loadable;
 *       {@link #unavailableIsAllowed} is false until a crash outside that premise. In disk mode a
 *       crash of every node at once, all restarted, leaves it loadable too (each node's disk keeps
 *       the records and the chunks it owns).</li>
 *   <li>No stale restore (G5): a load never returns a version older than the newest acknowledged,
 *       never anything older than what the previous load returned, and on the current writer
 *       exactly its own newest write.</li>
 *   <li>Exact bytes (G7): a load returns byte-for-byte one write of this trial (by SHA-256), with
 *       that write's version and origin node.</li>
 *   <li>Fencing (G6): once a load on another node took the segment over, a previous writer's
 *       {@code write} fails with StaleWriterException, and none of its writes, even ones it made
 *       before the take-over and never published, is ever returned afterwards.</li>
 *   <li>Absent is not unavailable (G8): load says "empty" only while nothing was acknowledged and
 *       no load returned another node's write (either means the cluster's record has data).</li>
 *   <li>Barrier (G3): {@code awaitReplicated} is never true while fewer than R other nodes run.</li>
 * </ul>
 */
final class TrialModel {

    /** One node process: a restarted node is a new incarnation, with no ownership in memory. */
    record Incarnation(String node, int generation) {
        @Override
        public String toString() {
            return generation == 0 ? node : node + "#" + generation;
        }
    }

    /** A write that succeeded: its payload is unique within the trial, so its hash names it. */
    record Write(int op, Incarnation by, long version, Payloads.Expected payload) {
        @Override
        public String toString() {
            return "v" + version + " by " + by + " (op " + op + ", sha256 " + payload.sha256().substring(0, 12) + ")";
        }
    }

    /** A checked guarantee does not hold. */
    static final class Violation extends AssertionError {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    private final int replicaCount;
    private final Map<String, Integer> generations = new HashMap<>();
    private final Map<String, Write> bySha = new HashMap<>();

    /** What a load may return now: the last load's result and every write the holder made since. */
    private final Set<Write> loadable = new LinkedHashSet<>();
    /** The last load's result, if the last decisive load returned one. */
    private Write lastLoaded;
    /** The holder's newest write since the last load, if any. */
    private Write newestWrite;
    /** Newest version a load returned or the holder wrote since the last decisive load (0 after "empty"). */
    private long floorVersion;

    /** The node whose application owns the segment (last to load, or the first writer); null when dead. */
    private Incarnation holder;
    /** Live incarnations that held the segment and were taken over since: their writes must fail. */
    private final Set<Incarnation> fenced = new HashSet<>();

    private Write acknowledged;
    private Incarnation acknowledgedBy;
    /** True from an acknowledgement until the next crash: G4's premise for that crash. */
    private boolean premiseHolds;
    /** True after a crash outside G4's premise: the acknowledged version may be gone (503 allowed). */
    private boolean mayBeLost;
    /**
     * True once the cluster's record certainly carries data: a version was acknowledged, or a node
     * loaded another node's write (it can only have come from the replicas). A record with data
     * never goes back to "no data" (there are no deletes here), so "empty" is wrong from then on.
     */
    private boolean recordHasData;

    TrialModel(int replicaCount) {
        this.replicaCount = replicaCount;
    }

    Incarnation incarnation(String node) {
        return new Incarnation(node, generations.getOrDefault(node, 0));
    }

    // ---- what the trial may do next ----

    Optional<Incarnation> holder() {
        return Optional.ofNullable(holder);
    }

    /** @return live incarnations fenced from the segment: candidates for a zombie write */
    Set<Incarnation> fenced() {
        return Set.copyOf(fenced);
    }

    boolean hasAcknowledged() {
        return acknowledged != null;
    }

    boolean premiseHolds() {
        return premiseHolds;
    }

    /** @return the version an awaitReplicated on the holder should wait for, or empty when it holds nothing */
    Optional<Write> holderNewest() {
        return Optional.ofNullable(newestWrite != null ? newestWrite : lastLoaded);
    }

    /** @return whether a SegmentUnavailableException is a legitimate final answer now */
    boolean unavailableIsAllowed() {
        return acknowledged == null || mayBeLost;
    }

    // ---- what happened ----

    /** A write on {@code node} returned {@code version}: must be the holder (or the very first writer). */
    Write wrote(int op, String node, long version, Payloads.Expected payload) {
        Incarnation by = incarnation(node);
        if (fenced.contains(by)) {
            throw new Violation("G6: write on " + by + " succeeded (v" + version + ") although another node took the "
                    + "segment over since " + by + " last held it; expected StaleWriterException");
        }
        if (holder == null && bySha.isEmpty()) {
            holder = by; // the first write of the trial creates the segment
        }
        if (!by.equals(holder)) {
            throw new IllegalStateException("trial bug: write on " + by + ", which neither holds nor was fenced");
        }
        if (version <= floorVersion) {
            throw new Violation("versions must increase: write on " + by + " returned v" + version
                    + " after v" + floorVersion + " was loaded or written by the holder");
        }
        Write write = new Write(op, by, version, payload);
        if (bySha.put(payload.sha256(), write) != null) {
            throw new IllegalStateException("trial bug: payload " + payload + " written twice");
        }
        loadable.add(write);
        newestWrite = write;
        floorVersion = version;
        return write;
    }

    /** A write on a fenced node failed with StaleWriterException, as it must. */
    void writeRejected(String node) {
        if (!fenced.contains(incarnation(node))) {
            throw new IllegalStateException("trial bug: " + node + " is not fenced");
        }
    }

    /**
     * awaitReplicated on the holder for {@code version} returned.
     *
     * @param othersRunning how many nodes other than the holder were running during the call
     */
    void awaited(String node, long version, boolean replicated, int othersRunning) {
        Incarnation by = incarnation(node);
        if (!by.equals(holder)) {
            throw new IllegalStateException("trial bug: await on " + by + ", which does not hold the segment");
        }
        if (!replicated) {
            return;
        }
        if (othersRunning < replicaCount) {
            throw new Violation("G3: awaitReplicated(v" + version + ") on " + by + " returned true with only "
                    + othersRunning + " other node(s) running, fewer than R = " + replicaCount);
        }
        Write write = holderNewest().filter(w -> w.version() == version).orElseThrow(() ->
                new IllegalStateException("trial bug: awaited v" + version + " which " + by + " does not hold"));
        if (acknowledged == null || write.version() >= acknowledged.version()) {
            acknowledged = write;
        }
        acknowledgedBy = by;
        recordHasData = true;
        premiseHolds = true;
        mayBeLost = false;
    }

    /**
     * Nodes were SIGKILLed together.
     *
     * @return whether G4's premise covered this crash (the acknowledging writer and at most R-1 others)
     */
    boolean crashed(Set<String> victims) {
        boolean covered = false;
        if (acknowledged != null) {
            Set<String> others = new HashSet<>(victims);
            if (acknowledgedBy != null) {
                others.remove(acknowledgedBy.node());
            }
            covered = premiseHolds && others.size() <= replicaCount - 1;
            if (!covered) {
                mayBeLost = true;
            }
        }
        premiseHolds = false;
        for (String victim : victims) {
            Incarnation dead = incarnation(victim);
            fenced.remove(dead);
            if (dead.equals(holder)) {
                holder = null;
            }
        }
        return covered;
    }

    /**
     * Every node was SIGKILLed together, in disk mode, and all are restarted: whatever was
     * acknowledged must be loadable again, newest acknowledged or newer. Copies are back on R
     * nodes only once the restarted nodes put them back, so a later crash is judged outside G4's
     * premise until the next acknowledgement.
     */
    void wholeClusterCrashed(Set<String> victims) {
        premiseHolds = false;
        for (String victim : victims) {
            Incarnation dead = incarnation(victim);
            fenced.remove(dead);
            if (dead.equals(holder)) {
                holder = null;
            }
        }
    }

    /** A killed node runs again: a new incarnation that owns nothing. */
    void restarted(String node) {
        generations.merge(node, 1, Integer::sum);
    }

    /** A load on {@code node} returned a checkpoint. */
    void loaded(int op, String node, long version, String sha256, int size, String origin) {
        Incarnation by = incarnation(node);
        Write write = bySha.get(sha256);
        if (write == null) {
            throw new Violation("G7: load on " + by + " returned v" + version + " (" + size + " bytes, sha256 "
                    + sha256 + ") whose bytes no write of this trial produced");
        }
        if (write.version() != version || !write.by().node().equals(origin) || write.payload().size() != size) {
            throw new Violation("G7: load on " + by + " returned the bytes of " + write + " labelled v" + version
                    + ", origin " + origin + ", " + size + " bytes");
        }
        if (acknowledged != null && version < acknowledged.version()) {
            throw new Violation("G5: stale restore: load on " + by + " returned " + write
                    + ", older than the acknowledged " + acknowledged);
        }
        if (!loadable.contains(write)) {
            throw new Violation("G5/G6: load on " + by + " returned " + write + ", but only " + describeLoadable()
                    + " may be returned now (the last load returned " + lastLoaded + "; anything older, and any"
                    + " write of a writer that was taken over, must never come back)");
        }
        if (by.equals(holder) && holderNewest().isPresent() && !holderNewest().get().equals(write)) {
            throw new Violation("G5: load on the holder " + by + " returned " + write + " instead of its own newest "
                    + holderNewest().get());
        }
        if (!write.by().node().equals(node)) {
            recordHasData = true;
        }
        takenOverBy(by);
        loadable.clear();
        loadable.add(write);
        lastLoaded = write;
        newestWrite = null;
        floorVersion = version;
    }

    /** A load on {@code node} said the segment is absent. */
    void loadedEmpty(String node) {
        Incarnation by = incarnation(node);
        if (acknowledged != null) {
            throw new Violation("G8: load on " + by + " said 'no such segment' although " + acknowledged
                    + " was acknowledged" + (mayBeLost ? " (its copies may be lost, but that is 'unavailable')" : ""));
        }
        if (recordHasData) {
            throw new Violation("G8: load on " + by + " said 'no such segment' although the cluster's record "
                    + "has data since a load returned another node's write" + (lastLoaded == null ? "" : " (the last load"
                    + " returned " + lastLoaded + ")"));
        }
        if (by.equals(holder) && holderNewest().isPresent()) {
            throw new Violation("G5: load on the holder " + by + " said 'no such segment' although it holds "
                    + holderNewest().get());
        }
        takenOverBy(by);
        loadable.clear();
        lastLoaded = null;
        newestWrite = null;
        floorVersion = 0;
    }

    /** A load kept failing with SegmentUnavailableException until the trial gave up. */
    void unavailable(String node, String after) {
        if (!unavailableIsAllowed()) {
            throw new Violation("G4: acknowledged " + acknowledged + " is unavailable on " + incarnation(node)
                    + " " + after + ", although no crash since its acknowledgement went beyond "
                    + "its writer and R-1 = " + (replicaCount - 1) + " other node(s)");
        }
    }

    private void takenOverBy(Incarnation by) {
        if (holder != null && !holder.equals(by)) {
            fenced.add(holder);
        }
        fenced.remove(by);
        holder = by;
    }

    private String describeLoadable() {
        if (loadable.isEmpty()) {
            return "nothing";
        }
        List<String> names = new ArrayList<>();
        loadable.forEach(w -> names.add(w.toString()));
        return names.toString();
    }

    /** @return one line for the history: what the model believes now */
    String state() {
        return "holder=" + holder + " fenced=" + fenced + " acknowledged=" + acknowledged
                + (premiseHolds ? " (G4 premise holds)" : "") + (mayBeLost ? " (may be lost)" : "");
    }
}
