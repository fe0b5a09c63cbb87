package io.checkpointservice.ra.cluster;

import static io.checkpointservice.testsupport.Await.await;
import io.checkpointservice.api.SegmentUnavailableException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.jgroups.Message;
import org.jgroups.protocols.SERIALIZE;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.ByteArray;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint cluster's own traffic with a cluster secret: real Infinispan/JGroups members in
 * this JVM, on loopback, with a cluster name and ports of their own.
 */
class ClusterSecurityOnMembersTest {

    private static final String SECRET = "test-secret-0123456789abcdef";
    private static final String NS = "app";

    private final String clusterName = "security-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final PlainNodeThreads threads = new PlainNodeThreads("security-test");
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @AfterEach
    void stopThreads() {
        threads.close();
    }

    /** Starts a member of {@link #clusterName} that contacts every member started before it. */
    private ClusterNode node(String name, String secret) {
        int port = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
        ports.add(port);
        Map<String, String> raw = new HashMap<>();
        raw.put("clusterName", clusterName);
        raw.put("bindAddress", "127.0.0.1");
        raw.put("bindPort", String.valueOf(port));
        raw.put("initialHosts", ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(",")));
        if (secret != null) {
            raw.put("clusterSecret", secret);
        }
        ClusterNode node = ClusterNode.start(name, 1, ClusterSettings.parse(raw), threads);
        running.add(node);
        return node;
    }

    private CheckpointService service(ClusterNode node) {
        AdapterSettings settings = new AdapterSettings(node.nodeName(), StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 4 << 20, 1);
        CheckpointService service = new CheckpointService(settings, new MemoryStore(), node.directory(),
                node.replicas(), Clock.systemUTC());
        running.add(service);
        return service;
    }

    /** Writes {@code state} on {@code writer} and publishes it as its replication worker would. */
    private static long writeAndReplicate(CheckpointService writer, String name, byte[] state) {
        long version = writer.write(NS, name, state);
        assertTrue(writer.replicator().drain(10_000), "the segment should be published");
        assertTrue(writer.awaitReplicated(NS, name, version, Duration.ofSeconds(10)),
                "the other member should hold the segment");
        return version;
    }

    @Test
    void nodesWithTheSameSecretFormAClusterAndReplicateASegment() throws Exception {
        ClusterNode a = node("a", SECRET);
        ClusterNode b = node("b", SECRET);
        await("a and b should form one cluster").until(() -> a.members().size() == 2 && b.members().size() == 2);
        for (ClusterNode n : List.of(a, b)) {
            ProtocolStack stack = n.channel().getProtocolStack();
            assertNotNull(stack.findProtocol(GcmSymEncrypt.class), "the stack seals messages");
            assertNotNull(stack.findProtocol(SERIALIZE.class), "headers are sealed with the payload");
        }

        byte[] state = "replicated under the cluster key".getBytes(StandardCharsets.UTF_8);
        long version = writeAndReplicate(service(a), "job", state);

        Checkpoint loaded = service(b).load(NS, "job").orElseThrow();
        assertEquals(version, loaded.version(), "b loads the version a wrote");
        assertArrayEquals(state, loaded.state(), "b reads the bytes a wrote");
    }

    @Test
    void nodesWithAnotherSecretOrNoneCannotJoinOrReadSegments() throws Exception {
        ClusterNode a = node("a", SECRET);
        ClusterNode b = node("b", SECRET);
        await("a and b should form one cluster").until(() -> a.members().size() == 2);
        CheckpointService writer = service(a);
        long version = writeAndReplicate(writer, "job", new byte[] {1, 2, 3});
        String key = NS + "/job";
        SegmentRecord record = a.directory().get(key).orElseThrow();

        ClusterNode wrongSecret = node("wrong-secret", "another-secret-0123456789");
        ClusterNode noSecret = node("no-secret", null);

        // MERGE3 looks for other subgroups every 2 to 5 s: wait long enough for it to have tried.
        long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(List.of("a", "b"), a.members(), "the secured cluster admits no other member");
            assertEquals(List.of("a", "b"), b.members(), "the secured cluster admits no other member");
            assertEquals(List.of("wrong-secret"), wrongSecret.members(), "a node with another secret stays alone");
            assertEquals(List.of("no-secret"), noSecret.members(), "a node without a secret stays alone");
            Thread.sleep(500);
        }

        for (ClusterNode outsider : List.of(wrongSecret, noSecret)) {
            assertTrue(outsider.directory().get(key).isEmpty(), outsider.nodeName() + " sees no record");
            assertNull(outsider.replicas().getChunk(ChunkKey.of(key, record, 0)),
                    outsider.nodeName() + " reads no chunk");
            // It has met no member, so it cannot even claim the segment is absent: it loads nothing.
            assertThrows(SegmentUnavailableException.class, () -> service(outsider).load(NS, "job"),
                    outsider.nodeName() + " must not load the segment");
        }
        assertEquals(version, service(b).load(NS, "job").orElseThrow().version(),
                "the secured members still serve the segment");
    }

    @Test
    void segmentBytesNeverLeaveANodeInClearWhenASecretIsSet() throws Exception {
        byte[] marker = ("PLAINTEXT-MARKER-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

        ConcurrentLinkedQueue<byte[]> sealed = sniffedWrite(SECRET, marker);
        assertFalse(sealed.isEmpty(), "the sniffer should have seen the replication traffic");
        assertFalse(sealed.stream().anyMatch(bytes -> contains(bytes, marker)),
                "no message leaving a secured node may contain the segment's bytes");

        stopAll();
        running.clear();
        ports.clear();
        ConcurrentLinkedQueue<byte[]> clear = sniffedWrite(null, marker);
        assertTrue(clear.stream().anyMatch(bytes -> contains(bytes, marker)),
                "control: without a secret the sniffer does see the bytes, so it would have caught them");
    }

    /** Two members; records what leaves a's channel on the wire while a writes {@code state}. */
    private ConcurrentLinkedQueue<byte[]> sniffedWrite(String secret, byte[] state) throws Exception {
        ClusterNode a = node("a", secret);
        ClusterNode b = node("b", secret);
        await("a and b should form one cluster").until(() -> a.members().size() == 2);
        Sniffer sniffer = new Sniffer();
        a.channel().getProtocolStack().insertProtocol(sniffer, ProtocolStack.Position.ABOVE, TP.class);
        writeAndReplicate(service(a), "sniffed", state);
        assertArrayEquals(state, service(b).load(NS, "sniffed").orElseThrow().state(), "b should load the segment");
        return sniffer.sent;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Sits right above the transport and keeps the serialized form of every message sent. */
    public static final class Sniffer extends Protocol {

        final ConcurrentLinkedQueue<byte[]> sent = new ConcurrentLinkedQueue<>();

        @Override
        public Object down(Message msg) {
            try {
                ByteArray bytes = Util.messageToBuffer(msg);
                sent.add(bytes.copy().getArray());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return down_prot.down(msg);
        }
    }
}
