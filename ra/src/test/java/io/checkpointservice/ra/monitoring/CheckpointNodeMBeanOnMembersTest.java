package io.checkpointservice.ra.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's MBean as a JMX client sees it: two real nodes (R = 1) on 127.0.0.1, every value read
 * through the platform MBeanServer by ObjectName, as open types only.
 */
class CheckpointNodeMBeanOnMembersTest {

    private static final String SECRET = "mbean-test-cluster-secret";
    private static final int SIZE = 3_000;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    /** Held: java.util.logging forgets a logger, and the handler added to it, that nothing references. */
    private final Logger nodeLog = Logger.getLogger(CheckpointNode.class.getName());
    private final Logger monitorLog = Logger.getLogger(NodeMonitor.class.getName());
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        nodeLog.removeHandler(capture);
        monitorLog.removeHandler(capture);
    }

    @Test
    void countersMembersAndDescribeAsAJmxClientReadsThem() throws Exception {
        nodeLog.addHandler(capture);
        Cluster cluster = new Cluster("mbean", 2);
        CheckpointNode a = cluster.start(0, "mbean-a");
        CheckpointNode b = cluster.start(1, "mbean-b");
        ObjectName onA = NodeMonitor.objectName("mbean-a");
        ObjectName onB = NodeMonitor.objectName("mbean-b");
        assertEquals(new ObjectName("io.checkpointservice:type=CheckpointNode,name=mbean-a"), onA);
        assertTrue(server.isRegistered(onA) && server.isRegistered(onB), "one MBean per node of the JVM");

        String startLine = startLineOf("mbean-a");
        assertTrue(startLine.contains("clusterSecret=****"), startLine);
        assertFalse(startLine.contains(SECRET), "the start line masks the secret: " + startLine);

        Await.await("both nodes are members").until(() -> Arrays.asList((String[]) attribute(onA, "ClusterMembers")).containsAll(List.of("mbean-a", "mbean-b")));
        assertEquals(1, attribute(onA, "ReplicaCount"));
        assertEquals(true, attribute(onA, "PeersExpected"), "initialHosts name the other node");
        assertEquals("mbean-a", attribute(onA, "NodeName"));

        long version = a.service().write("default", "seg-1", new byte[SIZE]);
        assertTrue(a.service().awaitReplicated("default", "seg-1", version, Duration.ofSeconds(10)));
        Await.await("the publication is counted").until(() -> (long) attribute(onA, "PublishedCount") == 1);
        assertEquals((long) SIZE, attribute(onA, "PublishedBytes"));
        assertTrue((double) attribute(onA, "PublicationsPerSecond") > 0);
        assertTrue((double) attribute(onA, "PublishedBytesPerSecond") >= SIZE / 60.0);
        long p50 = (long) attribute(onA, "ReplicationLagP50Millis");
        long p99 = (long) attribute(onA, "ReplicationLagP99Millis");
        assertTrue(p50 >= 0 && p50 <= p99 && p99 < 10_000, p50 + " / " + p99);
        assertEquals(0, attribute(onA, "BacklogSegments"));
        assertEquals(0L, attribute(onA, "BacklogOldestWaitMillis"));
        Await.await("the write is in A's store").until(() -> (long) attribute(onA, "LocalSegments") == 1);
        assertEquals((long) SIZE, attribute(onA, "LocalBytes"));
        Await.await("with R + 1 = 2 owners on 2 members, B holds the copy")
                .until(() -> (long) attribute(onB, "ReplicaSegments") == 1 && (long) attribute(onB, "ReplicaBytes") == SIZE);
        assertEquals(0L, attribute(onA, "FailedPublicationCount"));
        assertEquals("", attribute(onA, "LastPublicationError"));
        assertEquals(0L, attribute(onA, "LastPublicationErrorTime"));

        assertTrue(a.service().load("default", "seg-1").isPresent());
        assertTrue(a.service().load("default", "never-written").isEmpty());
        assertEquals(1L, attribute(onA, "LoadsLocalCount"));
        assertEquals(1L, attribute(onA, "LoadsAbsentCount"));
        assertEquals(0L, attribute(onA, "LoadsFromReplicaCount"));

        assertTrue(b.service().load("default", "seg-1").isPresent(), "B takes the segment over");
        assertEquals(1L, attribute(onB, "LoadsFromReplicaCount"));
        assertEquals(1L, attribute(onB, "TakeOverCount"));
        assertEquals(0L, attribute(onB, "LoadsFromGlobalStoreCount"));
        assertThrows(StaleWriterException.class, () -> a.service().write("default", "seg-1", new byte[1]));
        assertEquals(1L, attribute(onA, "FencedWriteCount"));
        assertEquals(0L, attribute(onA, "LoadsUnavailableCount"));

        CompositeData described = (CompositeData) server.invoke(onA, "describe", new Object[] {"default/seg-1"},
                new String[] {String.class.getName()});
        assertEquals("default/seg-1", described.get("segment"));
        assertEquals(SegmentDescription.PUBLISHED, described.get("state"));
        assertEquals(version, described.get("version"));
        assertEquals((long) SIZE, described.get("sizeBytes"));
        assertEquals("mbean-b", described.get("writer"), "the take-over shows on every node");
        assertEquals(2L, described.get("epoch"));
        assertEquals("mbean-a", described.get("dataWriter"));
        assertEquals(1L, described.get("dataEpoch"));
        assertArrayEquals(new String[] {"mbean-a", "mbean-b"}, sorted((String[]) described.get("owners")));
        assertEquals(true, described.get("atReplicaCount"), "A, an owner other than the writer B: 1 = R");
        assertEquals(0L, attribute(onA, "TakeOverCount"), "describe never takes a segment over");

        CompositeData absent = (CompositeData) server.invoke(onA, "describe", new Object[] {"default/none"},
                new String[] {String.class.getName()});
        assertEquals(SegmentDescription.ABSENT, absent.get("state"));
        RuntimeMBeanException bad = assertThrows(RuntimeMBeanException.class, () -> server.invoke(onA, "describe",
                new Object[] {"no-slash"}, new String[] {String.class.getName()}));
        assertInstanceOf(IllegalArgumentException.class, bad.getTargetException(), "a class every JMX client has");

        long v2 = b.service().write("default", "seg-2", new byte[10]);
        assertTrue(b.service().awaitReplicated("default", "seg-2", v2, Duration.ofSeconds(10)));
        Await.await("both of B's segments have R copies").until(() -> (long) attribute(onB, "UnderReplicatedSampleTime") > 0
                && (int) attribute(onB, "UnderReplicatedSegments") == 0);

        cluster.stop(a);
        Await.await("alone, B's two segments have no copy on another node")
                .until(() -> (int) attribute(onB, "UnderReplicatedSegments") == 2);
        CompositeData[] members = (CompositeData[]) attribute(onB, "Members");
        assertEquals(List.of("mbean-b:true", "mbean-a:false"), Arrays.stream(members)
                .map(m -> m.get("name") + ":" + m.get("reachable")).toList());
        assertTrue((long) members[1].get("sinceTime") > 0);
        assertFalse(server.isRegistered(onA), "a stopped node's MBean is gone");
    }

    @Test
    void aSecondNodeOfTheSameNameRunsWithoutItsMBeanAndSaysWhy() throws Exception {
        monitorLog.addHandler(capture);
        CheckpointNode first = new Cluster("twin-1", 1).start(0, "twin");
        CheckpointNode second = new Cluster("twin-2", 1).start(0, "twin");
        ObjectName name = NodeMonitor.objectName("twin");

        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains(name + " is already registered")), "the second node says why");
        second.close();
        assertTrue(server.isRegistered(name), "the first node's MBean stays");
        assertEquals(first.service().settings().nodeName(), attribute(name, "NodeName"));
    }

    private String startLineOf(String node) {
        synchronized (capture) {
            List<String> lines = logged.stream().filter(r -> r.getLevel() == Level.INFO)
                    .map(LogRecord::getMessage).filter(m -> m.startsWith("checkpoint node '" + node + "' runs with"))
                    .toList();
            assertEquals(1, lines.size(), "one start line: " + lines);
            return lines.get(0);
        }
    }

    private Object attribute(ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new AssertionError(attribute + " of " + name + ": " + e, e);
        }
    }

    private static String[] sorted(String[] names) {
        String[] copy = names.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** Nodes of one fresh cluster on 127.0.0.1 with a shared secret, in this JVM, each on its own threads. */
    private final class Cluster {

        private final String name;
        private final int[] ports;

        Cluster(String purpose, int size) {
            this.name = purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
            this.ports = new int[size];
            for (int i = 0; i < size; i++) {
                ports[i] = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
            }
        }

        CheckpointNode start(int index, String node) {
            StringBuilder hosts = new StringBuilder();
            for (int port : ports) {
                hosts.append(hosts.length() == 0 ? "" : ",").append("127.0.0.1[").append(port).append(']');
            }
            PlainNodeThreads threads = new PlainNodeThreads(node);
            CheckpointNode started = CheckpointNode.start(
                    new AdapterSettings(node, StorageMode.MEMORY, Path.of("unused"), SyncPolicy.NONE, 1 << 20, 1),
                    ClusterSettings.parse(Map.of("clusterName", name, "bindAddress", "127.0.0.1",
                            "bindPort", String.valueOf(ports[index]), "initialHosts", hosts.toString(),
                            "clusterSecret", SECRET)),
                    threads);
            CheckpointNodeMBeanOnMembersTest.this.started.add(threads);
            CheckpointNodeMBeanOnMembersTest.this.started.add(started);
            return started;
        }

        void stop(CheckpointNode node) {
            node.close();
            CheckpointNodeMBeanOnMembersTest.this.started.remove(node);
        }
    }
}
