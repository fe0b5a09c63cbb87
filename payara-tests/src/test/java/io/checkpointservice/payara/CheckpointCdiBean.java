package io.checkpointservice.payara;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** A CDI bean using the adapter through the API's producer: {@code @Inject CheckpointConnection}. */
@RequestScoped
public class CheckpointCdiBean {

    @Inject
    private CheckpointConnection connection;

    public long write(String name, byte[] state) {
        return connection.write(name, state);
    }

    public Optional<Checkpoint> load(String name) {
        return connection.load(name);
    }
}
