package io.checkpointservice.example;

import io.checkpointservice.api.CheckpointConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Waits until a checkpoint is held by {@code replicaCount} nodes other than this one (guarantee
 * G3), the CDI way: the connection comes from the {@code CheckpointConnectionProducer} that
 * ships in the API jar, not from a JNDI lookup in the application (the job itself shows the
 * {@code @Resource} way).
 *
 * <p>{@code Instance} rather than a plain injected field: a connection handle is meant for one
 * thread at a time, and this bean lives as long as the application, so every call takes its own
 * handle and gives it back ({@code destroy} closes it).
 *
 * <p>{@code awaitReplicated} only reads: unlike {@code load} it never takes the segment over, so
 * it is harmless on any node.
 */
@ApplicationScoped
public class ReplicationBarrier {

    @Inject
    Instance<CheckpointConnection> connections;

    /**
     * @param segment the segment name, without namespace
     * @param version a version this node wrote
     * @param timeout how long to wait at most
     * @return true when that version (or a newer one) is on the replicas, false on timeout
     */
    public boolean await(String segment, long version, Duration timeout) {
        CheckpointConnection connection = connections.get();
        try {
            return connection.awaitReplicated(segment, version, timeout);
        } finally {
            connections.destroy(connection);
        }
    }
}
