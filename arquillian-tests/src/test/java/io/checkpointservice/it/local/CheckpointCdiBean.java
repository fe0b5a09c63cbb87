package io.checkpointservice.it.local;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * How a CDI application uses the adapter: {@code @Inject CheckpointConnection}, produced by the
 * API's {@code CheckpointConnectionProducer} and closed when this request-scoped bean ends.
 */
@RequestScoped
public class CheckpointCdiBean {

    @Inject
    CheckpointConnection connection;

    public long write(String name, byte[] state) {
        return connection.write(name, state);
    }

    public Optional<Checkpoint> load(String name) {
        return connection.load(name);
    }

    public boolean awaitReplicated(String name, long version, Duration timeout) {
        return connection.awaitReplicated(name, version, timeout);
    }

    public boolean delete(String name) {
        return connection.delete(name);
    }
}
