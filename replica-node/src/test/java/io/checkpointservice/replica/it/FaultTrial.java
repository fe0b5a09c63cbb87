package io.checkpointservice.replica.it;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One randomized fault trial on real processes: a sequence of writes, awaitReplicated, loads
 * (take-overs), writes by fenced nodes, simultaneous SIGKILLs and restarts, in disk mode also a
 * SIGKILL of every node at once followed by a restart of all of them, and with a global store
 * its outages (the shared directory unmounted, then back), all drawn from one seed, each checked by a {@link TrialModel} as soon as its answer arrives. A failure carries
 * the seed and the history of what was done and answered.
 *
 * <p>The seed fixes every choice the trial makes from the same answers; the answers themselves
 * depend on timing (an await may time out, a load may race a publication), so a replay repeats
 * the same plan, not necessarily the same interleaving.
 */
final class FaultTrial {

    /** Longest a load keeps retrying "unavailable" when the guarantees say it must succeed. */
    static final Duration MUST_LOAD_WITHIN = Duration.ofSeconds(90);
    /** awaitReplicated's timeout when R other nodes run (then it should succeed). */
    static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(20);
    /** awaitReplicated's timeout when fewer than R other nodes run (then it must not succeed). */
    static final Duration SHORT_AWAIT = Duration.ofMillis(1500);
    static final int MAX_CRASHES = 2;
    /** At most one per trial: each restarts every node, which takes a while. */
    static final int MAX_WHOLE_CLUSTER_CRASHES = 1;

    private enum Op { WRITE, AWAIT, LOAD, ZOMBIE_WRITE, CRASH, WHOLE_CLUSTER_CRASH, RESTART, STORE_DOWN, STORE_BACK }

    /** What one trial did, for the report. */
    record Summary(int ops, int crashes, int coveredCrashes, int wholeClusterCrashes, int restarts,
                   int acknowledgements, int loads, int unavailable, int fencedWrites, int awaitTimeouts,
                   int storeOutages, List<String> history) {
    }

    private final int index;
    private final long seed;
    private final String replayCommand;
    private final TrialCluster nodes;
    private final int replicaCount;
    private final int steps;
    private final boolean disk;
    /** The nodes' global store, or null when they have none. */
    private final GlobalStoreBackend.Directory globalStore;
    private boolean storeDown;
    private final Random random;
    private final TrialModel model;
    private final String segment;
    private final List<String> history = new ArrayList<>();

    private int op;
    private int writes;
    private int crashes;
    private int coveredCrashes;
    private int wholeClusterCrashes;
    private int storeOutages;
    private int restarts;
    private int acknowledgements;
    private int loads;
    private int unavailable;
    private int fencedWrites;
    private int awaitTimeouts;

    /**
     * @param replayCommand the command line that runs this trial alone again, for the failure message
     * @param disk whether the nodes run in disk mode (then a crash of every node loses nothing acknowledged)
     * @param globalStore the nodes' global store, taken down and brought back by the trial; null for none
     */
    FaultTrial(int index, long seed, String replayCommand, TrialCluster nodes, int replicaCount, int steps,
               boolean disk, GlobalStoreBackend.Directory globalStore) {
        this.index = index;
        this.seed = seed;
        this.replayCommand = replayCommand;
        this.nodes = nodes;
        this.replicaCount = replicaCount;
        this.steps = steps;
        this.disk = disk;
        this.globalStore = globalStore;
        this.random = new Random(seed);
        this.model = new TrialModel(replicaCount);
        this.segment = "trial-" + index + "-" + Long.toHexString(seed);
    }

    /**
     * Runs the trial; starts with every slot running and leaves every slot running.
     *
     * @throws AssertionError with the seed and the history when a guarantee does not hold
     */
    Summary run() {
        try {
            restartDead(); // a previous trial may have left nodes dead
            if (random.nextBoolean()) {
                load(anyRunningApp()); // the application starts by loading: "empty", then it writes
            }
            write(model.holder().map(TrialModel.Incarnation::node).orElseGet(this::anyRunningApp));
            for (int i = 0; i < steps; i++) {
                step();
            }
            // The end: everything back, and whatever was acknowledged must still be there.
            restartDead();
            storeBack();
            load(anyRunningApp());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("fault trial " + index + " (seed " + seed + ") failed: " + e.getMessage()
                    + "\nreplay it with: " + replayCommand
                    + "\nsegment '" + segment + "', node logs in target/it-logs/FaultTrialIT.randomizedFaultTrials"
                    + "\nhistory:\n  " + String.join("\n  ", history), e);
        }
        return new Summary(op, crashes, coveredCrashes, wholeClusterCrashes, restarts, acknowledgements, loads,
                unavailable, fencedWrites, awaitTimeouts, storeOutages, List.copyOf(history));
    }

    private void step() {
        List<Op> choices = new ArrayList<>();
        boolean holderRuns = model.holder().isPresent();
        addWeighted(choices, Op.WRITE, holderRuns ? 30 : 0);
        addWeighted(choices, Op.AWAIT, holderRuns && model.holderNewest().isPresent() ? 15 : 0);
        addWeighted(choices, Op.LOAD, 15);
        addWeighted(choices, Op.ZOMBIE_WRITE, model.fenced().isEmpty() ? 0 : 8);
        // G4's premise needs an acknowledged version: crash only after one, and mostly while the
        // premise holds (a crash then tests G4; one after it only "never stale, never wrong").
        addWeighted(choices, Op.CRASH, !model.hasAcknowledged() || crashes >= MAX_CRASHES ? 0
                : model.premiseHolds() ? 12 : 3);
        // In disk mode every node keeps the records and the chunks it owns: losing all of them at
        // once must lose nothing acknowledged.
        addWeighted(choices, Op.WHOLE_CLUSTER_CRASH, disk && model.hasAcknowledged()
                && wholeClusterCrashes < MAX_WHOLE_CLUSTER_CRASHES ? 4 : 0);
        addWeighted(choices, Op.RESTART, nodes.dead().isEmpty() ? 0 : 6);
        // A global store that is down must cost nothing the guarantees promise: writes, awaits and
        // loads go on as without one.
        addWeighted(choices, Op.STORE_DOWN, globalStore != null && !storeDown ? 4 : 0);
        addWeighted(choices, Op.STORE_BACK, storeDown ? 6 : 0);
        switch (choices.get(random.nextInt(choices.size()))) {
            case WRITE -> write(model.holder().orElseThrow().node());
            case AWAIT -> await();
            case LOAD -> load(loadTarget());
            case ZOMBIE_WRITE -> zombieWrite();
            case CRASH -> crash();
            case WHOLE_CLUSTER_CRASH -> wholeClusterCrash();
            case RESTART -> restartDead();
            case STORE_DOWN -> storeDown();
            case STORE_BACK -> storeBack();
        }
    }

    private static void addWeighted(List<Op> choices, Op op, int weight) {
        for (int i = 0; i < weight; i++) {
            choices.add(op);
        }
    }

    // ---- operations ----

    private void write(String node) {
        Payloads.Expected payload = Payloads.Expected.of(payloadSize(), seed * 1_000 + writes++);
        NodeProcess.Reply reply = nodes.app(node).tryWrite(segment, payload);
        int n = ++op;
        if (reply.status() != 200) {
            record(n, "WRITE " + payload + " on " + model.incarnation(node) + " -> " + reply);
            throw new TrialModel.Violation("write on the holder " + model.incarnation(node) + " failed: " + reply);
        }
        TrialModel.Write write = model.wrote(n, node, reply.version(), payload);
        record(n, "WRITE on " + node + " -> " + write);
    }

    /** A write on a node that was taken over: it must fail, and nothing of it may ever be loaded. */
    private void zombieWrite() {
        List<TrialModel.Incarnation> zombies = new ArrayList<>(model.fenced());
        zombies.sort((a, b) -> a.toString().compareTo(b.toString()));
        String node = zombies.get(random.nextInt(zombies.size())).node();
        Payloads.Expected payload = Payloads.Expected.of(payloadSize(), seed * 1_000 + writes++);
        NodeProcess.Reply reply = nodes.app(node).tryWrite(segment, payload);
        int n = ++op;
        record(n, "ZOMBIE WRITE on fenced " + model.incarnation(node) + " -> " + reply.status()
                + (reply.status() == 200 ? " v" + reply.get("version") : " " + reply.get("exception")));
        if (reply.status() == 200) {
            model.wrote(n, node, reply.version(), payload); // throws: the fenced node's write succeeded
        }
        if (reply.status() != 409 || !StaleWriterException.class.getName().equals(reply.get("exception"))) {
            throw new TrialModel.Violation("G6: write on fenced " + model.incarnation(node)
                    + ": expected 409 StaleWriterException but was " + reply);
        }
        model.writeRejected(node);
        fencedWrites++;
    }

    private void await() {
        String node = model.holder().orElseThrow().node();
        long version = model.holderNewest().orElseThrow().version();
        int others = nodes.running().size() - 1;
        Duration timeout = others >= replicaCount ? AWAIT_TIMEOUT : SHORT_AWAIT;
        boolean replicated = nodes.app(node).awaitReplicated(segment, version, timeout);
        int n = ++op;
        record(n, "AWAIT v" + version + " on " + model.incarnation(node) + " (" + others + " others running, timeout "
                + timeout.toMillis() + " ms) -> " + replicated);
        model.awaited(node, version, replicated, others);
        if (replicated) {
            acknowledgements++;
        } else if (others >= replicaCount) {
            awaitTimeouts++;
        }
    }

    /**
     * Loads on {@code node} and checks the answer. "Unavailable" is retried for
     * {@link #MUST_LOAD_WITHIN} while the model says the segment must be loadable, and accepted at
     * once otherwise.
     */
    private void load(String node) {
        long deadline = System.nanoTime() + MUST_LOAD_WITHIN.toNanos();
        int attempts = 0;
        boolean settled = false;
        while (true) {
            NodeProcess.Reply reply = nodes.app(node).load(segment);
            attempts++;
            switch (reply.status()) {
                case 200 -> {
                    int n = ++op;
                    record(n, "LOAD on " + model.incarnation(node) + " -> v" + reply.get("version") + " origin "
                            + reply.get("originNode") + " sha256 " + reply.get("sha256").substring(0, 12)
                            + retries(attempts));
                    model.loaded(n, node, reply.version(), reply.get("sha256"), Integer.parseInt(reply.get("size")),
                            reply.get("originNode"));
                    loads++;
                    return;
                }
                case 404 -> {
                    int n = ++op;
                    record(n, "LOAD on " + model.incarnation(node) + " -> empty" + retries(attempts));
                    model.loadedEmpty(node);
                    loads++;
                    return;
                }
                case 503 -> {
                    if (!SegmentUnavailableException.class.getName().equals(reply.get("exception"))) {
                        throw new TrialModel.Violation("load on " + node + ": 503 without SegmentUnavailableException: "
                                + reply);
                    }
                    if (model.unavailableIsAllowed()) {
                        int n = ++op;
                        record(n, "LOAD on " + model.incarnation(node) + " -> unavailable (allowed: "
                                + (model.hasAcknowledged() ? "a crash went beyond G4's premise" : "nothing acknowledged")
                                + ") " + reply.get("message"));
                        unavailable++;
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        int n = ++op;
                        record(n, "LOAD on " + model.incarnation(node) + " -> still unavailable after " + attempts
                                + " attempts: " + reply.get("message"));
                        model.unavailable(node, "for " + MUST_LOAD_WITHIN.toSeconds() + " s (" + attempts
                                + " attempts, the last: " + reply.get("message") + ")");
                        return;
                    }
                    if (!settled) {
                        nodes.awaitSettled(); // a view change in progress is a fair reason to retry
                        settled = true;
                    } else {
                        ClusterProcess.sleep(500);
                    }
                }
                default -> throw new TrialModel.Violation("load on " + model.incarnation(node) + " failed: " + reply);
            }
        }
    }

    private static String retries(int attempts) {
        return attempts > 1 ? " (after " + (attempts - 1) + " unavailable answer(s) while the cluster settled)" : "";
    }

    /**
     * SIGKILLs, at the same instant, usually the holder and 0..R-1 other nodes (G4's premise);
     * sometimes R other nodes besides, beyond what G4 covers. Always leaves an app node running.
     */
    private void crash() {
        List<String> running = new ArrayList<>(nodes.running());
        Set<String> victims = new LinkedHashSet<>();
        String holder = model.holder().map(TrialModel.Incarnation::node).orElse(null);
        if (holder != null && random.nextInt(100) < 80) {
            victims.add(holder);
        }
        boolean beyond = random.nextInt(100) < 15;
        int others = beyond ? replicaCount : random.nextInt(replicaCount) + (victims.isEmpty() ? 1 : 0);
        List<String> candidates = new ArrayList<>(running);
        candidates.removeAll(victims);
        while (others-- > 0 && !candidates.isEmpty()) {
            victims.add(candidates.remove(random.nextInt(candidates.size())));
        }
        // Keep an app node to load on, and never stop the whole cluster (it keeps the records).
        List<String> appsLeft = new ArrayList<>(nodes.runningApps());
        appsLeft.removeAll(victims);
        if (appsLeft.isEmpty() || victims.size() >= running.size()) {
            List<String> spare = new ArrayList<>(victims);
            spare.remove(holder);
            spare.retainAll(nodes.appNames());
            if (spare.isEmpty()) {
                record(++op, "CRASH skipped: no victim set leaves an app node running");
                return;
            }
            victims.remove(spare.get(0));
        }
        String before = model.state();
        nodes.killTogether(victims);
        boolean covered = model.crashed(victims);
        crashes++;
        if (covered) {
            coveredCrashes++;
        }
        boolean settle = random.nextBoolean();
        record(++op, "CRASH SIGKILL " + victims + " together (" + before + ") -> "
                + (covered ? "within G4's premise" : "beyond G4's premise") + (settle ? ", then wait for the view" : ""));
        if (settle) {
            nodes.awaitSettled();
        }
    }

    /** SIGKILLs every running node at the same instant, then starts every slot again at once. */
    private void wholeClusterCrash() {
        Set<String> victims = new LinkedHashSet<>(nodes.running());
        String before = model.state();
        nodes.killTogether(victims);
        model.wholeClusterCrashed(victims);
        wholeClusterCrashes++;
        record(++op, "WHOLE CLUSTER CRASH SIGKILL " + victims + " together (" + before + "); nothing acknowledged "
                + "may be lost: every node keeps the records and the chunks it owns on its disk");
        restartDead();
    }

    private void storeDown() {
        try {
            globalStore.takeDown();
        } catch (Exception e) {
            throw new IllegalStateException("trial bug: the global store cannot be taken down", e);
        }
        storeDown = true;
        storeOutages++;
        record(++op, "GLOBAL STORE DOWN (its directory unmounted)");
    }

    private void storeBack() {
        if (!storeDown) {
            return;
        }
        try {
            globalStore.bringBack();
        } catch (Exception e) {
            throw new IllegalStateException("trial bug: the global store cannot be brought back", e);
        }
        storeDown = false;
        record(++op, "GLOBAL STORE BACK");
    }

    private void restartDead() {
        if (!nodes.dead().isEmpty()) {
            storeBack(); // a node refuses to start while the global store it is told to use is unreachable
        }
        List<String> restarted = nodes.restartDead();
        if (restarted.isEmpty()) {
            return;
        }
        restarted.forEach(model::restarted);
        restarts += restarted.size();
        record(++op, "RESTART " + restarted + " as fresh JVMs");
    }

    // ---- choices ----

    private String anyRunningApp() {
        List<String> apps = nodes.runningApps();
        return apps.get(random.nextInt(apps.size()));
    }

    /** Mostly a node other than the holder (a take-over), sometimes the holder itself. */
    private String loadTarget() {
        List<String> apps = new ArrayList<>(nodes.runningApps());
        model.holder().ifPresent(h -> {
            if (apps.size() > 1 && random.nextInt(100) < 75) {
                apps.remove(h.node());
            }
        });
        return apps.get(random.nextInt(apps.size()));
    }

    /** Mostly small, sometimes several 1 MiB chunks. */
    private int payloadSize() {
        int kind = random.nextInt(100);
        if (kind < 70) {
            return 64 + random.nextInt(20_000);
        }
        if (kind < 90) {
            return 100_000 + random.nextInt(500_000);
        }
        return 1_000_000 + random.nextInt(1_500_000);
    }

    private void record(int n, String line) {
        history.add(n + ". " + line);
    }
}
