package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A call that reaches the service while its cluster member is already stopped (an undeployment
 * racing a request) fails with the API's own exceptions, never with an Infinispan type the
 * application does not know (and may not even see on its class path).
 */
class StoppedClusterMemberOnMembersTest {

    @Test
    void callsAfterTheMemberStoppedFailWithTheApisExceptions() {
        PlainNodeThreads threads = new PlainNodeThreads("stopped-member");
        int port = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
        ClusterNode member = ClusterNode.start("a", 1, ClusterSettings.parse(Map.of(
                "clusterName", "stopped-member-" + UUID.randomUUID(),
                "bindAddress", "127.0.0.1",
                "bindPort", String.valueOf(port),
                "initialHosts", "127.0.0.1[" + port + "]")), threads);
        AdapterSettings settings = new AdapterSettings("a", StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1 << 20, 1);
        CheckpointService service = new CheckpointService(settings, new MemoryStore(), member.directory(),
                member.replicas(), Clock.systemUTC());
        long written = service.write("app", "job", new byte[] {1});
        member.close();

        CheckpointException write = assertThrows(CheckpointException.class,
                () -> service.write("app", "job", new byte[] {2}));
        assertTrue(write.getMessage().contains("'app/job'"), write.getMessage());
        assertThrows(SegmentUnavailableException.class, () -> service.load("app", "job"),
                "load: 'exists or not, cannot tell now', which the caller may retry");
        assertFalse(service.awaitReplicated("app", "job", written, Duration.ofMillis(100)),
                "not known to be replicated: false once the wait is over");
        assertEquals(1, service.store().version("app/job"), "the local copy is untouched");
        service.close();
        threads.close();
    }
}
