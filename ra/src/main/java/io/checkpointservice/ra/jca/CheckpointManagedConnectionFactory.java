package io.checkpointservice.ra.jca;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.Setting;
import io.checkpointservice.ra.config.Settings;
import io.checkpointservice.ra.service.CheckpointService;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * One connection factory configuration: its namespace. Creates the physical connections the
 * application server pools; each is a thin view on the node's shared {@link CheckpointService}.
 */
@ConnectionDefinition(
        connectionFactory = CheckpointConnectionFactory.class,
        connectionFactoryImpl = CheckpointConnectionFactoryImpl.class,
        connection = CheckpointConnection.class,
        connectionImpl = CheckpointConnectionImpl.class)
public class CheckpointManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    /** See {@link Settings#NAMESPACE}. */
    @ConfigProperty
    private String namespace = Settings.NAMESPACE.defaultValue();

    private transient CheckpointResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) throws ResourceException {
        resolvedNamespace();
        return new CheckpointConnectionFactoryImpl(this, connectionManager);
    }

    /** Outside an application server: every connection gets its own physical connection. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        return createConnectionFactory(new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        return new CheckpointManagedConnection(this);
    }

    /** Any of our own live connections serves any request: they carry no per-request state. */
    @Override
    public ManagedConnection matchManagedConnections(Set connections, Subject subject, ConnectionRequestInfo info) {
        for (Object candidate : connections) {
            if (candidate instanceof CheckpointManagedConnection connection
                    && connection.belongsTo(this) && !connection.isDestroyed()) {
                return connection;
            }
        }
        return null;
    }

    /** @return the running service of the adapter this factory belongs to */
    CheckpointService service() throws ResourceException {
        if (resourceAdapter == null) {
            throw new ResourceException("connection factory is not associated with the checkpoint resource adapter");
        }
        return resourceAdapter.service();
    }

    /**
     * Unlike the adapter's settings, the namespace has no {@code -Dcheckpoint.namespace} override
     * (see {@link Setting.Scope#CONNECTION_FACTORY}): a node-wide property would give every
     * connection factory of the node the same namespace and silently join applications that their
     * configuration keeps apart.
     *
     * @return the configured namespace, checked
     * @throws ResourceException when the configured namespace is invalid
     */
    String resolvedNamespace() throws ResourceException {
        String value = ConfigValues.trimmed(namespace);
        try {
            return value == null ? Settings.NAMESPACE.defaultValue() : Settings.NAMESPACE.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ResourceException("invalid connection factory config property 'namespace': " + e.getMessage(), e);
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof CheckpointResourceAdapter checkpointAdapter)) {
            throw new ResourceException("expected a CheckpointResourceAdapter, got " + adapter);
        }
        resolvedNamespace();
        this.resourceAdapter = checkpointAdapter;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** JCA requires equality by configuration. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointManagedConnectionFactory other && Objects.equals(namespace, other.namespace);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(namespace);
    }
}
