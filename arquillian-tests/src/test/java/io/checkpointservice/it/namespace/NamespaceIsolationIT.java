package io.checkpointservice.it.namespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.it.Deployments;
import jakarta.annotation.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two connection factories of one adapter on node-1 with different {@code namespace} config
 * properties: {@code java:/eis/checkpoint} (namespace {@code default}, the product's) and
 * {@code java:/eis/checkpoint-other} (namespace {@code other}), from
 * {@link Deployments#checkpointAdapterWithSecondNamespace()}. Both share the node's one store and
 * cluster, so whatever keeps them apart is the namespace. Runs inside the test war on node-1.
 */
@ExtendWith(ArquillianExtension.class)
class NamespaceIsolationIT {

    @Deployment(name = "checkpoint-ra", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return Deployments.checkpointAdapterWithSecondNamespace();
    }

    @Deployment(order = 2)
    static WebArchive application() {
        return Deployments.applicationWar("namespace-isolation-test.war");
    }

    @Resource(lookup = "java:/eis/checkpoint")
    CheckpointConnectionFactory a;

    @Resource(lookup = "java:/eis/checkpoint-other")
    CheckpointConnectionFactory b;

    @Test
    void bothFactoriesStoreTheSameSimpleNameIndependently(TestInfo test) {
        String name = uniqueName(test);
        byte[] stateA = "A's state".getBytes(StandardCharsets.UTF_8);
        byte[] stateB = "B's different, longer state".getBytes(StandardCharsets.UTF_8);
        try (CheckpointConnection ca = a.getConnection(); CheckpointConnection cb = b.getConnection()) {
            ca.write(name, stateA);
            long va2 = ca.write(name, stateA);
            long vb = cb.write(name, stateB);
            assertTrue(vb > 0, "expected a positive version from B's write, got " + vb);

            assertLoaded(ca, name, va2, stateA, "A");
            assertLoaded(cb, name, vb, stateB, "B");

            assertTrue(cb.delete(name), "expected B's delete of its own '" + name + "' to return true");
            assertEquals(Optional.empty(), cb.load(name), "expected B's '" + name + "' gone after B's delete");
            assertLoaded(ca, name, va2, stateA, "A after B deleted its own");
            assertTrue(ca.delete(name), "expected A's delete of '" + name + "' to return true");
        }
    }

    @Test
    void factoryBCannotLoadDeleteOrAwaitFactoryAsSegment(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = "only A may see this".getBytes(StandardCharsets.UTF_8);
        try (CheckpointConnection ca = a.getConnection(); CheckpointConnection cb = b.getConnection()) {
            long version = ca.write(name, state);

            assertEquals(Optional.empty(), cb.load(name), "expected B's load of A's '" + name + "' to be empty");
            assertFalse(cb.delete(name), "expected B's delete of A's '" + name + "' to return false");
            assertFalse(cb.awaitReplicated(name, version, Duration.ZERO),
                    "expected B's awaitReplicated of A's '" + name + "' v" + version + " to be false (node-1 has R = 0: "
                            + "true would mean B sees A's copy)");
            assertTrue(ca.awaitReplicated(name, version, Duration.ZERO),
                    "expected A's own awaitReplicated of v" + version + " to be true with R = 0");
            // The namespace written out as part of the name is just another word of B's name.
            assertEquals(Optional.empty(), cb.load("default/" + name),
                    "expected B's load of 'default/" + name + "' to be empty: it is other/default/...");

            assertLoaded(ca, name, version, state, "A after B's attempts");
            assertTrue(ca.delete(name), "expected A's delete of '" + name + "' to return true");
        }
    }

    @Test
    void factoryACannotLoadDeleteOrAwaitFactoryBsSegment(TestInfo test) {
        String name = uniqueName(test);
        byte[] state = "only B may see this".getBytes(StandardCharsets.UTF_8);
        try (CheckpointConnection ca = a.getConnection(); CheckpointConnection cb = b.getConnection()) {
            long version = cb.write(name, state);

            assertEquals(Optional.empty(), ca.load(name), "expected A's load of B's '" + name + "' to be empty");
            assertFalse(ca.delete(name), "expected A's delete of B's '" + name + "' to return false");
            assertFalse(ca.awaitReplicated(name, version, Duration.ZERO),
                    "expected A's awaitReplicated of B's '" + name + "' v" + version + " to be false");
            assertEquals(Optional.empty(), ca.load("other/" + name),
                    "expected A's load of 'other/" + name + "' to be empty: it is default/other/...");

            assertLoaded(cb, name, version, state, "B after A's attempts");
            assertTrue(cb.delete(name), "expected B's delete of '" + name + "' to return true");
        }
    }

    private static void assertLoaded(CheckpointConnection connection, String name, long version, byte[] state, String who) {
        Checkpoint loaded = connection.load(name).orElseThrow(
                () -> new AssertionError("expected " + who + " to load '" + name + "', it was empty"));
        assertEquals(name, loaded.name(), "expected name() without namespace (" + who + ")");
        assertEquals(version, loaded.version(), "expected the version " + who + " wrote");
        assertArrayEquals(state, loaded.state(), "expected the bytes " + who + " wrote");
    }

    private static String uniqueName(TestInfo test) {
        return "namespace-it/" + test.getTestMethod().map(m -> m.getName()).orElse("test") + "/" + UUID.randomUUID();
    }
}
