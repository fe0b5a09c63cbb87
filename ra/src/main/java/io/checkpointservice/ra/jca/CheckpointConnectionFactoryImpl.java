package io.checkpointservice.ra.jca;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/** What the application looks up in JNDI; asks the application server's pool for connections. */
public class CheckpointConnectionFactoryImpl implements CheckpointConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final transient CheckpointManagedConnectionFactory managedFactory;
    private final ConnectionManager connectionManager;
    private Reference reference;

    CheckpointConnectionFactoryImpl(CheckpointManagedConnectionFactory managedFactory, ConnectionManager connectionManager) {
        this.managedFactory = managedFactory;
        this.connectionManager = connectionManager;
    }

    @Override
    public CheckpointConnection getConnection() {
        try {
            return (CheckpointConnection) connectionManager.allocateConnection(managedFactory, null);
        } catch (ResourceException e) {
            throw new CheckpointException("cannot get a checkpoint connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
