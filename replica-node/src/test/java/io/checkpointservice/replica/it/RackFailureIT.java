package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Placement across failure domains: with R = 1 on two racks, each version's two owners are on
 * different racks (Infinispan's topology-aware placement, fed by {@code rackId}), so killing every
 * node of the writer's rack at once loses nothing awaited. The writer is the primary owner of its
 * chunks, so the one other copy must be on the other rack for the loads below to succeed.
 */
class RackFailureIT extends ClusterTestBase {

    @Test
    @Timeout(300)
    void everyAwaitedSegmentLoadsOnTheOtherRackAfterAWholeRackIsKilled() {
        cluster.plan("A", "B", "C", "D");
        List<NodeProcess> rack1 = cluster.startApps(NodeOptions.memory(1).onRack("rack-1"), "A", "B");
        List<NodeProcess> rack2 = cluster.startApps(NodeOptions.memory(1).onRack("rack-2"), "C", "D");
        NodeProcess a = rack1.get(0);
        NodeProcess b = rack1.get(1);
        NodeProcess c = rack2.get(0);
        NodeProcess d = rack2.get(1);
        cluster.awaitView(a, b, c, d);

        // Writers on rack 1: their copies off the writer must all be on rack 2.
        Map<String, Payloads.Expected> written = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        Map<String, String> writers = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            NodeProcess writer = i % 2 == 0 ? a : b;
            String segment = "rack-" + i;
            Payloads.Expected payload = Payloads.Expected.of(i % 4 == 0 ? 1_200_000 + i : 10_000 + i, 500 + i);
            written.put(segment, payload);
            versions.put(segment, writer.write(segment, payload));
            writers.put(segment, writer.name());
        }
        versions.forEach((segment, version) -> {
            NodeProcess writer = writers.get(segment).equals("A") ? a : b;
            assertTrue(writer.awaitReplicated(segment, version, REPLICATION_TIMEOUT), () -> "awaitReplicated('"
                    + segment + "', v" + version + ") on " + writer.name() + " with four nodes up and R = 1");
        });

        cluster.killTogether(a, b);
        cluster.awaitView(Set.of("C", "D"), c, d);

        int i = 0;
        for (String segment : written.keySet()) {
            NodeProcess reader = i++ % 2 == 0 ? c : d;
            assertLoads(reader, segment, versions.get(segment), written.get(segment), writers.get(segment));
        }
    }
}
