package io.checkpointservice.api.cdi;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Makes {@code @Inject CheckpointConnection} work in CDI beans. Each injection point gets its own
 * connection handle, closed when the bean that holds it is destroyed.
 */
@ApplicationScoped
public class CheckpointConnectionProducer {

    /** A connection from the default factory, {@value CheckpointResource#DEFAULT_JNDI_NAME}. */
    @Produces
    @Dependent
    @Default
    public CheckpointConnection defaultConnection() {
        return connect(CheckpointResource.DEFAULT_JNDI_NAME);
    }

    /** A connection from the factory named by the injection point's {@link CheckpointResource}. */
    @Produces
    @Dependent
    @CheckpointResource
    public CheckpointConnection namedConnection(InjectionPoint injectionPoint) {
        CheckpointResource resource = injectionPoint.getQualifiers().stream()
                .filter(CheckpointResource.class::isInstance)
                .map(CheckpointResource.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no @CheckpointResource at " + injectionPoint));
        return connect(resource.value());
    }

    void closeDefault(@Disposes @Default CheckpointConnection connection) {
        connection.close();
    }

    void closeNamed(@Disposes @CheckpointResource CheckpointConnection connection) {
        connection.close();
    }

    private static CheckpointConnection connect(String jndiName) {
        try {
            CheckpointConnectionFactory factory =
                    (CheckpointConnectionFactory) new InitialContext().lookup(jndiName);
            return factory.getConnection();
        } catch (NamingException e) {
            throw new CheckpointException("no checkpoint connection factory at '" + jndiName
                    + "': is checkpoint-ra.rar deployed, and does the application declare "
                    + "'Dependencies: deployment.checkpoint-ra.rar meta-inf' (meta-inf lets CDI see this producer)?", e);
        }
    }
}
