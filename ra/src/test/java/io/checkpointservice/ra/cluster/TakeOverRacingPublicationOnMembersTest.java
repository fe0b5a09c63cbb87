package io.checkpointservice.ra.cluster;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.testsupport.ForwardingReplicaStore;
import io.checkpointservice.ra.testsupport.LoopbackMembers;
import io.checkpointservice.ra.testsupport.ServiceOnMember;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The take-over load racing the writer's next publication (G5, G8), on real cluster members
 * (two Infinispan members on 127.0.0.1, R = 1): b loads the segment and reads the record at v1;
 * before b fetches v1's chunk, a publishes v2 and v1's chunk is removed from every owner. b must
 * decide again and return v2, not call an existing segment unavailable. The in-JVM
 * {@code TakeOverRacingPublicationTest} proves the same on {@code LocalCluster}; a multi-process
 * test meets this interleaving only by timing ({@code FreshnessAndFencingIT}).
 */
class TakeOverRacingPublicationOnMembersTest {

    private static final String NS = "app";

    private final LoopbackMembers members = new LoopbackMembers("take-over-race", 2);
    private CheckpointService a;
    private CheckpointService b;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        members.close();
    }

    @Test
    @Timeout(60)
    void aChunkRemovedByTheWritersNextPublicationMakesTheLoadDecideAgain() {
        ClusterNode memberA = members.start(0, "a", 1);
        ClusterNode memberB = members.start(1, "b", 1);
        a = ServiceOnMember.memoryService(memberA, memberA.replicas(), 1024, 1);
        assertEquals(1, a.write(NS, "job", new byte[] {1}));
        assertTrue(a.replicator().drain(10_000), "v1 published");
        assertEquals(2, a.write(NS, "job", new byte[] {2})); // not published yet

        AtomicBoolean raced = new AtomicBoolean();
        ReplicaStore racing = new ForwardingReplicaStore(memberB.replicas()) {
            @Override
            public byte[] getChunk(ChunkKey chunk) {
                if (raced.compareAndSet(false, true)) {
                    assertTrue(a.replicator().drain(10_000), "v2 published");
                    awaitRemoved(memberA.replicas(), chunk); // a removes v1's chunks after publishing v2
                }
                return super.getChunk(chunk);
            }
        };
        b = ServiceOnMember.memoryService(memberB, racing, 1024, 1);
        Optional<Checkpoint> loaded = b.load(NS, "job");

        assertTrue(raced.get(), "precondition: b's fetch raced a's publication of v2");
        assertTrue(loaded.isPresent(), "the segment exists");
        assertEquals(2, loaded.get().version(), "b decides again on the record a moved to v2");
        assertArrayEquals(new byte[] {2}, loaded.get().state());
    }

    private static void awaitRemoved(ReplicaStore replicas, ChunkKey chunk) {
        await("precondition: " + chunk.cacheKey() + " removed after v2")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> replicas.getChunk(chunk) == null);
    }
}
