package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.testsupport.BadInputs.BadWrite;
import io.checkpointservice.ra.testsupport.BadInputs.EdgeWrite;
import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table (G9) through what an application holds: a connection handle from
 * {@code createConnectionFactory()} of a real, started adapter.
 */
class ConnectionBadInputOnMembersTest {

    @TempDir
    static Path storageDirectory;

    private static CheckpointResourceAdapter adapter;
    private static CheckpointConnectionFactory connectionFactory;

    private CheckpointConnection connection;
    private Set<SegmentMetadata> listedBefore;
    private Checkpoint existingBefore;
    private Checkpoint validNameBefore;

    @BeforeAll
    static void startAdapter() throws ResourceException {
        adapter = Adapters.started(storageDirectory);
        connectionFactory = (CheckpointConnectionFactory) Adapters.factory(adapter, "app").createConnectionFactory();
        try (CheckpointConnection c = connectionFactory.getConnection()) {
            // Take both segments over before the first write, as an application that restores
            // first does; the checks below then load segments this node already owns.
            c.load("existing/segment");
            c.load("valid/name");
        }
    }

    @AfterAll
    static void stopAdapter() {
        adapter.stop();
    }

    @BeforeEach
    void writeExistingSegments() throws ResourceException {
        connection = connectionFactory.getConnection();
        connection.write("existing/segment", new byte[] {1});
        connection.write("existing/segment", new byte[] {1, 2});
        connection.write("valid/name", new byte[] {42});
        listedBefore = Set.copyOf(adapter.service().store().list());
        existingBefore = connection.load("existing/segment").orElseThrow();
        validNameBefore = connection.load("valid/name").orElseThrow();
    }

    @AfterEach
    void closeConnection() {
        connection.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidWrites")
    void invalidWriteThroughAHandleIsRefusedAndNothingStoredChanges(BadWrite bad) throws ResourceException {
        assertThrows(bad.expected(), () -> connection.write(bad.name(), bad.state()),
                bad.label() + ": write through a handle should throw " + bad.expected().getSimpleName());
        assertNothingChanged(bad.label());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidNames")
    void invalidNameThroughAHandleIsRefusedByEveryOperation(String label, String name) throws ResourceException {
        assertThrows(InvalidSegmentNameException.class, () -> connection.load(name), label + ": load should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> connection.delete(name), label + ": delete should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> connection.versions(name), label + ": versions should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> connection.load(name, 1),
                label + ": load of a version should refuse the name");
        assertThrows(InvalidSegmentNameException.class, () -> connection.awaitReplicated(name, 1, Duration.ZERO),
                label + ": awaitReplicated should refuse the name");
        Map<String, Long> withTheBadName = new HashMap<>(Map.of("existing/segment", 1L));
        withTheBadName.put(name, 1L);
        assertThrows(InvalidSegmentNameException.class, () -> connection.awaitAllReplicated(withTheBadName, Duration.ZERO),
                label + ": awaitAllReplicated should refuse the name beside a valid one");
        assertNothingChanged(label);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#invalidAwaitArguments")
    void invalidAwaitReplicatedArgumentThroughAHandleIsRefused(String label, long version, Duration timeout)
            throws ResourceException {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThrows(IllegalArgumentException.class, () -> connection.awaitReplicated("existing/segment", version, timeout),
                    label + ": awaitReplicated should throw IllegalArgumentException without waiting");
            assertThrows(IllegalArgumentException.class,
                    () -> connection.awaitAllReplicated(Map.of("existing/segment", version, "valid/name", 1L), timeout),
                    label + ": awaitAllReplicated should throw IllegalArgumentException without waiting");
            if (version <= 0) {
                assertThrows(IllegalArgumentException.class, () -> connection.load("existing/segment", version),
                        label + ": load of a version should refuse it");
            }
        });
        assertNothingChanged(label);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.checkpointservice.ra.testsupport.BadInputs#validEdgeWrites")
    void inputAtTheEdgeOfTheRulesIsAcceptedThroughAHandle(EdgeWrite edge) throws ResourceException {
        long version = connection.write(edge.name(), edge.state());
        Checkpoint loaded = connection.load(edge.name()).orElseThrow();
        assertEquals(version, loaded.version(), edge.label() + ": load returns the version write returned");
        assertArrayEquals(edge.state(), loaded.state(), edge.label() + ": the state loads back byte for byte");
        assertEquals(edge.name(), loaded.name(), edge.label() + ": the checkpoint carries its name without namespace");
        // Listed once published (replication runs in the background, also on a node alone).
        io.checkpointservice.testsupport.Await.await(edge.label() + ": the published version listed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> connection.versions(edge.name()).equals(java.util.List.of(version)));
        assertArrayEquals(edge.state(), connection.load(edge.name(), version).orElseThrow().state(),
                edge.label() + ": the listed version loads byte for byte");
        assertTrue(adapter.service().store().metadata("app/" + edge.name()).isPresent(),
                edge.label() + ": the segment is stored as app/<name>");
        assertExistingSegmentsUnchanged(edge.label());
    }

    /** After a refused operation: the store is exactly as it was. */
    private void assertNothingChanged(String label) throws ResourceException {
        assertEquals(listedBefore, Set.copyOf(adapter.service().store().list()),
                label + ": the store's list must be unchanged by a refused operation");
        assertExistingSegmentsUnchanged(label);
    }

    /** After an accepted write of another segment: what was stored before is untouched. */
    private void assertExistingSegmentsUnchanged(String label) throws ResourceException {
        Set<String> keysBefore = listedBefore.stream().map(SegmentMetadata::key).collect(Collectors.toSet());
        assertEquals(listedBefore, adapter.service().store().list().stream()
                        .filter(m -> keysBefore.contains(m.key())).collect(Collectors.toSet()),
                label + ": every segment stored before must be listed unchanged");
        Checkpoint existing = connection.load("existing/segment").orElseThrow();
        assertEquals(existingBefore.version(), existing.version(), label + ": an existing segment keeps its version");
        assertArrayEquals(existingBefore.state(), existing.state(), label + ": an existing segment keeps its bytes");
        Checkpoint validName = connection.load("valid/name").orElseThrow();
        assertEquals(validNameBefore.version(), validName.version(), label + ": the segment named in bad-state cases keeps its version");
        assertArrayEquals(validNameBefore.state(), validName.state(), label + ": the segment named in bad-state cases keeps its bytes");
    }
}
