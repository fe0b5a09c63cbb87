package io.checkpointservice.replica.it;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized, seeded fault trials on real processes (G3-G8 together): see {@link FaultTrial} for
 * one trial and {@link TrialModel} for what is asserted. All trials share one cluster of
 * {@code trials.apps} app nodes and {@code trials.replicas} storage-only nodes; each trial has
 * its own segment and leaves every node running for the next.
 *
 * <p>System properties: {@code trials.count} (default 5; the {@code trials} Maven profile runs
 * 200), {@code trials.seed} (replay one trial), {@code trials.baseSeed} (repeat a whole run),
 * {@code trials.steps} (operations per trial, default 14), {@code trials.replicaCount} (R,
 * default 2), {@code trials.apps} (default 4), {@code trials.replicas} (default 1),
 * {@code trials.storage} ({@code disk}, the default, or {@code memory}), {@code trials.globalStore}
 * ({@code directory}, the default: the nodes share a global store that trials take down and bring
 * back; {@code none}), {@code trials.verbose}
 * (print every trial's history, not only a failing one's).
 *
 * <p>Every trial prints its seed and the one-line command that runs it alone again, with this
 * run's settings; a failing trial's message carries the same command.
 */
class FaultTrialIT extends ClusterTestBase {

    @Test
    void randomizedFaultTrials() {
        int replicaCount = Integer.getInteger("trials.replicaCount", 2);
        int steps = Integer.getInteger("trials.steps", 14);
        boolean disk = !"memory".equals(System.getProperty("trials.storage", "disk"));
        int apps = Integer.getInteger("trials.apps", 4);
        int replicas = Integer.getInteger("trials.replicas", 1);
        boolean withStore = !"none".equals(System.getProperty("trials.globalStore", "directory"));
        NodeOptions plain = disk ? NodeOptions.memory(replicaCount).onDisk() : NodeOptions.memory(replicaCount);
        GlobalStoreBackend.Directory store = withStore ? new GlobalStoreBackend.Directory(cluster) : null;
        NodeOptions options = withStore ? store.configure(plain) : plain;
        String settings = "-Dtrials.steps=" + steps + " -Dtrials.replicaCount=" + replicaCount + " -Dtrials.apps=" + apps
                + " -Dtrials.replicas=" + replicas + " -Dtrials.storage=" + (disk ? "disk" : "memory")
                + " -Dtrials.globalStore=" + (withStore ? "directory" : "none");
        List<Long> seeds = seeds(settings);

        TrialCluster nodes = new TrialCluster(cluster, options, apps, replicas);
        long started = System.nanoTime();
        nodes.start();
        System.out.printf("fault trials: cluster %s up in %.1f s, R = %d, %s storage, %s, %d trial(s) of %d steps%n",
                nodes.running(), seconds(started), replicaCount, disk ? "disk" : "memory",
                withStore ? "a global store" : "no global store", seeds.size(), steps);

        int crashes = 0;
        int covered = 0;
        int wholeClusterCrashes = 0;
        int storeOutages = 0;
        int restarts = 0;
        int acknowledgements = 0;
        int loads = 0;
        int unavailable = 0;
        int fencedWrites = 0;
        int awaitTimeouts = 0;
        for (int i = 0; i < seeds.size(); i++) {
            long trialStart = System.nanoTime();
            long seed = seeds.get(i);
            String replay = replayCommand("-Dtrials.seed=" + seed + " " + settings + " -Dtrials.verbose=true");
            System.out.println("fault trial " + i + ": seed " + seed + "; replay it with: " + replay);
            FaultTrial.Summary s = new FaultTrial(i, seed, replay, nodes, replicaCount, steps, disk, store).run();
            System.out.printf("fault trial %d (seed %d) passed in %.1f s: %d ops, %d crash(es) (%d within G4's "
                    + "premise), %d whole-cluster crash(es), %d restart(s), %d acknowledged, %d load(s), "
                    + "%d allowed unavailable, %d fenced write(s) refused, %d await timeout(s) with R others running, "
                    + "%d global store outage(s)%n",
                    i, seeds.get(i), seconds(trialStart), s.ops(), s.crashes(), s.coveredCrashes(),
                    s.wholeClusterCrashes(), s.restarts(), s.acknowledgements(), s.loads(), s.unavailable(),
                    s.fencedWrites(), s.awaitTimeouts(), s.storeOutages());
            if (Boolean.getBoolean("trials.verbose")) {
                System.out.println("  " + String.join("\n  ", s.history()));
            }
            crashes += s.crashes();
            covered += s.coveredCrashes();
            wholeClusterCrashes += s.wholeClusterCrashes();
            storeOutages += s.storeOutages();
            restarts += s.restarts();
            acknowledgements += s.acknowledgements();
            loads += s.loads();
            unavailable += s.unavailable();
            fencedWrites += s.fencedWrites();
            awaitTimeouts += s.awaitTimeouts();
        }
        System.out.printf("fault trials: %d passed in %.1f s: %d crashes (%d within G4's premise), %d whole-cluster "
                + "crashes, %d restarts, %d acknowledged, %d loads, %d allowed unavailable, %d fenced writes refused, "
                + "%d await timeouts with R others running, %d global store outages%n", seeds.size(), seconds(started),
                crashes, covered, wholeClusterCrashes, restarts, acknowledgements, loads, unavailable, fencedWrites,
                awaitTimeouts, storeOutages);
    }

    /**
     * One seed per trial: the replayed one, or a sequence drawn from the printed base seed.
     *
     * @param settings this run's settings as system property arguments, for the printed command
     */
    private static List<Long> seeds(String settings) {
        String replay = System.getProperty("trials.seed");
        if (replay != null && !replay.isBlank()) {
            System.out.println("fault trials: replaying seed " + replay.trim());
            return List.of(Long.parseLong(replay.trim()));
        }
        long base = Long.getLong("trials.baseSeed", new SecureRandom().nextLong());
        int count = Integer.getInteger("trials.count", 5);
        System.out.println("fault trials: base seed " + base + "; repeat the whole run with: "
                + replayCommand("-Dtrials.baseSeed=" + base + " -Dtrials.count=" + count + " " + settings));
        SplittableRandom seeds = new SplittableRandom(base);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(seeds.nextLong());
        }
        return out;
    }

    /**
     * @param properties the system property arguments that select the trials
     * @return the command, run from the project root, that runs FaultTrialIT alone with them
     */
    static String replayCommand(String properties) {
        return "mvn -B -pl replica-node -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test=FaultTrialIT -Dfailsafe.failIfNoSpecifiedTests=false " + properties;
    }

    private static double seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toMillis() / 1000.0;
    }
}
