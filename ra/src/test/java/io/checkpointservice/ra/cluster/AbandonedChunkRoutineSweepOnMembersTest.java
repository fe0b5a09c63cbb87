package io.checkpointservice.ra.cluster;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without any network split, a real cluster member removes, by its routine sweep, the chunks no
 * record can point at again (a crashed writer's publication that another node has since taken
 * over; a superseded version whose background removal failed), and keeps the record's data, a
 * version still being published, and chunks of a segment that has no record yet.
 */
class AbandonedChunkRoutineSweepOnMembersTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final byte[] DATA = {1, 2, 3, 4, 5};
    private static final String KEY = "app/job";

    private final PlainNodeThreads threads = new PlainNodeThreads("sweep-test");
    private ClusterNode node;

    @BeforeEach
    void startMember() {
        int port = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
        ClusterSettings settings = ClusterSettings.parse(Map.of(
                "clusterName", "sweep-test-" + UUID.randomUUID(),
                "bindAddress", "127.0.0.1",
                "bindPort", String.valueOf(port),
                "initialHosts", "127.0.0.1[" + port + "]",
                "chunkSweepSeconds", String.valueOf(PERIOD.toSeconds())));
        node = ClusterNode.start("b", 1, settings, threads);
    }

    @AfterEach
    void stopMember() {
        if (node != null) {
            node.close();
        }
        threads.close();
    }

    @Test
    void removesWhatNoRecordCanReachAgainAndKeepsTheRest() throws InterruptedException {
        // Node a published versions 1 and 2 under epoch 1 and crashed while publishing version 3;
        // node b took the segment over (epoch 2, pointing at a's version 2) and has since published
        // version 3 and 4 itself; version 5 is on its way.
        ChunkKey crashedPublication = new ChunkKey(KEY, 1, "a", 3, 0);
        ChunkKey supersededByB = new ChunkKey(KEY, 2, "b", 3, 0);
        ChunkKey current = new ChunkKey(KEY, 2, "b", 4, 0);
        ChunkKey inFlight = new ChunkKey(KEY, 2, "b", 5, 0);
        ChunkKey firstPublicationOfAnotherSegment = new ChunkKey("app/other", 1, "b", 1, 0);
        ReplicaStore replicas = node.replicas();
        for (ChunkKey chunk : List.of(crashedPublication, supersededByB, current, inFlight, firstPublicationOfAnotherSegment)) {
            replicas.putChunk(chunk, DATA);
        }
        SegmentRecord record = SegmentRecord.builder().version(4).dataEpoch(2).epoch(2).writer("b")
                .size(DATA.length).checksum(0).writtenAt(Instant.now()).origin("b").build();
        assertTrue(node.directory().compareAndSet(KEY, Optional.empty(), record));

        await("a crashed writer's chunks, superseded by a take-over, are swept")
                .until(() -> replicas.getChunk(crashedPublication) == null);
        await("a superseded version of the current writer is swept").until(() -> replicas.getChunk(supersededByB) == null);

        Thread.sleep(3 * PERIOD.toMillis()); // more sweeps: what is kept stays kept
        assertNotNull(replicas.getChunk(current), "the record's own data is never swept");
        assertNotNull(replicas.getChunk(inFlight), "a version still being published is never swept");
        assertNotNull(replicas.getChunk(firstPublicationOfAnotherSegment), "a chunk without a record yet may be in flight");
    }
}
