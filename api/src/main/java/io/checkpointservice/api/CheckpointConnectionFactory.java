package io.checkpointservice.api;

import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * Hands out connections to the node's checkpoint service. Bound by the resource adapter at
 * {@code java:/eis/checkpoint} on WildFly ({@code eis/checkpoint} on Payara) unless configured
 * otherwise.
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
