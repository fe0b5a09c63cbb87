package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * G1 + G7 against a process killed in the middle of a disk write, checked rather than assumed.
 *
 * <p>One app node with the disk store runs alone (no other member, so its directory is the only
 * source a load can use) and writes a segment of several MiB version after version
 * ({@link VersionedWriteLoop}); the test SIGKILLs it at a random moment (seeded; the seed is
 * printed and can be replayed with {@code -Dtorn.seed=}), starts a new node on the same
 * directory and checks what its load returns:
 * <ul>
 *   <li>a version whose bytes are exactly {@link Payloads#forVersion} of that version: never a
 *       torn or mixed copy, and never "unavailable" (which would mean the only copy was found
 *       corrupt and discarded);</li>
 *   <li>a version no older than the last one whose {@code write} had returned before the kill
 *       (G1), and no newer than the one write in flight;</li>
 *   <li>a directory that does not fill up with leftovers over the kills (files of interrupted
 *       writes, quarantined torn files): the disk store keeps two slot files per segment, A and
 *       B, and overwrites the one that does not hold the current version, so the segment never
 *       has more than two files, neither right after a kill nor after the restart (the cluster
 *       journals under {@code cluster/} are not the store's files and not counted).</li>
 * </ul>
 * The same holds for both sync policies: the product promises that a returned write survives
 * the <em>process</em> being killed with either ({@code none}: the data is in the kernel's page
 * cache, which a process kill does not lose; {@code fsync}: it is on the device). What only
 * fsync promises, surviving a power loss of the host, a process kill cannot test.
 *
 * <p>The new node is also the next writer, so each kill costs one JVM start.
 */
class TornWriteIT extends ClusterTestBase {

    private static final String SEGMENT = "torn";
    /** Several MiB per version, so that a random kill often falls inside a file write. */
    private static final int MIN_SIZE = 3 * 1024 * 1024;
    private static final int MAX_SIZE = 8 * 1024 * 1024;
    /** Kills per sync policy; {@code -Dtorn.kills=N} for a longer run. */
    private static final int KILLS = Integer.getInteger("torn.kills", 6);
    /**
     * Regular files the directory may hold after a kill, and after a restart and a load, however
     * many kills came before: the segment's two slot files (A/B), one of them possibly the torn
     * one the kill interrupted (overwritten by the next write). Leftovers that accumulate exceed
     * it after a few kills.
     */
    private static final int MAX_FILES = 2;
    private static final Pattern WROTE = Pattern.compile("(?m)^" + VersionedWriteLoop.WROTE + "(\\d+)$");
    private static final Pattern WRITING = Pattern.compile("(?m)^" + VersionedWriteLoop.WRITING + "(\\d+)$");

    @Test
    @Timeout(300)
    void killedDuringWritesWithSyncPolicyNoneNeverYieldsTornOrLostSegment() {
        killRepeatedlyAndCheck("none");
    }

    @Test
    @Timeout(300)
    void killedDuringWritesWithSyncPolicyFsyncNeverYieldsTornOrLostSegment() {
        killRepeatedlyAndCheck("fsync");
    }

    /**
     * The same with a storage-only replica node up: after the restart the cluster has a record
     * of the segment, usually of an older version than the writer's disk holds (replication
     * lags a writer this fast), so the load must not take the record's word over the local
     * copy the killed writer stored under the same epoch.
     */
    @Test
    @Timeout(300)
    void killedWriterWithAReplicaUpLoadsItsOwnNewestWrite() {
        cluster.startReplicas(NodeOptions.memory(1), "R1");
        killRepeatedlyAndCheck("none", 4, "R1");
    }

    private void killRepeatedlyAndCheck(String syncPolicy) {
        killRepeatedlyAndCheck(syncPolicy, KILLS);
    }

    private void killRepeatedlyAndCheck(String syncPolicy, int kills, String... otherMembers) {
        long seed = Long.getLong("torn.seed", System.nanoTime());
        System.out.println("TornWriteIT (syncPolicy " + syncPolicy + "): seed " + seed + " (replay with -Dtorn.seed="
                + seed + ")");
        Random random = new Random(seed);
        NodeOptions options = NodeOptions.memory(1).onDisk(syncPolicy);
        Path directory = cluster.dataDirectory("W");

        NodeProcess node = cluster.startApp("W", options);
        if (otherMembers.length > 0) {
            Set<String> view = new TreeSet<>(List.of(otherMembers));
            view.add("W");
            cluster.awaitView(view, node);
        }
        long floor = 0; // the newest version known to be stored before a kill: its write returned, or a load found it
        int killsInsideWrite = 0;
        long versionsWritten = 0;
        long restored = 0;
        for (int kill = 1; kill <= kills; kill++) {
            long first = node.startWriteLoop(SEGMENT, MIN_SIZE, MAX_SIZE);
            long loaded = first - 1; // the loop starts after the version its load returned
            assertTrue(loaded >= floor, "checked by the load before; loop starts at v" + first);

            // A random moment: sometimes before the first write finished, mostly among later ones.
            long delay = 50 + random.nextInt(1_500);
            ClusterProcess.sleep(delay);
            node.kill();

            NodeProcess killed = node;
            String log = killed.log();
            assertFalse(log.contains(VersionedWriteLoop.FAILED), () -> "the write loop failed before the kill: "
                    + killed.logTail(20));
            long returned = last(WROTE, log);
            long started = last(WRITING, log);
            if (returned > 0) {
                versionsWritten += returned - loaded;
            }
            floor = Math.max(returned, loaded);
            boolean insideWrite = started > Math.max(returned, loaded);
            if (insideWrite) {
                killsInsideWrite++;
            }
            int filesAfterKill = regularFiles(directory);
            int killNumber = kill;
            assertTrue(filesAfterKill <= MAX_FILES, () -> "right after kill " + killNumber + " the directory holds "
                    + filesAfterKill + " regular files (at most the " + MAX_FILES + " slots expected): "
                    + listing(directory));
            long inFlight = insideWrite ? started : Math.max(returned, loaded);
            System.out.println("kill " + kill + "/" + kills + " after " + delay + " ms: stored v" + floor
                    + (insideWrite ? ", killed inside the write of v" + started : ", killed between writes")
                    + ", " + filesAfterKill + " files left");

            node = cluster.restartApp("W", options);
            if (otherMembers.length > 0) {
                Set<String> view = new TreeSet<>(List.of(otherMembers));
                view.add("W");
                cluster.awaitView(view, node);
            }
            restored = assertLoadsIntactVersion(node, floor, inFlight, "after kill " + kill + " (syncPolicy "
                    + syncPolicy + ", seed " + seed + ")");
            System.out.println("  restarted on the same directory: load returned " + (restored == 0 ? "empty"
                    : "v" + restored + ", byte-exact"));
            int files = regularFiles(directory);
            int k = kill;
            assertTrue(files <= MAX_FILES, () -> "after kill " + k + ", a restart and a load the directory holds "
                    + files + " regular files (at most " + MAX_FILES + " expected): leftovers accumulate: "
                    + listing(directory));
        }
        System.out.println("TornWriteIT (syncPolicy " + syncPolicy + "): " + kills + " kills, " + killsInsideWrite
                + " inside a write, " + versionsWritten
                + " versions written, newest v" + floor);
        // The test only proves something if kills really hit writes in progress.
        assertTrue(killsInsideWrite > 0, "no kill fell inside a write; segment sizes or delays need adjusting");
        if (otherMembers.length > 0 && restored > 0) {
            long recovered = restored;
            assertTrue(node.awaitReplicated(SEGMENT, recovered, REPLICATION_TIMEOUT), () -> "the restarted writer"
                    + " should publish the v" + recovered + " it recovered from its disk to the replica");
        }
        assertTrue(floor > 0, "no write returned before any kill");
    }

    /**
     * Asserts that the load returns a version in [floor, inFlight], byte-exact for that version
     * (or absent only when nothing was ever written).
     *
     * @return the version loaded, 0 for absent
     */
    private static long assertLoadsIntactVersion(NodeProcess node, long floor, long inFlight, String context) {
        NodeProcess.Reply reply = node.load(SEGMENT);
        if (floor == 0 && reply.status() == 404) {
            return 0; // killed before the first write returned: absent is allowed
        }
        reply.expectStatus(200, "load " + context + " on the only copy, the local disk, holding at least v"
                + floor);
        long version = reply.version();
        assertTrue(version >= floor && version <= Math.max(floor, inFlight), () -> "load " + context + " returned v"
                + version + ": expected at least v" + floor + " (stored before the kill)"
                + " and at most v" + Math.max(floor, inFlight) + " (the write in flight)");
        Payloads.Expected expected = Payloads.Expected.forVersion(version, MIN_SIZE, MAX_SIZE);
        assertEquals(expected.size(), Integer.parseInt(reply.get("size")), () -> "size of v" + version + " loaded "
                + context + ": torn? " + reply);
        assertEquals(expected.sha256(), reply.get("sha256"), () -> "bytes of v" + version + " loaded " + context
                + " are not the bytes written as v" + version + " (torn or mixed): " + reply);
        return version;
    }

    private static long last(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    /**
     * @return the disk store's regular files under the node's directory, quarantine included; the
     *     cluster journals under {@code cluster/} are not the store's and not counted
     */
    static int regularFiles(Path directory) {
        return Files.exists(directory) ? storeFiles(directory).size() : 0;
    }

    static String listing(Path directory) {
        return storeFiles(directory).stream().map(p -> directory.relativize(p) + " (" + p.toFile().length()
                + " bytes)").toList().toString();
    }

    private static List<Path> storeFiles(Path directory) {
        Path journals = directory.resolve(CheckpointNode.CLUSTER_DIRECTORY);
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> !p.startsWith(journals) && Files.isRegularFile(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
