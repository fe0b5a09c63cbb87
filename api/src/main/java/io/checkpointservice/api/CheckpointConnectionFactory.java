package io.checkpointservice.api;

import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * Hands out connections to the node's checkpoint service. Bound at {@code java:/eis/checkpoint}
 * on WildFly (by the .rar's {@code META-INF/ironjacamar.xml}) and at {@code eis/checkpoint} on
 * Payara (by {@code asadmin add-resources glassfish-resources.xml}); applications reach either as
 * the resource reference {@code eis/checkpoint} mapped by their server descriptor (see the README).
 *
 * <p>Each factory is configured with a namespace; every segment written through its connections
 * is stored as {@code namespace/name}, so applications using different factories can neither
 * collide nor read each other's segments.
 */
public interface CheckpointConnectionFactory extends Serializable, Referenceable {

    /**
     * Returns a new connection handle. Close it (try-with-resources) when done; the underlying
     * physical connection goes back to the application server's pool.
     *
     * @return an open connection
     * @throws CheckpointException when the application server cannot provide a connection, for
     *     example because the resource adapter is not started
     */
    CheckpointConnection getConnection();
}
