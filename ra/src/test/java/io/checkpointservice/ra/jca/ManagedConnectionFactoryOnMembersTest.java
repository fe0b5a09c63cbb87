package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.testsupport.SystemProperties;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.naming.Reference;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManagedConnectionFactoryOnMembersTest {

    @TempDir
    static Path storageDirectory;

    private static CheckpointResourceAdapter adapter;

    @BeforeAll
    static void startAdapter() throws ResourceException {
        adapter = Adapters.started(storageDirectory);
    }

    @AfterAll
    static void stopAdapter() {
        adapter.stop();
    }

    private static CheckpointManagedConnectionFactory withNamespace(String namespace) {
        CheckpointManagedConnectionFactory factory = new CheckpointManagedConnectionFactory();
        factory.setNamespace(namespace);
        return factory;
    }

    @Test
    void namespaceDefaultsToDefault() {
        assertEquals("default", new CheckpointManagedConnectionFactory().getNamespace(),
                "a factory that names no namespace uses 'default'");
    }

    @Test
    void equalsAndHashCodeFollowTheNamespace() {
        CheckpointManagedConnectionFactory a1 = withNamespace("a");
        CheckpointManagedConnectionFactory a2 = withNamespace("a");
        CheckpointManagedConnectionFactory b = withNamespace("b");

        assertEquals(a1, a2, "factories with the same namespace are equal (JCA: equality by configuration)");
        assertEquals(a1.hashCode(), a2.hashCode(), "equal factories have equal hash codes");
        assertNotEquals(a1, b, "factories with different namespaces differ");
        assertNotEquals(a1, null, "a factory is not equal to null");
        assertNotEquals(a1, "a", "a factory is not equal to its namespace string");
        assertEquals(new CheckpointManagedConnectionFactory(), withNamespace("default"),
                "the default factory equals one configured with 'default'");
    }

    static Stream<String> invalidNamespaces() {
        return Stream.of("a/b", "/", ".", "..", "../etc", "with space", "caf\u00e9", "t\tab", "n\u0000ul", "star*",
                "back\\slash", "colon:", "n".repeat(65));
    }

    @ParameterizedTest(name = "namespace ''{0}''")
    @MethodSource("invalidNamespaces")
    void invalidNamespaceIsRejectedAtSetResourceAdapter(String namespace) {
        CheckpointManagedConnectionFactory factory = withNamespace(namespace);
        ResourceException e = assertThrows(ResourceException.class, () -> factory.setResourceAdapter(adapter),
                "namespace '" + namespace + "' should be rejected when the factory is associated");
        assertTrue(e.getMessage().contains("namespace"), "the message should name the namespace property: " + e.getMessage());
        assertNull(factory.getResourceAdapter(), "a rejected factory stays unassociated");
        assertThrows(ResourceException.class, factory::createConnectionFactory,
                "a factory with an invalid namespace should not create a connection factory either");
    }

    @Test
    void namespaceIsTrimmedLikeEveryConfigValue() throws ResourceException {
        CheckpointConnectionFactory cf = (CheckpointConnectionFactory) Adapters.factory(adapter, "  padded\t")
                .createConnectionFactory();
        try (CheckpointConnection c = cf.getConnection()) {
            c.write("trimmed", new byte[] {1});
        }
        assertTrue(adapter.service().store().metadata("padded/trimmed").isPresent(),
                "blanks around a configured namespace are ignored, as for every config value");
    }

    @Test
    void longestValidNamespaceIsAccepted() throws ResourceException {
        CheckpointManagedConnectionFactory factory = withNamespace("n".repeat(64));
        factory.setResourceAdapter(adapter);
        assertSame(adapter, factory.getResourceAdapter(), "a namespace of 64 characters is valid");
    }

    @Test
    void somethingOtherThanTheCheckpointAdapterIsRejected() {
        CheckpointManagedConnectionFactory factory = new CheckpointManagedConnectionFactory();
        assertThrows(ResourceException.class, () -> factory.setResourceAdapter(null), "a null adapter is rejected");
        assertThrows(ResourceException.class, () -> factory.setResourceAdapter(new ForeignAdapter()),
                "another product's adapter is rejected");
    }

    @Test
    void twoNamespacesOnOneAdapterCannotSeeEachOthersSegments() throws ResourceException {
        CheckpointConnectionFactory appA = (CheckpointConnectionFactory) Adapters.factory(adapter, "app-a").createConnectionFactory();
        CheckpointConnectionFactory appB = (CheckpointConnectionFactory) Adapters.factory(adapter, "app-b").createConnectionFactory();
        try (CheckpointConnection a = appA.getConnection(); CheckpointConnection b = appB.getConnection()) {
            a.write("shared/name", new byte[] {1});
            a.write("shared/name", new byte[] {2});

            assertTrue(b.load("shared/name").isEmpty(), "app-b must not see app-a's segment of the same name");
            assertFalse(b.delete("shared/name"), "app-b cannot delete app-a's segment");
            assertEquals(1, b.write("shared/name", new byte[] {9}), "app-b's segment of the same name starts at version 1");
            assertArrayEquals(new byte[] {9}, b.load("shared/name").orElseThrow().state(), "app-b reads its own bytes");
            assertTrue(b.delete("shared/name"), "app-b deletes its own segment");
            assertTrue(b.load("shared/name").isEmpty(), "app-b's segment is gone after its delete");

            Checkpoint ofA = a.load("shared/name").orElseThrow(
                    () -> new AssertionError("app-b's write and delete must leave app-a's segment in place"));
            assertEquals(2, ofA.version(), "app-a's segment keeps its version");
            assertArrayEquals(new byte[] {2}, ofA.state(), "app-a's segment keeps its bytes");
        }
        Set<String> keys = adapter.service().store().list().stream().map(SegmentMetadata::key)
                .collect(Collectors.toCollection(HashSet::new));
        assertTrue(keys.contains("app-a/shared/name"), "the store keys segments as namespace/name, got " + keys);
    }

    @Test
    void aNamespaceSystemPropertyCannotMergeTheNamespacesOfTwoFactories() throws Exception {
        SystemProperties.with("checkpoint.namespace", "from-command-line", () -> {
            CheckpointConnectionFactory billing = (CheckpointConnectionFactory) Adapters.factory(adapter, "billing")
                    .createConnectionFactory();
            CheckpointConnectionFactory orders = (CheckpointConnectionFactory) Adapters.factory(adapter, "orders")
                    .createConnectionFactory();
            try (CheckpointConnection b = billing.getConnection(); CheckpointConnection o = orders.getConnection()) {
                b.write("sysprop", new byte[] {5});
                assertTrue(o.load("sysprop").isEmpty(),
                        "a node-wide -Dcheckpoint.namespace must not let one factory read another's segment");
            }
            assertTrue(adapter.service().store().metadata("billing/sysprop").isPresent(),
                    "the configured namespace decides where the segment is stored");
            assertTrue(adapter.service().store().metadata("from-command-line/sysprop").isEmpty(),
                    "-Dcheckpoint.namespace is not a setting and must be ignored");
        });
    }

    @Test
    void matchManagedConnectionsPicksOnlyALiveConnectionOfThisFactory() throws ResourceException {
        CheckpointManagedConnectionFactory mine = Adapters.factory(adapter, "match-a");
        CheckpointManagedConnectionFactory theirs = Adapters.factory(adapter, "match-b");
        CheckpointManagedConnection live = (CheckpointManagedConnection) mine.createManagedConnection(null, null);
        CheckpointManagedConnection destroyed = (CheckpointManagedConnection) mine.createManagedConnection(null, null);
        destroyed.destroy();
        CheckpointManagedConnection foreign = (CheckpointManagedConnection) theirs.createManagedConnection(null, null);

        Set<Object> candidates = new HashSet<>();
        candidates.add(destroyed);
        candidates.add(foreign);
        candidates.add("not a connection");
        candidates.add(null);
        assertNull(mine.matchManagedConnections(candidates, null, null),
                "neither a destroyed connection nor another factory's connection may be matched");

        candidates.add(live);
        assertSame(live, mine.matchManagedConnections(candidates, null, null),
                "the live connection of this factory is matched");
        assertSame(foreign, theirs.matchManagedConnections(candidates, null, null),
                "the other factory matches its own connection");
        assertNull(mine.matchManagedConnections(Set.of(), null, null), "an empty set matches nothing");
    }

    @Test
    void handleOfAFactoryWithoutAdapterThrowsCheckpointException() throws ResourceException {
        CheckpointManagedConnectionFactory unassociated = new CheckpointManagedConnectionFactory();
        CheckpointConnection handle = (CheckpointConnection) unassociated.createManagedConnection(null, null).getConnection(null, null);
        CheckpointException e = assertThrows(CheckpointException.class, () -> handle.write("s", new byte[0]),
                "a handle whose factory has no adapter should throw CheckpointException");
        assertTrue(e.getMessage().contains("not associated"), "the message should say what is missing: " + e.getMessage());
    }

    @Test
    void connectionManagerFailureReachesTheApplicationAsCheckpointException() throws ResourceException {
        ConnectionManager refusing = (factory, info) -> {
            throw new ResourceException("pool exhausted");
        };
        CheckpointConnectionFactory cf = (CheckpointConnectionFactory) Adapters.factory(adapter, "refused")
                .createConnectionFactory(refusing);
        CheckpointException e = assertThrows(CheckpointException.class, cf::getConnection,
                "a ResourceException from the pool should reach the application as CheckpointException");
        assertInstanceOf(ResourceException.class, e.getCause(), "the pool's exception is kept as the cause");
        assertTrue(e.getMessage().contains("pool exhausted"), "the pool's message is kept: " + e.getMessage());
    }

    @Test
    void connectionFactoryKeepsItsJndiReference() throws Exception {
        CheckpointConnectionFactory cf = (CheckpointConnectionFactory) Adapters.factory(adapter, "jndi").createConnectionFactory();
        Reference reference = new Reference(CheckpointConnectionFactory.class.getName());
        cf.setReference(reference);
        assertSame(reference, cf.getReference(), "the reference set by the server is returned");
    }

    /** Another product's adapter: the factory must not accept it. */
    private static final class ForeignAdapter implements ResourceAdapter {
        @Override
        public void start(BootstrapContext ctx) {
        }

        @Override
        public void stop() {
        }

        @Override
        public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
        }

        @Override
        public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
        }

        @Override
        public XAResource[] getXAResources(ActivationSpec[] specs) {
            return new XAResource[0];
        }
    }
}
