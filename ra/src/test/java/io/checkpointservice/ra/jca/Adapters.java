package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.testsupport.BadInputs;
import io.checkpointservice.testsupport.LoopbackPorts;
import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Resource adapters for tests: started on a {@link TestBootstrapContext} (the server's WorkManager
 * and timers, played by plain threads), on a temporary directory, with a cluster of their own (unique cluster name, free ports on
 * loopback) so that they never join a cluster another test or engineer is running.
 */
final class Adapters {

    private Adapters() {
    }

    /** @return an adapter configured for {@code directory}, not started */
    static CheckpointResourceAdapter configured(Path directory) {
        CheckpointResourceAdapter adapter = new CheckpointResourceAdapter();
        adapter.setNodeName("node-" + UUID.randomUUID().toString().substring(0, 8));
        adapter.setStorageDirectory(directory.toString());
        adapter.setSyncPolicy("none");
        adapter.setMaxSegmentBytes(String.valueOf(BadInputs.MAX_SEGMENT_BYTES));
        adapter.setClusterName("ra-unit-test-" + UUID.randomUUID());
        adapter.setBindAddress("127.0.0.1");
        adapter.setBindPort(String.valueOf(LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET)));
        return adapter;
    }

    /** @return a started adapter on {@code directory} */
    static CheckpointResourceAdapter started(Path directory) throws ResourceException {
        CheckpointResourceAdapter adapter = configured(directory);
        adapter.start(new TestBootstrapContext());
        return adapter;
    }

    /** @return a factory of {@code namespace} associated with {@code adapter} */
    static CheckpointManagedConnectionFactory factory(CheckpointResourceAdapter adapter, String namespace)
            throws ResourceException {
        CheckpointManagedConnectionFactory factory = new CheckpointManagedConnectionFactory();
        factory.setNamespace(namespace);
        factory.setResourceAdapter(adapter);
        return factory;
    }
}
