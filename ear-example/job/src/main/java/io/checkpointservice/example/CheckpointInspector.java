package io.checkpointservice.example;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Reads the stored checkpoint of the progress job, the CDI way: the connection comes from the
 * {@code CheckpointConnectionProducer} that ships in the API jar, not from a JNDI lookup.
 *
 * <p>{@code Instance} rather than a plain injected field: a connection handle is meant for one
 * thread at a time, and this bean serves concurrent requests for the application's lifetime,
 * so every call takes its own handle and gives it back ({@code destroy} closes it).
 *
 * <p>Call it only on the node that runs the job: {@code load} takes the segment over for the
 * calling node (guarantee G6), which on any other node would fence the running job.
 */
@ApplicationScoped
public class CheckpointInspector {

    @Inject
    Instance<CheckpointConnection> connections;

    /** @return the newest stored checkpoint of the job, empty before its first write */
    public Optional<Checkpoint> latest() {
        CheckpointConnection connection = connections.get();
        try {
            return connection.load(ProgressJob.SEGMENT);
        } finally {
            connections.destroy(connection);
        }
    }
}
