package io.checkpointservice.ra.cluster;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.ra.testsupport.LoopbackMembers;
import io.checkpointservice.ra.testsupport.ServiceOnMember;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The writer is the primary owner of the chunks it publishes, on real cluster members (three
 * Infinispan members on 127.0.0.1, R = 1, so two of the three own each chunk and, placed by the
 * segment key alone, the writer would be the primary of about a third of them; one test lets a
 * member leave and a fourth join). A chunk whose
 * primary is elsewhere travels twice: to the primary, then from it to the backup.
 */
class WriterPlacementOnMembersTest {

    private final LoopbackMembers members = new LoopbackMembers("writer-placement", 4);
    private ServiceOnMember onA;
    private int published;

    @AfterEach
    void stop() throws InterruptedException {
        if (onA != null) {
            onA.close();
        }
        members.close();
    }

    @Test
    @Timeout(60)
    void theChosenPlacementMakesTheAskingNodeThePrimaryOwner() {
        ClusterNode[] abc = startThree();
        int placedByKeyOnA = 0;
        for (int i = 0; i < 30; i++) {
            String key = "app/segment-" + i;
            for (ClusterNode node : abc) {
                int placement = node.replicas().placementFor(key);
                assertTrue(placement > 0, node.nodeName() + " found no placement for " + key);
                ChunkKey chunk = new ChunkKey(key, 1, node.nodeName(), 1, 0, placement);
                assertEquals(node.nodeName(), node.primaryOwner(chunk), "placement " + placement + " of " + key);
                assertEquals(node.nodeName(), abc[(i + 1) % 3].primaryOwner(chunk), "every member agrees on the owner");
            }
            if (abc[0].primaryOwner(new ChunkKey(key, 1, "a", 1, 0)).equals("a")) {
                placedByKeyOnA++;
            }
        }
        assertTrue(placedByKeyOnA < 30, "precondition: by the key alone a is not the primary of every segment");
    }

    @Test
    @Timeout(60)
    void aPublishedVersionIsPlacedWithItsWriterAsPrimaryAndReadFromAnotherNode() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        onA = new ServiceOnMember(a, 8 << 20, 1);
        CheckpointService service = onA.service();
        byte[] state = new byte[3 * (1 << 20) + 17]; // four chunks, all in one group
        new Random(5).nextBytes(state);
        long version = service.write("app", "job", state);
        assertTrue(service.awaitReplicated("app", "job", version, Duration.ofSeconds(30)), "one node besides a holds it");

        String key = new SegmentKey("app", "job").key();
        SegmentRecord record = abc[2].directory().get(key).orElseThrow();
        assertTrue(record.placement() > 0, "the record names the placement: " + record);
        byte[] fetched = new byte[state.length];
        for (int i = 0; i < record.chunkCount(); i++) {
            ChunkKey chunk = ChunkKey.of(key, record, i);
            assertEquals("a", abc[1].primaryOwner(chunk), "chunk " + i + "'s primary owner is its writer");
            byte[] data = abc[2].replicas().getChunk(chunk);
            System.arraycopy(data, 0, fetched, i * (1 << 20), data.length);
        }
        assertArrayEquals(state, fetched, "c reads the chunks under the record's placement");
        assertEquals(1, a.replicas().copiesOutside(ChunkKey.of(key, record, 0), "a"), "R = 1 other owner");
    }

    /**
     * A membership change moves the owners of every chunk group; the writer's chunks already
     * published may then have another primary, but each version published afterwards is placed
     * against the new topology, again with the writer as primary: after a member leaves and after
     * one joins.
     */
    @Test
    @Timeout(90)
    void afterAMemberLeavesOrJoinsTheNextVersionIsPlacedWithItsWriterAsPrimaryAgain() {
        ClusterNode[] abc = startThree();
        ClusterNode a = abc[0];
        onA = new ServiceOnMember(a, 8 << 20, 1);
        String key = new SegmentKey("app", "job").key();
        publishAndCheckPlacement(key, abc[1], abc[2]);

        abc[2].close(); // c leaves
        awaitBalanced(a, abc[1]);
        publishAndCheckPlacement(key, abc[1]);

        ClusterNode d = members.start(3, "d", 1); // d joins
        awaitBalanced(a, abc[1], d);
        publishAndCheckPlacement(key, abc[1], d);
    }

    /** Writes a new version on a, awaits it, and checks on the other members where its chunks went. */
    private void publishAndCheckPlacement(String key, ClusterNode... others) {
        CheckpointService service = onA.service();
        byte[] state = new byte[2 * (1 << 20) + 5];
        new Random(++published).nextBytes(state); // every version's bytes differ
        long version = service.write("app", "job", state);
        assertTrue(service.awaitReplicated("app", "job", version, Duration.ofSeconds(30)), "v" + version + " replicated");
        for (ClusterNode other : others) {
            SegmentRecord record = other.directory().get(key).orElseThrow();
            assertEquals(version, record.version(), other.nodeName() + " knows the new version");
            byte[] fetched = new byte[state.length];
            for (int i = 0; i < record.chunkCount(); i++) {
                ChunkKey chunk = ChunkKey.of(key, record, i);
                assertEquals("a", other.primaryOwner(chunk), "v" + version + " chunk " + i + " seen from "
                        + other.nodeName() + ", placement " + record.placement());
                byte[] data = other.replicas().getChunk(chunk);
                System.arraycopy(data, 0, fetched, i * (1 << 20), data.length);
            }
            assertArrayEquals(state, fetched, other.nodeName() + " reads v" + version);
        }
    }

    /** Members a, b and c, R = 1, once the chunks' owners are final on all three. */
    private ClusterNode[] startThree() {
        ClusterNode[] abc = {members.start(0, "a", 1), members.start(1, "b", 1), members.start(2, "c", 1)};
        awaitBalanced(abc);
        return abc;
    }

    private static void awaitBalanced(ClusterNode... nodes) {
        await("the chunk cache settles on " + nodes.length + " members")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Arrays.stream(nodes).allMatch(ClusterNode::chunksBalanced));
    }
}
