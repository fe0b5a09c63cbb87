package io.checkpointservice.it.local;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.time.Duration;
import java.util.Optional;

/**
 * How an EJB application uses the adapter: the connection factory by {@code @Resource}, one
 * connection per unit of work, closed by try-with-resources.
 */
@Stateless
public class CheckpointEjb {

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory factory;

    public long write(String name, byte[] state) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.write(name, state);
        }
    }

    public Optional<Checkpoint> load(String name) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.load(name);
        }
    }

    public boolean awaitReplicated(String name, long version, Duration timeout) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.awaitReplicated(name, version, timeout);
        }
    }

    public boolean delete(String name) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.delete(name);
        }
    }
}
