package io.checkpointservice.it.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.it.Deployments;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter on a single node (node-1, disk mode, replicaCount 0), used the way applications use
 * it: a stateless EJB with {@code @Resource CheckpointConnectionFactory}, a CDI bean with
 * {@code @Inject CheckpointConnection}, and the factory directly. Runs inside the test war on
 * node-1.
 */
@ExtendWith(ArquillianExtension.class)
class LocalCheckpointIT {

    /** node-1 runs with -Dcheckpoint.maxSegmentBytes=16777216 (pom.xml, node-1.jvm.args). */
    private static final int MAX_SEGMENT_BYTES_ON_NODE_1 = 16 * 1024 * 1024;
    private static final String NODE_NAME = "node-1";

    @Deployment(name = "checkpoint-ra", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapter();
    }

    @Deployment(order = 2)
    static WebArchive application() {
        // Deployments.applicationWar declares 'Dependencies: deployment.checkpoint-ra.rar meta-inf':
        // the meta-inf flag is what makes Weld find the API's CheckpointConnectionProducer.
        return Deployments.applicationWar("local-checkpoint-test.war")
                .addClasses(CheckpointEjb.class, CheckpointCdiBean.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Inject
    CheckpointEjb ejb;

    @Inject
    CheckpointCdiBean cdi;

    @Resource(lookup = "java:/eis/checkpoint")
    CheckpointConnectionFactory factory;

    @Test
    void writeLoadAndDeleteRoundTripThroughStatelessEjb(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = "state written by a stateless EJB".getBytes(StandardCharsets.UTF_8);

        Instant before = Instant.now();
        long version = ejb.write(name, state);
        Instant after = Instant.now();
        assertTrue(version > 0, "expected a positive version from write, got " + version);

        Checkpoint loaded = ejb.load(name).orElseThrow(
                () -> new AssertionError("expected segment '" + name + "' after writing it, load was empty"));
        assertCheckpoint(name, version, state, loaded);
        assertWrittenBetween(before, after, loaded);

        assertTrue(ejb.delete(name), "expected delete of existing segment '" + name + "' to return true, got false");
        assertEquals(Optional.empty(), ejb.load(name), "expected load after delete to be empty");
        assertFalse(ejb.delete(name), "expected a second delete of '" + name + "' to return false, got true");
    }

    @Test
    void writeLoadAndDeleteRoundTripThroughInjectedCdiConnection(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = "state written through @Inject CheckpointConnection".getBytes(StandardCharsets.UTF_8);

        long version = cdi.write(name, state);
        assertTrue(version > 0, "expected a positive version from write, got " + version);

        Checkpoint loaded = cdi.load(name).orElseThrow(
                () -> new AssertionError("expected segment '" + name + "' after writing it, load was empty"));
        assertCheckpoint(name, version, state, loaded);

        assertTrue(cdi.delete(name), "expected delete of existing segment '" + name + "' to return true, got false");
        assertEquals(Optional.empty(), cdi.load(name), "expected load after delete to be empty");
        assertFalse(cdi.delete(name), "expected a second delete of '" + name + "' to return false, got true");
    }

    @Test
    void segmentWrittenByEjbIsVisibleToCdiBeanAndBack(TestInfo test) {
        String name = uniqueName(test);
        byte[] fromEjb = {1, 2, 3};
        long v1 = ejb.write(name, fromEjb);
        assertCheckpoint(name, v1, fromEjb, cdi.load(name).orElseThrow(
                () -> new AssertionError("expected the CDI connection to load what the EJB wrote, was empty")));

        byte[] fromCdi = {4, 5, 6, 7};
        long v2 = cdi.write(name, fromCdi);
        assertTrue(v2 > v1, "expected version after " + v1 + ", got " + v2);
        assertCheckpoint(name, v2, fromCdi, ejb.load(name).orElseThrow(
                () -> new AssertionError("expected the EJB to load what the CDI connection wrote, was empty")));
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
    }

    @Test
    void versionsStrictlyIncreaseWithEveryWrite(TestInfo test) {
        String name = uniqueName(test);
        long previous = 0;
        byte[] last = null;
        for (int i = 0; i < 10; i++) {
            last = ("write number " + i).getBytes(StandardCharsets.UTF_8);
            long version = ejb.write(name, last);
            assertTrue(version > previous, "expected write " + i + " to return a version greater than "
                    + previous + ", got " + version);
            previous = version;
        }
        Checkpoint loaded = ejb.load(name).orElseThrow(
                () -> new AssertionError("expected segment '" + name + "' after 10 writes, load was empty"));
        assertCheckpoint(name, previous, last, loaded);
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
    }

    /**
     * The API promises a version "strictly greater than every earlier version of this segment";
     * a deleted and re-created segment must not restart at 1, or a replica that missed the
     * delete could hold an "newer" old copy (G5).
     */
    @Test
    void versionAfterDeleteAndRewriteIsGreaterThanEveryVersionBefore(TestInfo test) {
        String name = uniqueName(test);
        long before = 0;
        for (int i = 0; i < 3; i++) {
            before = ejb.write(name, new byte[] {(byte) i});
        }
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
        long afterDelete = ejb.write(name, new byte[] {42});
        assertTrue(afterDelete > before, "expected the first version after delete to be greater than "
                + before + ", got " + afterDelete);
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
    }

    @Test
    void loadOfAbsentSegmentIsEmpty(TestInfo test) {
        String name = uniqueName(test);
        assertEquals(Optional.empty(), ejb.load(name), "expected load of never-written '" + name + "' to be empty (EJB)");
        assertEquals(Optional.empty(), cdi.load(name), "expected load of never-written '" + name + "' to be empty (CDI)");
    }

    @Test
    void deleteOfAbsentSegmentReturnsFalse(TestInfo test) {
        String name = uniqueName(test);
        assertFalse(ejb.delete(name), "expected delete of never-written '" + name + "' to return false (EJB), got true");
        assertFalse(cdi.delete(name), "expected delete of never-written '" + name + "' to return false (CDI), got true");
    }

    @Test
    void awaitReplicatedReturnsTrueAtOnceWithReplicaCountZero(TestInfo test) {
        String name = uniqueName(test);
        long version = ejb.write(name, new byte[] {9});
        assertTrue(ejb.awaitReplicated(name, version, Duration.ZERO),
                "expected awaitReplicated(" + name + ", " + version + ", 0s) to be true with replicaCount 0, got false");
        assertTrue(ejb.awaitReplicated(name, version, Duration.ofSeconds(5)),
                "expected awaitReplicated(" + name + ", " + version + ", 5s) to be true with replicaCount 0, got false");
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
    }

    @Test
    void invalidNamesAreRejectedAndNothingIsStored(TestInfo test) throws IOException {
        String victim = uniqueName(test);
        byte[] victimState = "must survive invalid writes".getBytes(StandardCharsets.UTF_8);
        long victimVersion = ejb.write(victim, victimState);
        Path dataDir = serverDataDir();
        Path storageDir = dataDir.resolve("checkpoint");
        assertTrue(Files.isDirectory(storageDir), "expected disk mode to store under the default directory "
                + storageDir + ", which does not exist");
        SortedMap<String, String> before = snapshot(storageDir);

        List<String> invalid = Arrays.asList(
                "../etc/passwd", "..", ".", "a/../../" + victim, victim + "/..", "/absolute", "trailing/",
                "a//b", "", "back\\slash", "nul\u0000byte", "new\nline", "space in name", "ümlaut",
                "x".repeat(201), null);
        List<String> notRejected = new ArrayList<>();
        try (CheckpointConnection connection = factory.getConnection()) {
            for (String name : invalid) {
                expectInvalidName(notRejected, "write", name, () -> connection.write(name, victimState));
                expectInvalidName(notRejected, "load", name, () -> connection.load(name));
                expectInvalidName(notRejected, "delete", name, () -> connection.delete(name));
                expectInvalidName(notRejected, "awaitReplicated", name,
                        () -> connection.awaitReplicated(name, 1, Duration.ZERO));
            }
        }
        assertEquals(List.of(), notRejected, "expected InvalidSegmentNameException for every invalid name");

        assertEquals(before, snapshot(storageDir),
                "expected the storage directory to be unchanged by rejected writes (path -> size, mtime)");
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            List<Path> escaped = files.filter(p -> p.getFileName().toString().contains("passwd")).toList();
            assertEquals(List.of(), escaped, "expected no file named like 'passwd' anywhere under the server base dir");
        }
        assertCheckpoint(victim, victimVersion, victimState, ejb.load(victim).orElseThrow(
                () -> new AssertionError("expected segment '" + victim + "' to survive the invalid writes, it is gone")));
        assertTrue(ejb.delete(victim), "expected delete of '" + victim + "' to return true");
    }

    @Test
    void nullStateIsRejectedAndPreviousVersionKept(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = {1, 2, 3};
        long version = ejb.write(name, state);
        try (CheckpointConnection connection = factory.getConnection()) {
            assertThrows(NullPointerException.class, () -> connection.write(name, null),
                    "expected NullPointerException for write(name, null)");
            assertCheckpoint(name, version, state, connection.load(name).orElseThrow(
                    () -> new AssertionError("expected segment '" + name + "' to be kept after write(name, null)")));
            assertTrue(connection.delete(name), "expected delete of '" + name + "' to return true");
        }
    }

    @Test
    void closedConnectionThrowsIllegalStateException(TestInfo test) {
        String name = uniqueName(test);
        CheckpointConnection connection = factory.getConnection();
        assertNotNull(connection, "expected a connection from the factory, got null");
        connection.close();

        assertThrows(IllegalStateException.class, () -> connection.write(name, new byte[] {1}),
                "expected IllegalStateException from write on a closed connection");
        assertThrows(IllegalStateException.class, () -> connection.load(name),
                "expected IllegalStateException from load on a closed connection");
        assertThrows(IllegalStateException.class, () -> connection.awaitReplicated(name, 1, Duration.ZERO),
                "expected IllegalStateException from awaitReplicated on a closed connection");
        assertThrows(IllegalStateException.class, () -> connection.delete(name),
                "expected IllegalStateException from delete on a closed connection");
        connection.close(); // closing twice is harmless, says the API

        assertEquals(Optional.empty(), ejb.load(name),
                "expected nothing stored by the write on the closed connection");
    }

    @Test
    void eightMebibyteSegmentRoundTripsByteExactly(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = randomBytes(8 * 1024 * 1024, 8L);
        long version = ejb.write(name, state);
        Checkpoint loaded = ejb.load(name).orElseThrow(
                () -> new AssertionError("expected the 8 MiB segment '" + name + "' after writing it, load was empty"));
        assertEquals(state.length, loaded.size(), "expected size of the loaded 8 MiB segment");
        assertCheckpoint(name, version, state, loaded);
        assertTrue(ejb.delete(name), "expected delete of '" + name + "' to return true");
    }

    @Test
    void segmentOfMaxSegmentBytesIsAcceptedAndOneByteMoreIsRejected(TestInfo test) {
        String name = uniqueName(test);
        byte[] atLimit = randomBytes(MAX_SEGMENT_BYTES_ON_NODE_1, 16L);
        long version = ejb.write(name, atLimit);

        try (CheckpointConnection connection = factory.getConnection()) {
            byte[] tooLarge = new byte[MAX_SEGMENT_BYTES_ON_NODE_1 + 1];
            SegmentTooLargeException e = assertThrows(SegmentTooLargeException.class,
                    () -> connection.write(name, tooLarge),
                    "expected SegmentTooLargeException for " + tooLarge.length + " bytes with maxSegmentBytes="
                            + MAX_SEGMENT_BYTES_ON_NODE_1);
            assertEquals(MAX_SEGMENT_BYTES_ON_NODE_1, e.limit(), "expected limit() of the exception");
            assertEquals(tooLarge.length, e.size(), "expected size() of the exception");

            assertCheckpoint(name, version, atLimit, connection.load(name).orElseThrow(
                    () -> new AssertionError("expected segment '" + name + "' to be kept after the refused write")));
            assertTrue(connection.delete(name), "expected delete of '" + name + "' to return true");
        }
    }

    // ----------------------------------------------------------------------------------------

    private static void assertCheckpoint(String name, long version, byte[] state, Checkpoint actual) {
        assertEquals(name, actual.name(), "expected name() of the loaded checkpoint (without namespace)");
        assertEquals(version, actual.version(), "expected version() of the loaded checkpoint for '" + name + "'");
        assertEquals(NODE_NAME, actual.originNode(), "expected originNode() of '" + name + "'");
        byte[] loaded = actual.state();
        if (!Arrays.equals(state, loaded)) {
            int at = Arrays.mismatch(state, loaded);
            fail("expected the loaded bytes of '" + name + "' to equal the written " + state.length
                    + " bytes, got " + loaded.length + " bytes differing first at index " + at);
        }
        assertArrayEquals(state, loaded);
    }

    private static void assertWrittenBetween(Instant before, Instant after, Checkpoint actual) {
        // The writer's clock is this JVM's clock; allow for a coarse clock granularity.
        Instant from = before.minusSeconds(1);
        Instant to = after.plusSeconds(1);
        assertTrue(!actual.writtenAt().isBefore(from) && !actual.writtenAt().isAfter(to),
                "expected writtenAt() between " + from + " and " + to + ", got " + actual.writtenAt());
    }

    private static void expectInvalidName(List<String> notRejected, String operation, String name, Runnable call) {
        try {
            call.run();
            notRejected.add(operation + "(" + printable(name) + ") returned normally");
        } catch (InvalidSegmentNameException expected) {
            // as documented
        } catch (RuntimeException other) {
            notRejected.add(operation + "(" + printable(name) + ") threw " + other);
        }
    }

    private static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : name.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        String s = out.append('"').toString();
        return s.length() > 60 ? s.substring(0, 60) + "...\" (" + name.length() + " chars)" : s;
    }

    private static Path serverDataDir() {
        String dataDir = System.getProperty("jboss.server.data.dir");
        assertNotNull(dataDir, "expected the system property jboss.server.data.dir inside WildFly");
        return Path.of(dataDir);
    }

    /**
     * @return every file under {@code dir}: relative path to "size@mtime"; without cluster/, the
     *     cluster's records and replica chunks, which background replication of earlier writes
     *     changes at any moment (a rejected call never reaches the cluster)
     */
    private static SortedMap<String, String> snapshot(Path dir) throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (dir.relativize(p).startsWith("cluster")) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
                String key = dir.relativize(p).toString() + (attributes.isDirectory() ? "/" : "");
                files.put(key, attributes.isDirectory() ? "dir" : attributes.size() + "@" + attributes.lastModifiedTime());
            }
        }
        return files;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String uniqueName(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        return "local-it/" + method + "/" + UUID.randomUUID();
    }
}
