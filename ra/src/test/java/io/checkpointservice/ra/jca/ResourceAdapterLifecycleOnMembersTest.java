package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.testsupport.SystemProperties;
import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.LoopbackPorts;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start, stop and restart of the adapter as an application server drives it, the server's
 * BootstrapContext played by {@link TestBootstrapContext}.
 */
class ResourceAdapterLifecycleOnMembersTest {

    @TempDir
    Path tempDir;

    private static CheckpointConnectionFactory connectionFactory(CheckpointResourceAdapter adapter, String namespace)
            throws ResourceException {
        return (CheckpointConnectionFactory) Adapters.factory(adapter, namespace).createConnectionFactory();
    }

    @Test
    void startsAndServesConnections() throws ResourceException {
        CheckpointResourceAdapter adapter = Adapters.started(tempDir);
        try {
            assertInstanceOf(DiskStore.class, adapter.service().store(), "disk is the default storage mode");
            try (CheckpointConnection c = connectionFactory(adapter, "app").getConnection()) {
                assertEquals(1, c.write("job/state", new byte[] {1, 2, 3}), "the first write is version 1");
                Checkpoint loaded = c.load("job/state").orElseThrow();
                assertArrayEquals(new byte[] {1, 2, 3}, loaded.state(), "the written state loads back");
                assertEquals(adapter.getNodeName(), loaded.originNode(), "the origin is the configured node name");
            }
        } finally {
            adapter.stop();
        }
    }

    @Test
    void useAfterStopThrowsCheckpointExceptionAndARestartBringsTheSegmentsBack() throws ResourceException {
        CheckpointResourceAdapter adapter = Adapters.started(tempDir);
        CheckpointConnectionFactory cf = connectionFactory(adapter, "app");
        CheckpointConnection before = cf.getConnection();
        before.write("survivor", new byte[] {1});
        before.write("survivor", new byte[] {2});

        adapter.stop();

        for (var call : Map.<String, Runnable>of(
                "write", () -> before.write("survivor", new byte[] {3}),
                "load", () -> before.load("survivor"),
                "delete", () -> before.delete("survivor"),
                "awaitReplicated", () -> before.awaitReplicated("survivor", 1, java.time.Duration.ZERO),
                "awaitAllReplicated", () -> before.awaitAllReplicated(Map.of("survivor", 1L), java.time.Duration.ZERO))
                .entrySet()) {
            CheckpointException e = assertThrows(CheckpointException.class, call.getValue()::run,
                    call.getKey() + " on a stopped adapter should throw CheckpointException");
            assertTrue(e.getMessage().contains("not started"), "the message should say the adapter is not started: " + e.getMessage());
        }
        CheckpointConnection after = cf.getConnection();
        assertThrows(CheckpointException.class, () -> after.load("survivor"),
                "a handle obtained after stop cannot be used either");
        assertDoesNotThrow(adapter::stop, "stopping twice is harmless");

        adapter.setBindPort(String.valueOf(LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET)));
        adapter.start(new TestBootstrapContext());
        try {
            Checkpoint loaded = before.load("survivor").orElseThrow();
            assertEquals(2, loaded.version(), "after a restart the segment is back at its last version");
            assertArrayEquals(new byte[] {2}, loaded.state(), "after a restart the segment has its last bytes");
            assertEquals(3, after.write("survivor", new byte[] {3}), "versions continue after a restart");
        } finally {
            adapter.stop();
            before.close();
            after.close();
        }
    }

    @Test
    void stopWithoutStartIsHarmless() {
        assertDoesNotThrow(() -> Adapters.configured(tempDir).stop(), "stop of an adapter never started does nothing");
        CheckpointResourceAdapter never = Adapters.configured(tempDir);
        assertThrows(ResourceException.class, never::service, "an adapter never started has no service");
    }

    @Test
    void invalidSettingsRefuseToStartAndListEveryProblem() {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        adapter.setStorageMode("tape");
        adapter.setSyncPolicy("sometimes");
        adapter.setMaxSegmentBytes("-1");
        adapter.setReplicaCount("many");
        adapter.setReplicationWorkers("0");
        adapter.setChunkSweepSeconds("0");
        adapter.setMulticastAddress("10.0.0.1");

        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> adapter.start(new TestBootstrapContext()),
                "invalid settings should stop the adapter from starting");
        for (String setting : new String[] {"storageMode", "syncPolicy", "maxSegmentBytes", "replicaCount",
                "replicationWorkers", "chunkSweepSeconds", "multicastAddress"}) {
            assertTrue(e.getMessage().contains(setting), "the one message should report " + setting + ": " + e.getMessage());
        }
        assertThrows(ResourceException.class, adapter::service, "an adapter that failed to start has no service");
    }

    @Test
    void unusableStorageDirectoryRefusesToStart() throws Exception {
        Path file = Files.writeString(tempDir.resolve("plain-file"), "x");
        CheckpointResourceAdapter adapter = Adapters.configured(file.resolve("checkpoint"));

        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> adapter.start(new TestBootstrapContext()),
                "a storage directory that cannot be created should stop the adapter from starting");
        assertTrue(e.getMessage().contains("storageDirectory"), "the message should point at storageDirectory: " + e.getMessage());
        assertThrows(ResourceException.class, adapter::service, "an adapter that failed to start has no service");

        adapter.setStorageDirectory(tempDir.resolve("good").toString());
        adapter.start(new TestBootstrapContext());
        try {
            assertDoesNotThrow(adapter::service, "once the directory is fixed the same adapter starts");
        } finally {
            adapter.stop();
        }
    }

    @Test
    void systemPropertiesWinOverConfiguredValuesAtStart() throws Exception {
        Path directory = tempDir.resolve("configured");
        CheckpointResourceAdapter adapter = Adapters.configured(directory);
        adapter.setStorageMode("disk");
        adapter.setMaxSegmentBytes("1024");
        SystemProperties.with(Map.of("checkpoint.storageMode", "memory", "checkpoint.maxSegmentBytes", "10"), () -> {
            adapter.start(new TestBootstrapContext());
            try {
                assertInstanceOf(MemoryStore.class, adapter.service().store(),
                        "-Dcheckpoint.storageMode=memory should win over the configured disk mode");
                assertEquals(10, adapter.service().settings().maxSegmentBytes(),
                        "-Dcheckpoint.maxSegmentBytes should win over the configured value");
                try (CheckpointConnection c = connectionFactory(adapter, "app").getConnection()) {
                    assertEquals(1, c.write("s", new byte[10]), "10 bytes fit the overridden limit");
                    assertThrows(SegmentTooLargeException.class, () -> c.write("s", new byte[11]),
                            "11 bytes exceed the overridden limit");
                }
            } finally {
                adapter.stop();
            }
        });
        assertFalse(Files.exists(directory) && hasSegmentFiles(directory), "memory mode must not write segment files");
    }

    @Test
    void refusesToStartWithoutABootstrapContext() {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> adapter.start(null),
                "without a BootstrapContext the adapter has no threads of the server to run on");
        assertTrue(e.getMessage().contains("BootstrapContext"), "the message should say what is missing: " + e.getMessage());
        assertThrows(ResourceException.class, adapter::service, "an adapter that failed to start has no service");
    }

    @Test
    void runsItsWorkersAndSweepsOnTheServersThreadsAndHandsTheTimerBackOnStop() throws Exception {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        adapter.setReplicationWorkers("3");
        adapter.setChunkSweepSeconds("1");
        TestBootstrapContext context = new TestBootstrapContext();
        adapter.start(context);
        try {
            assertEquals(3, context.scheduled.stream().filter(TestBootstrapContext::isLongRunning)
                            .filter(work -> String.valueOf(TestBootstrapContext.nameOf(work)).startsWith("checkpoint-replication-"))
                            .count(), "each replication worker is a long-running Work on the server's WorkManager");
            assertEquals(1, context.timers.size(), "delayed tasks share one timer of the BootstrapContext");
            Await.await("the timer hands the routine chunk sweep to the WorkManager").until(() -> context.scheduled.stream().anyMatch(work -> !TestBootstrapContext.isLongRunning(work)));
        } finally {
            adapter.stop();
        }
        Timer timer = context.timers.get(0);
        assertThrows(IllegalStateException.class, () -> timer.schedule(new TimerTask() {
            @Override
            public void run() {
            }
        }, 1_000), "the adapter cancels its timer when it stops");
    }

    @Test
    void inboundMessagesAreNotSupported() {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        assertThrows(NotSupportedException.class, () -> adapter.endpointActivation(null, null),
                "endpointActivation should throw NotSupportedException");
        assertDoesNotThrow(() -> adapter.endpointDeactivation(null, null), "endpointDeactivation is harmless");
        assertEquals(0, adapter.getXAResources(null).length, "the adapter has no XA resources");
    }

    private static boolean hasSegmentFiles(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(p -> p.toString().endsWith(".seg"));
        }
    }
}
