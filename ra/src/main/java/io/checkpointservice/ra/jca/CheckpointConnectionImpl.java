package io.checkpointservice.ra.jca;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.ra.service.CheckpointService;
import jakarta.resource.ResourceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handle the application holds. It only adapts: each call checks that the handle is usable
 * and passes on to the node's service with this factory's namespace.
 */
public class CheckpointConnectionImpl implements CheckpointConnection {

    private final String namespace;
    /** Null once closed or invalidated by the pool. */
    private volatile CheckpointManagedConnection managedConnection;
    private volatile String closedReason;

    CheckpointConnectionImpl(CheckpointManagedConnection managedConnection, String namespace) {
        this.managedConnection = managedConnection;
        this.namespace = namespace;
    }

    @Override
    public long write(String name, byte[] state) {
        return service().write(namespace, name, state);
    }

    @Override
    public Optional<Checkpoint> load(String name) {
        return service().load(namespace, name);
    }

    @Override
    public List<Long> versions(String name) {
        return service().versions(namespace, name);
    }

    @Override
    public Optional<Checkpoint> load(String name, long version) {
        return service().load(namespace, name, version);
    }

    @Override
    public boolean awaitReplicated(String name, long version, Duration timeout) {
        return service().awaitReplicated(namespace, name, version, timeout);
    }

    @Override
    public boolean awaitAllReplicated(Map<String, Long> versions, Duration timeout) {
        return service().awaitAllReplicated(namespace, versions, timeout);
    }

    @Override
    public boolean delete(String name) {
        return service().delete(namespace, name);
    }

    /** Idempotent and safe from several threads: the pool hears of the close once. */
    @Override
    public void close() {
        CheckpointManagedConnection owner;
        synchronized (this) {
            owner = managedConnection;
            if (owner == null) {
                return;
            }
            managedConnection = null;
            closedReason = "the connection is closed";
        }
        owner.handleClosed(this);
    }

    /**
     * Points this handle at {@code target}; returns the managed connection it was on.
     *
     * @throws jakarta.resource.spi.IllegalStateException when the handle is closed: a
     *     ResourceException, as {@code ManagedConnection.associateConnection} declares
     */
    synchronized CheckpointManagedConnection associate(CheckpointManagedConnection target)
            throws jakarta.resource.spi.IllegalStateException {
        if (closedReason != null) {
            throw new jakarta.resource.spi.IllegalStateException("cannot associate a closed checkpoint connection: "
                    + closedReason);
        }
        CheckpointManagedConnection previous = managedConnection;
        managedConnection = target;
        return previous;
    }

    /** Called by the managed connection's cleanup or destroy: the handle is dead from now on. */
    synchronized void invalidate() {
        if (managedConnection != null) {
            managedConnection = null;
            closedReason = "the application server cleaned up its physical connection";
        }
    }

    private CheckpointService service() {
        CheckpointManagedConnection owner = managedConnection;
        if (owner == null) {
            throw new IllegalStateException("checkpoint connection cannot be used: " + closedReason);
        }
        try {
            return owner.service();
        } catch (ResourceException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }
}
