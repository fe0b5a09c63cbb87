package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.LoopbackMembers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The take-over by write of {@link OwnershipAndRestoreRulesTest}, on real cluster members (two
 * Infinispan members on 127.0.0.1, R = 1) instead of the in-JVM stand-in: the records and chunks
 * are Infinispan's, compare-and-set is its conditional replace. No replication worker runs, so
 * each publication happens exactly where the test drains a node's replicator: that is what makes
 * the interleaving (the previous writer publishes the same number first) deterministic.
 */
class TakeOverByWriteOnMembersTest {

    private static final String NS = "app";
    private final LoopbackMembers members = new LoopbackMembers("take-over-by-write", 2);
    private final List<ClusterNode> started = new ArrayList<>();
    private final List<CheckpointService> services = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(CheckpointService::close);
        members.close();
    }

    @Test
    void theWriteThatTookTheSegmentOverIsLoadedAwaitedAndPublishedAsTheNewest() {
        CheckpointService a = node(0, "a");
        CheckpointService b = node(1, "b");
        assertEquals(2, started.get(1).members().size(), "precondition: one cluster of two");

        b.write(NS, "job", bytes("b-one"));
        publish(b);
        long aVersion = a.write(NS, "job", bytes("a-two")); // no load: the write takes the segment over
        long bVersion = b.write(NS, "job", bytes("b-two")); // b is not fenced yet: a has published nothing
        publish(b);
        assertEquals(aVersion, bVersion, "precondition: both writes got the same number");

        assertFalse(a.awaitReplicated(NS, "job", aVersion, Duration.ZERO),
                "b's version of that number is not a's write (G3)");
        Checkpoint own = a.load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("a-two"), own.state(), "a's load returns a's own write (G1, G5)");
        publish(a);
        assertTrue(a.awaitReplicated(NS, "job", aVersion, Duration.ofSeconds(10)), "a's write, once published");
        assertThrows(StaleWriterException.class, () -> b.write(NS, "job", bytes("b-three")),
                "the previous writer is fenced (G6)");
        Checkpoint onB = b.load(NS, "job").orElseThrow();
        assertArrayEquals(bytes("a-two"), onB.state(), "and loads a's write, fetched from the cluster");
        assertEquals("a", onB.originNode());
    }

    private CheckpointService node(int index, String name) {
        ClusterNode member = members.start(index, name, 1);
        started.add(member);
        AdapterSettings settings = new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1 << 20, 1);
        CheckpointService service = new CheckpointService(settings, new MemoryStore(), member.directory(),
                member.replicas(), Clock.systemUTC());
        services.add(service);
        return service;
    }

    private static void publish(CheckpointService node) {
        assertTrue(node.replicator().drain(10_000), "the node publishes what it has pending");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
