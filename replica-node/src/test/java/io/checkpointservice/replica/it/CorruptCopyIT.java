package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.testsupport.Payloads;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * G7 on real nodes: the writer's copy on its disk is damaged behind the product's back (a flipped
 * byte, a truncated file); its next load must not return it but fetch the exact bytes again from
 * a replica, and put an intact copy back on the disk.
 *
 * <p>A (disk store) writes and awaits replication to B (R = 1). After the load that repairs,
 * both nodes are killed and A alone is started again on its directory: its load can then use
 * nothing but that directory, so getting the exact bytes proves the damaged file was replaced.
 */
class CorruptCopyIT extends ClusterTestBase {

    private static final String SEGMENT = "precious";
    private static final NodeOptions DISK = NodeOptions.memory(1).onDisk();
    private static final NodeOptions MEMORY = NodeOptions.memory(1);

    /** A byte of the data flipped while A runs: the load on the running A reads the file again. */
    @Test
    @Timeout(240)
    void flippedByteInWritersCopyIsDiscardedAndFetchedAgain() throws IOException {
        Payloads.Expected payload = Payloads.Expected.of(2_500_000, 71); // 3 chunks
        Replicated r = startAndReplicate(payload);

        Path file = segmentFile(cluster.dataDirectory("A"), payload.size());
        assertEquals(r.version(), headerVersion(file), () -> "the file to damage should hold the written v" + r.version()
                + ": " + TornWriteIT.listing(cluster.dataDirectory("A")));
        long seed = System.nanoTime();
        long offset = Files.size(file) - 1 - new Random(seed).nextInt(payload.size()); // inside the data
        flipByte(file, offset);
        System.out.println("flipped the byte at " + offset + " of " + file + " (" + Files.size(file) + " bytes, seed "
                + seed + ")");

        assertLoads(r.a(), SEGMENT, r.version(), payload, "A");
        assertIntactCopyOnDiskAlone(r.a(), r.b(), r.version(), payload);
    }

    /** The file cut in half while A is down: A starts on the damaged directory and loads. */
    @Test
    @Timeout(240)
    void truncatedCopyIsDiscardedAndFetchedAgainAfterRestart() throws IOException {
        Payloads.Expected payload = Payloads.Expected.of(2_500_000, 72);
        Replicated r = startAndReplicate(payload);

        r.a().kill();
        // Restarting A under the same name while B still counts the killed A as a member makes
        // JGroups split and merge the view again (seen in CI), and a load in that window answers
        // "unavailable, retry" (G8). This test is about the truncated file: start from a settled view.
        cluster.awaitView(Set.of("B"), r.b());
        Path file = segmentFile(cluster.dataDirectory("A"), payload.size());
        assertEquals(r.version(), headerVersion(file), () -> "the file to damage should hold the written v" + r.version()
                + ": " + TornWriteIT.listing(cluster.dataDirectory("A")));
        long length = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length / 2);
        }
        System.out.println("truncated " + file + " from " + length + " to " + length / 2 + " bytes");

        NodeProcess restarted = cluster.restartApp("A", DISK);
        cluster.awaitView(Set.of("A", "B"), restarted);
        assertLoads(restarted, SEGMENT, r.version(), payload, "A");
        assertIntactCopyOnDiskAlone(restarted, r.b(), r.version(), payload);
    }

    /**
     * G8 on a real node: the only copy in the cluster is damaged while its node is down. After the
     * restart the segment must be "unavailable" (503), never "absent" (404: the application would
     * start over from defaults), on every load, until the application deletes it.
     */
    @Test
    @Timeout(240)
    void damagedOnlyCopyIsUnavailableNotAbsentUntilDeleted() throws IOException {
        Payloads.Expected payload = Payloads.Expected.of(300_000, 73);
        NodeProcess a = cluster.launchApp("A", DISK);
        cluster.awaitReady(a);
        long version = a.write(SEGMENT, payload);
        a.kill();
        Path file = segmentFile(cluster.dataDirectory("A"), payload.size());
        assertEquals(version, headerVersion(file));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Files.size(file) / 2); // torn: the node's open quarantines it
        }

        NodeProcess restarted = cluster.restartApp("A", DISK);
        assertEquals(List.of("A"), restarted.members(), "A restarted alone: no record, no replica");
        for (int attempt = 1; attempt <= 2; attempt++) { // the first failed load must not turn it into "absent"
            NodeProcess.Reply reply = restarted.load(SEGMENT);
            assertFailure(reply, 503, SegmentUnavailableException.class, "load " + attempt + " of the damaged only copy");
            assertTrue(reply.get("message").contains("damaged"), () -> "unavailable because of the damage: " + reply);
        }

        restarted.delete(SEGMENT).expectStatus(200, "delete of the damaged segment");
        assertEmpty(restarted, SEGMENT, "deleted: absent");
        cluster.killTogether(restarted);
        NodeProcess again = cluster.restartApp("A", DISK);
        NodeProcess b = cluster.launchApp("B", MEMORY); // a peer, so that A may answer "absent" at all
        cluster.awaitReady(b);
        cluster.awaitView(again, b);
        assertEmpty(again, SEGMENT, "deleted, after a restart: the damaged file went with the segment");
    }

    /** The two nodes and the version B holds a copy of. */
    private record Replicated(NodeProcess a, NodeProcess b, long version) {
    }

    /** Starts A (disk) and B, writes on A and waits until B holds the version. */
    private Replicated startAndReplicate(Payloads.Expected payload) {
        NodeProcess a = cluster.launchApp("A", DISK);
        NodeProcess b = cluster.launchApp("B", MEMORY);
        cluster.awaitReady(a, b);
        cluster.awaitView(a, b);
        long version = a.write(SEGMENT, payload);
        assertTrue(a.awaitReplicated(SEGMENT, version, REPLICATION_TIMEOUT), () -> "awaitReplicated('" + SEGMENT
                + "', v" + version + ") with B up and R = 1: expected true");
        return new Replicated(a, b, version);
    }

    /**
     * Kills every node, starts A alone on its directory and loads: only the local copy can answer,
     * so it must be whole and exact.
     */
    private void assertIntactCopyOnDiskAlone(NodeProcess a, NodeProcess b, long version, Payloads.Expected payload) {
        cluster.killTogether(a, b);
        NodeProcess alone = cluster.restartApp("A", DISK);
        assertEquals(List.of("A"), alone.members(), "A restarted alone");
        assertLoads(alone, SEGMENT, version, payload, "A");
    }

    /**
     * @return the file that holds the current version of the segment, whatever its name: of the
     *     files large enough to hold the segment (the disk store keeps up to two, its A/B slots,
     *     and the other one holds an older version or a leftover), the one whose header names the
     *     highest version, and of equal versions the one modified last
     */
    static Path segmentFile(Path directory, int segmentSize) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> candidates = files.filter(Files::isRegularFile).filter(p -> p.toFile().length() >= segmentSize)
                    .toList();
            assertTrue(!candidates.isEmpty() && candidates.size() <= 2, () -> "expected one or two (A/B) segment files in "
                    + directory + ": " + TornWriteIT.listing(directory));
            Comparator<Path> newest = Comparator.comparingLong(CorruptCopyIT::headerVersion)
                    .thenComparing(CorruptCopyIT::modified);
            return candidates.stream().max(newest).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the version the segment file's header names (SegmentFileFormat: int magic, short
     *     format, int header length, then the long version), or -1 when the file is no segment file
     */
    static long headerVersion(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != 0x434B5054) { // "CKPT"
                return -1;
            }
            in.readShort();
            in.readInt();
            return in.readLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x01);
        }
    }
}
