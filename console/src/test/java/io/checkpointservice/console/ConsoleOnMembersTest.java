package io.checkpointservice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.LoopbackPorts;
import jakarta.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's reading of real checkpoint nodes: two nodes (R = 1, each naming the other in
 * initialHosts) run in this JVM and register their MXBeans on the platform MBeanServer, which the
 * console reads by name, as it does in a server. Readiness, the Prometheus text, the JSON and
 * describe are checked against what the nodes do.
 */
class ConsoleOnMembersTest {

    private final List<AutoCloseable> started = new ArrayList<>();
    private final NodeReader reader = new NodeReader(ManagementFactory.getPlatformMBeanServer());
    private final String cluster = "console-" + UUID.randomUUID().toString().substring(0, 8);
    private final int[] ports = {LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET),
        LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET)};

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void readinessMetricsJsonAndDescribeFollowTheNodes() {
        ReadinessRules rules = new ReadinessRules(Duration.ofSeconds(30));
        CheckpointNode a = start(0, "console-a");

        NodeView aloneA = node(reader.read(), "console-a");
        assertTrue(aloneA.peersExpected());
        assertFalse(aloneA.joined());
        List<String> notReady = rules.observe(reader.read(), System.currentTimeMillis());
        assertEquals(1, notReady.size(), notReady.toString());
        assertTrue(notReady.get(0).startsWith("console-a is configured with peers but has joined none"), notReady.get(0));

        CheckpointNode b = start(1, "console-b");
        Await.await("the console sees both nodes joined").until(() -> reader.read().nodes().stream()
                .filter(n -> n.nodeName().startsWith("console-")).allMatch(NodeView::joined));
        assertEquals(List.of(), rules.observe(reader.read(), System.currentTimeMillis()));

        long version = a.service().write("default", "orders", new byte[1000]);
        assertTrue(a.service().awaitReplicated("default", "orders", version, Duration.ofSeconds(10)));
        // The local store's count is reused for 500 ms by the MBean: wait for it as well.
        Await.await("A counts its publication and its local segment").until(() -> {
            NodeView read = node(reader.read(), "console-a");
            return read.publishedCount() == 1 && read.localSegments() == 1;
        });

        NodeReader.SegmentView described = reader.describe("console-b", "default/orders");
        assertEquals("published", described.state());
        assertEquals(version, described.version());
        assertEquals("console-a", described.writer());
        assertTrue(described.owners().containsAll(List.of("console-a", "console-b")), described.owners().toString());
        assertTrue(described.atReplicaCount());
        assertEquals("absent", reader.describe("console-a", "default/never").state());
        assertThrows(IllegalArgumentException.class, () -> reader.describe("console-a", "no-slash"));
        assertThrows(IllegalArgumentException.class, () -> reader.describe("console-z", "default/orders"));
        assertThrows(IllegalArgumentException.class, () -> reader.describe("bad name", "default/orders"));

        Status status = new Status(System.currentTimeMillis(), reader.read(), List.of());
        String metrics = PrometheusText.of(status);
        assertTrue(metrics.contains("\ncheckpoint_cluster_members{node=\"console-a\"} 2\n"), metrics);
        assertTrue(metrics.contains("\ncheckpoint_published_total{node=\"console-a\"} 1\n"), metrics);
        assertTrue(metrics.contains("\ncheckpoint_published_bytes_total{node=\"console-a\"} 1000\n"), metrics);
        assertTrue(metrics.contains("\ncheckpoint_local_segments{node=\"console-a\"} 1\n"), metrics);
        assertTrue(metrics.contains("\ncheckpoint_under_replicated_segments{node=\"console-a\"} 0\n"), metrics);
        assertTrue(metrics.startsWith("# HELP checkpoint_ready "), metrics);
        assertTrue(metrics.contains("\ncheckpoint_ready 1\n"), metrics);

        History history = new History(3);
        history.add(status.reading(), status.time());
        JsonObject json = StatusJson.of(status, history, Duration.ofSeconds(30));
        JsonObject jsonA = json.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("nodeName").equals("console-a")).findFirst().orElseThrow();
        assertEquals(2, jsonA.getJsonArray("clusterMembers").size());
        assertEquals(1, jsonA.getJsonNumber("publishedCount").longValue());
        assertEquals(1, jsonA.getJsonArray("history").size());
        assertTrue(json.getBoolean("ready"));

        stopNode(b);
        Await.await("A counts its segment below R once B is gone")
                .until(() -> node(reader.read(), "console-a").underReplicatedSegments() == 1);
        long firstSeen = System.currentTimeMillis();
        List<String> early = rules.observe(reader.read(), firstSeen);
        assertEquals(1, early.size(), "only 'joined none' before the limit: " + early);
        List<String> late = rules.observe(reader.read(), firstSeen + 30_000);
        assertEquals(2, late.size(), late.toString());
        assertTrue(late.get(1).startsWith("console-a: 1 segments below R = 1 copies for 30 s"), late.get(1));
        String alone = PrometheusText.of(new Status(firstSeen, reader.read(), late));
        assertTrue(alone.contains("\ncheckpoint_ready 0\n"), alone);
        assertTrue(alone.contains("\ncheckpoint_cluster_members{node=\"console-a\"} 1\n"), alone);
        assertTrue(alone.contains("\ncheckpoint_under_replicated_segments{node=\"console-a\"} 1\n"), alone);
    }

    @Test
    void withoutAnyNodeReadinessSaysSo() {
        NodeReader.Reading none = new NodeReader.Reading(List.of(), List.of());
        List<String> notReady = new ReadinessRules(Duration.ZERO).observe(none, 0);
        assertEquals(List.of("no checkpoint node runs in this server (is checkpoint-ra.rar deployed and started?)"),
                notReady);
    }

    @Test
    void aBadLimitIsRefusedNamingTheProperty() {
        String before = System.getProperty(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS);
        try {
            System.setProperty(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS, "soon");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    ConsoleSettings::belowReplicaCountLimit);
            assertTrue(e.getMessage().startsWith(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS), e.getMessage());
            System.setProperty(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS, "7");
            assertEquals(Duration.ofSeconds(7), ConsoleSettings.belowReplicaCountLimit());
        } finally {
            if (before == null) {
                System.clearProperty(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS);
            } else {
                System.setProperty(ConsoleSettings.BELOW_REPLICA_COUNT_SECONDS, before);
            }
        }
    }

    private CheckpointNode start(int index, String name) {
        String hosts = "127.0.0.1[" + ports[0] + "],127.0.0.1[" + ports[1] + "]";
        PlainNodeThreads threads = new PlainNodeThreads(name);
        CheckpointNode node = CheckpointNode.start(
                new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"), SyncPolicy.NONE, 1 << 20, 1),
                ClusterSettings.parse(Map.of("clusterName", cluster, "bindAddress", "127.0.0.1",
                        "bindPort", String.valueOf(ports[index]), "initialHosts", hosts)),
                threads);
        started.add(threads);
        started.add(node);
        return node;
    }

    private void stopNode(CheckpointNode node) {
        node.close();
        started.remove(node);
    }

    private static NodeView node(NodeReader.Reading reading, String name) {
        return reading.nodes().stream().filter(n -> n.nodeName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + reading));
    }
}
