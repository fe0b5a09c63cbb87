package io.checkpointservice.bench;

import io.checkpointservice.testsupport.Payloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.infinispan.Cache;
import org.infinispan.distribution.DistributionInfo;
import org.infinispan.distribution.LocalizedCacheTopology;

/**
 * A diagnostic, not a benchmark: how much of a raw put's cost is the owners the key lands on. A
 * put whose primary owner is another node travels there first, and the primary sends it on to the
 * backups, the writer among them when it is one; a put whose primary owner is the writer goes
 * straight to the backups. On one cluster, with a raw DIST_SYNC cache of {@code numOwners}, three
 * batches of 32 x 1 MiB take turns, round after round: the benchmark's usual key names
 * ({@code p2-0} to {@code p2-31}, placed by their hash), 32 names whose primary owner is the local
 * node, and 32 whose primary owner is another node. Prints milliseconds per batch and MiB/s of
 * each, and each against the usual names.
 *
 * <p>The usual names land as an application's own keys do, and as the raw baselines' keys do;
 * the product places each version's chunks with the writer as primary owner. This shows what
 * that placement gains on raw puts alone.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar io.checkpointservice.bench.PlacementProbe [numOwners] [warmupRounds] [rounds]</pre>
 */
public final class PlacementProbe {

    private static final int SEGMENTS = 32;

    private PlacementProbe() {
    }

    public static void main(String[] args) throws Exception {
        int numOwners = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int warmupRounds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        byte[] payload = Payloads.generate(1 << 20, 5);
        try (LoopbackCluster cluster = LoopbackCluster.start(LoopbackCluster.Spec.defaults().replicaCount(2))) {
            Cache<String, byte[]> raw = cluster.rawCache(numOwners);
            LocalizedCacheTopology topology = raw.getAdvancedCache().getDistributionManager().getCacheTopology();
            List<String[]> layouts = List.of(
                    Payloads.names("p2", SEGMENTS),
                    namesWhere(topology, DistributionInfo::isPrimary),
                    namesWhere(topology, d -> !d.isPrimary()));
            List<String> labels = List.of("usual names (p2-0 to p2-31)", "local node primary", "another node primary");
            long[] nanos = new long[layouts.size()];
            for (int round = 0; round < warmupRounds + rounds; round++) {
                for (int turn = 0; turn < layouts.size(); turn++) {
                    int layout = (round + turn) % layouts.size(); // rotates which layout goes first
                    long start = System.nanoTime();
                    for (String name : layouts.get(layout)) {
                        raw.put(name, payload);
                    }
                    if (round >= warmupRounds) {
                        nanos[layout] += System.nanoTime() - start;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "P2 placement: raw put on one thread, numOwners %d, 32 x 1 MiB, %d rounds after %d warm-up rounds%n",
                    numOwners, rounds, warmupRounds);
            System.out.println("| keys | local primary for | ms per batch | MiB/s | against the usual names |");
            System.out.println("|---|---|---|---|---|");
            for (int layout = 0; layout < layouts.size(); layout++) {
                double millis = nanos[layout] / 1e6 / rounds;
                long localPrimary = List.of(layouts.get(layout)).stream()
                        .filter(name -> topology.getDistribution(name).isPrimary()).count();
                System.out.printf(Locale.ROOT, "| %s | %d of %d | %.1f | %.0f | %.1f%% |%n", labels.get(layout), localPrimary,
                        SEGMENTS, millis, SEGMENTS * 1000.0 / millis, 100.0 * nanos[0] / nanos[layout]);
            }
        }
    }

    /** @return 32 names {@code place-N} whose placement, seen from the local node, passes {@code test} */
    private static String[] namesWhere(LocalizedCacheTopology topology, Predicate<DistributionInfo> test) {
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < SEGMENTS; i++) {
            String name = "place-" + i;
            if (test.test(topology.getDistribution(name))) {
                names.add(name);
            }
        }
        return names.toArray(String[]::new);
    }
}
