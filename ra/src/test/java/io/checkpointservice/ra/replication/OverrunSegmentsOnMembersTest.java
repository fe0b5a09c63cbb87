package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.LoopbackMembers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * G2 and G3 for segments written faster than they replicate, on real cluster members (three
 * Infinispan members on 127.0.0.1, R = 2, four replication workers): while the writer overruns
 * them they go through the overrun lane, and once it stops, the newest version of every one is
 * held by R other nodes and is what another node loads. {@link OverrunSegmentsTest} proves the
 * lane's rules with the in-JVM stand-in; this proves nothing is lost through it on Infinispan.
 */
class OverrunSegmentsOnMembersTest {

    private static final String NS = "app";
    private static final int SEGMENTS = 16;
    private static final int WORKERS = 4;
    private static final int BYTES = 64 * 1024;

    private final LoopbackMembers members = new LoopbackMembers("overrun-real", 3);
    private final List<CheckpointService> services = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        services.forEach(CheckpointService::close);
        for (Thread worker : workers) {
            worker.join(5_000);
        }
        members.close();
    }

    @Test
    void theNewestVersionOfEveryOverrunSegmentIsReplicatedAndLoadedElsewhere() {
        CheckpointService writer = service(members.start(0, "a", 2), "a");
        ClusterNode b = members.start(1, "b", 2);
        members.start(2, "c", 2);
        for (int i = 0; i < WORKERS; i++) {
            Thread worker = new Thread(writer.replicator()::runWorker, "test-replication-worker-" + i);
            worker.start();
            workers.add(worker);
        }

        long[] newest = new long[SEGMENTS];
        long[] newestRound = new long[SEGMENTS];
        long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
        boolean laneUsed = false;
        for (long round = 0; System.nanoTime() < until; round++) {
            for (int s = 0; s < SEGMENTS; s++) {
                newest[s] = writer.write(NS, name(s), state(s, round));
                newestRound[s] = round;
            }
            // Looked at while writing: once the writer stops, the workers may catch up before a look.
            laneUsed |= IntStream.range(0, SEGMENTS)
                    .anyMatch(s -> writer.replicator().isOverrun(new SegmentKey(NS, name(s)).key()));
        }
        assertTrue(laneUsed, "precondition: the writer outran replication, so the lane was in use");

        for (int s = 0; s < SEGMENTS; s++) {
            assertTrue(writer.awaitReplicated(NS, name(s), newest[s], Duration.ofSeconds(30)),
                    name(s) + " v" + newest[s] + " held by R = 2 other nodes (G2, G3)");
        }
        CheckpointService elsewhere = service(b, "b");
        for (int s = 0; s < SEGMENTS; s++) {
            Checkpoint loaded = elsewhere.load(NS, name(s)).orElseThrow();
            assertEquals(newest[s], loaded.version(), name(s) + ": b loads the newest version (G5)");
            assertArrayEquals(state(s, newestRound[s]), loaded.state(), name(s) + ": and its bytes");
        }
    }

    private CheckpointService service(ClusterNode member, String name) {
        AdapterSettings settings = new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1 << 20, 2);
        CheckpointService service = new CheckpointService(settings, new MemoryStore(), member.directory(),
                member.replicas(), Clock.systemUTC());
        services.add(service);
        return service;
    }

    private static String name(int segment) {
        return "job-" + segment;
    }

    /** 64 KiB naming its segment and round, so a copy of another version cannot pass for it. */
    private static byte[] state(int segment, long round) {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES).putLong(segment).putLong(round);
        while (buffer.hasRemaining()) {
            buffer.put((byte) (segment * 31 + round));
        }
        return buffer.array();
    }
}
