package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handle bookkeeping as JCA 2.1 chapter 6 asks of a ManagedConnection, checked with a real adapter
 * and a hand-written listener standing in for the application server's pool.
 */
class ConnectionHandleLifecycleOnMembersTest {

    @TempDir
    static Path storageDirectory;

    private static CheckpointResourceAdapter adapter;
    private static CheckpointManagedConnectionFactory factory;
    private static final AtomicInteger SEGMENTS = new AtomicInteger();

    /** A segment name no other test uses (they share one adapter). */
    private String segment;

    @BeforeAll
    static void startAdapter() throws ResourceException {
        adapter = Adapters.started(storageDirectory);
        factory = Adapters.factory(adapter, "handles");
    }

    @AfterAll
    static void stopAdapter() {
        adapter.stop();
    }

    @BeforeEach
    void nameSegment(TestInfo test) {
        segment = test.getTestMethod().orElseThrow().getName() + "-" + SEGMENTS.incrementAndGet();
    }

    private static CheckpointManagedConnection newManagedConnection() throws ResourceException {
        return (CheckpointManagedConnection) factory.createManagedConnection(null, null);
    }

    private static CheckpointConnectionImpl handleOf(CheckpointManagedConnection mc) throws ResourceException {
        return (CheckpointConnectionImpl) mc.getConnection(null, null);
    }

    @Test
    void getConnectionReturnsDistinctHandlesRegisteredOnTheManagedConnection() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        Object first = mc.getConnection(null, null);
        Object second = mc.getConnection(null, null);

        assertInstanceOf(CheckpointConnection.class, first, "a handle implements the API's CheckpointConnection");
        assertNotSame(first, second, "every getConnection returns a new handle");
        assertEquals(2, mc.handleCount(), "both handles are registered on the managed connection");

        CheckpointConnection writer = (CheckpointConnection) first;
        CheckpointConnection reader = (CheckpointConnection) second;
        long version = writer.write(segment, new byte[] {4, 2});
        Checkpoint read = reader.load(segment).orElseThrow();
        assertArrayEquals(new byte[] {4, 2}, read.state(), "handles of one managed connection share the node's service");
        assertEquals(version, read.version(), "the reader sees the writer's version");
    }

    @Test
    void closeFiresExactlyOneConnectionClosedEventCarryingTheHandle() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        RecordingListener pool = new RecordingListener();
        RecordingListener removed = new RecordingListener();
        mc.addConnectionEventListener(pool);
        mc.addConnectionEventListener(removed);
        mc.removeConnectionEventListener(removed);
        CheckpointConnectionImpl handle = handleOf(mc);
        CheckpointConnectionImpl other = handleOf(mc);

        handle.close();

        List<ConnectionEvent> events = pool.events();
        assertEquals(1, events.size(), "closing a handle fires exactly one event, got " + events);
        assertEquals(ConnectionEvent.CONNECTION_CLOSED, events.get(0).getId(), "the event is CONNECTION_CLOSED");
        assertSame(handle, events.get(0).getConnectionHandle(), "the event carries the closed handle");
        assertSame(mc, events.get(0).getSource(), "the event's source is the managed connection");
        assertEquals(List.of(), removed.events(), "a removed listener hears nothing");
        assertEquals(1, mc.handleCount(), "the closed handle is no longer registered, the other one is");

        handle.close();
        assertEquals(1, pool.events().size(), "closing the same handle again fires nothing more");
        assertDoesNotThrow(() -> other.write(segment, new byte[0]), "closing one handle leaves the other usable");
    }

    @Test
    void concurrentCloseFromManyThreadsFiresOneEvent() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 25; round++) {
                CheckpointManagedConnection mc = newManagedConnection();
                RecordingListener listener = new RecordingListener();
                mc.addConnectionEventListener(listener);
                CheckpointConnectionImpl handle = handleOf(mc);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> closes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    closes.add(pool.submit(() -> {
                        go.await();
                        handle.close();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> close : closes) {
                    close.get(10, TimeUnit.SECONDS);
                }
                assertEquals(1, listener.closedEvents().size(), "round " + round + ": " + threads
                        + " concurrent closes of one handle should fire exactly one CONNECTION_CLOSED");
                assertEquals(0, mc.handleCount(), "round " + round + ": the handle should be unregistered");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedHandleThrowsIllegalStateExceptionForEveryMethod() throws ResourceException {
        CheckpointConnectionImpl handle = handleOf(newManagedConnection());
        handle.write(segment, new byte[] {1});
        handle.close();
        assertClosedEverywhere(handle, "a closed handle");
        assertDoesNotThrow(handle::close, "closing a closed handle is harmless");
    }

    /** Every API method, valid arguments and invalid ones: a dead handle says so before anything else. */
    private void assertClosedEverywhere(CheckpointConnection handle, String what) {
        Map<String, Consumer<CheckpointConnection>> calls = Map.of(
                "write", c -> c.write(segment, new byte[] {2}),
                "write with bad input", c -> c.write("../x", null),
                "load", c -> c.load(segment),
                "load with bad name", c -> c.load(null),
                "awaitReplicated", c -> c.awaitReplicated(segment, 1, Duration.ZERO),
                "awaitReplicated with bad arguments", c -> c.awaitReplicated(segment, -1, null),
                "awaitAllReplicated", c -> c.awaitAllReplicated(Map.of(segment, 1L), Duration.ZERO),
                "awaitAllReplicated with bad arguments", c -> c.awaitAllReplicated(null, null),
                "delete", c -> c.delete(segment),
                "delete with bad name", c -> c.delete(""));
        calls.forEach((method, call) -> assertThrows(java.lang.IllegalStateException.class, () -> call.accept(handle),
                what + ": " + method + " should throw IllegalStateException"));
    }

    @Test
    void associateConnectionMovesAHandleFromOneManagedConnectionToAnother() throws ResourceException {
        CheckpointManagedConnection a = newManagedConnection();
        CheckpointManagedConnection b = newManagedConnection();
        RecordingListener onA = new RecordingListener();
        RecordingListener onB = new RecordingListener();
        a.addConnectionEventListener(onA);
        b.addConnectionEventListener(onB);
        CheckpointConnectionImpl handle = handleOf(a);
        CheckpointConnectionImpl stays = handleOf(a);

        b.associateConnection(handle);

        assertEquals(1, a.handleCount(), "A should no longer hold the moved handle, only the other one");
        assertEquals(1, b.handleCount(), "B should hold the moved handle");
        assertEquals(1, handle.write(segment, new byte[] {7}), "the moved handle works through B");

        a.cleanup();
        assertDoesNotThrow(() -> handle.load(segment), "cleaning up A must not invalidate a handle that moved to B");
        assertThrows(java.lang.IllegalStateException.class, () -> stays.load(segment),
                "cleaning up A invalidates the handle that stayed on A");

        handle.close();
        assertEquals(1, onB.closedEvents().size(), "closing the moved handle tells B's listeners");
        assertSame(handle, onB.closedEvents().get(0).getConnectionHandle(), "B's event carries the handle");
        assertSame(b, onB.closedEvents().get(0).getSource(), "the event's source is B");
        assertEquals(List.of(), onA.events(), "A's listeners hear nothing of a handle that left A");
        assertEquals(0, b.handleCount(), "the closed handle is no longer registered on B");
    }

    @Test
    void associatingAHandleWithItsOwnManagedConnectionKeepsItThereOnce() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        CheckpointConnectionImpl handle = handleOf(mc);

        mc.associateConnection(handle);

        assertEquals(1, mc.handleCount(), "re-associating with the same connection must not register it twice");
        handle.close();
        assertEquals(1, listener.closedEvents().size(), "closing fires once");
        assertEquals(0, mc.handleCount(), "nothing is left registered after close");
    }

    @Test
    void associateConnectionRefusesWhatIsNotAnOpenHandle() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        assertThrows(ResourceException.class, () -> mc.associateConnection("not a handle"),
                "associating a foreign object should throw ResourceException");
        assertThrows(ResourceException.class, () -> mc.associateConnection(null),
                "associating null should throw ResourceException");

        CheckpointManagedConnection other = newManagedConnection();
        CheckpointConnectionImpl closed = handleOf(other);
        closed.close();
        assertThrows(ResourceException.class, () -> mc.associateConnection(closed),
                "associating a closed handle should throw a ResourceException, as the SPI declares");
        assertEquals(0, mc.handleCount(), "a refused handle must not be registered");
        assertThrows(java.lang.IllegalStateException.class, () -> closed.load(segment),
                "a refused closed handle stays closed");
    }

    @Test
    void cleanupInvalidatesEveryHandleWithoutClosedEventsAndTheConnectionServesAgain() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        CheckpointConnectionImpl first = handleOf(mc);
        CheckpointConnectionImpl second = handleOf(mc);

        mc.cleanup();

        assertEquals(0, mc.handleCount(), "cleanup forgets every handle");
        assertClosedEverywhere(first, "a handle invalidated by cleanup");
        assertClosedEverywhere(second, "a second handle invalidated by cleanup");
        assertDoesNotThrow(first::close, "closing an invalidated handle is harmless");
        assertEquals(List.of(), listener.events(), "cleanup and closing invalidated handles fire no event: the pool started the cleanup");

        CheckpointConnectionImpl reused = handleOf(mc);
        assertEquals(1, reused.write(segment, new byte[] {1}), "a cleaned-up connection hands out working handles again");
        reused.close();
        assertEquals(1, listener.closedEvents().size(), "the reused connection's new handle fires its close as usual");
    }

    @Test
    void destroyInvalidatesHandlesAndRefusesEveryLaterUse() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        CheckpointConnectionImpl handle = handleOf(mc);
        CheckpointManagedConnection elsewhere = newManagedConnection();
        CheckpointConnectionImpl foreign = handleOf(elsewhere);

        mc.destroy();

        assertClosedEverywhere(handle, "a handle of a destroyed connection");
        handle.close();
        assertEquals(List.of(), listener.events(), "a destroyed connection tells no listener anything");
        assertThrows(jakarta.resource.spi.IllegalStateException.class, () -> mc.getConnection(null, null),
                "getConnection on a destroyed connection should throw jakarta.resource.spi.IllegalStateException");
        assertThrows(jakarta.resource.spi.IllegalStateException.class, () -> mc.associateConnection(foreign),
                "associateConnection on a destroyed connection should throw jakarta.resource.spi.IllegalStateException");
        assertThrows(jakarta.resource.spi.IllegalStateException.class, mc::cleanup,
                "cleanup on a destroyed connection should throw jakarta.resource.spi.IllegalStateException");
        assertEquals(1, elsewhere.handleCount(), "a refused associate leaves the handle where it was");
        assertEquals(1, foreign.write(segment, new byte[] {3}), "the handle that was not moved still works");
        assertDoesNotThrow(mc::destroy, "destroying twice is harmless");
    }

    @Test
    void transactionsAreNotSupported() throws ResourceException {
        CheckpointManagedConnection mc = newManagedConnection();
        assertThrows(NotSupportedException.class, mc::getXAResource, "getXAResource should throw NotSupportedException");
        assertThrows(NotSupportedException.class, mc::getLocalTransaction, "getLocalTransaction should throw NotSupportedException");
    }

    @Test
    void metaDataDescribesTheCheckpointService() throws ResourceException {
        var metaData = newManagedConnection().getMetaData();
        assertEquals("Checkpoint Service", metaData.getEISProductName(), "the EIS is the checkpoint service");
        assertTrue(!metaData.getEISProductVersion().isBlank(), "the EIS has a version");
        assertEquals(0, metaData.getMaxConnections(), "there is no limit on connections");
    }

    @Test
    void unpooledHandleCloseIsHarmlessAndLeavesTheHandleDead() throws ResourceException {
        var connectionFactory = (io.checkpointservice.api.CheckpointConnectionFactory) factory.createConnectionFactory();
        CheckpointConnection handle = connectionFactory.getConnection();
        handle.write(segment, new byte[] {9});
        handle.close();
        handle.close();
        assertThrows(java.lang.IllegalStateException.class, () -> handle.load(segment),
                "a handle closed in non-managed mode is dead");
        try (CheckpointConnection next = connectionFactory.getConnection()) {
            assertArrayEquals(new byte[] {9}, next.load(segment).orElseThrow().state(),
                    "a new handle sees what the closed one wrote");
        }
    }
}
