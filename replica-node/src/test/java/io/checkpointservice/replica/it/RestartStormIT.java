package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Nodes killed together and started again together, over and over, on the fault trials' cluster
 * (4 app nodes and a storage-only node, disk storage with fsync, R = 2, a global store in a shared
 * directory): every round writes and awaits a segment, SIGKILLs three nodes at the same instant
 * and starts all three again at once. Each restarted node must start (log READY) within the
 * usual 90 s; a node that does not leaves a thread dump in its log (target/it-logs/RestartStormIT.*).
 *
 * <p>Simultaneous joins are where the fault trials found Infinispan's start hang before 16.2 (a
 * joiner's initial state transfer of a replicated cache that never completes; docs/RELIABILITY.md,
 * "Why Infinispan 16.2 or newer"): this repeats that step alone, as often as asked, with few segments.
 * Skipped unless {@code -Dit.restartStorm=N} asks for N
 * rounds (about 12 s each); {@code -Dit.restartStorm.seed} repeats the choice of victims, and
 * {@code -Dit.nodeLogging=src/test/resources/state-transfer-debug.properties} logs Infinispan's
 * state transfer at DEBUG.
 */
class RestartStormIT extends ClusterTestBase {

    private static final int ROUNDS = Integer.getInteger("it.restartStorm", 0);
    private static final int VICTIMS = 3;
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @Test
    void nodesKilledAndStartedTogetherAllStartAgain() {
        Assumptions.assumeTrue(ROUNDS > 0, "restart storm not asked for (-Dit.restartStorm=N)");
        long seed = Long.getLong("it.restartStorm.seed", new Random().nextLong());
        System.out.println("restart storm: " + ROUNDS + " rounds, seed " + seed);
        Random random = new Random(seed);
        GlobalStoreBackend.Directory store = new GlobalStoreBackend.Directory(cluster);
        TrialCluster nodes = new TrialCluster(cluster, store.configure(NodeOptions.memory(2).onDisk()), 4, 1);
        nodes.start();
        for (int round = 1; round <= ROUNDS; round++) {
            List<String> apps = nodes.runningApps();
            NodeProcess writer = nodes.app(apps.get(random.nextInt(apps.size())));
            String segment = "storm-" + round;
            long version = writer.write(segment, ("round " + round).getBytes(StandardCharsets.UTF_8));
            assertTrue(writer.awaitReplicated(segment, version, AWAIT),
                    "round " + round + ": awaitReplicated of " + segment + " v" + version + " on " + writer.name());
            List<String> running = new ArrayList<>(nodes.running());
            Collections.shuffle(running, random);
            Set<String> victims = new LinkedHashSet<>(running.subList(0, VICTIMS));
            long began = System.nanoTime();
            nodes.killTogether(victims);
            nodes.restartDead(); // fails with the stuck node's log (and its thread dump) when one does not start
            System.out.printf("restart storm round %d: killed and restarted %s in %.1f s%n", round, victims,
                    (System.nanoTime() - began) / 1e9);
        }
    }
}
