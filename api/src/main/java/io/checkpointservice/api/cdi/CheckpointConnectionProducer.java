package io.checkpointservice.api.cdi;

import io.checkpointservice.api.CheckpointConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;

/**
 * Makes {@code @Inject CheckpointConnection} work in CDI beans. Each injection point gets its own
 * connection handle, closed when the bean that holds it is destroyed. The factory is found by
 * {@link ConnectionFactoryLookup}, the same way on WildFly and Payara.
 */
@ApplicationScoped
public class CheckpointConnectionProducer {

    /** A connection from the default factory, {@value CheckpointResource#DEFAULT_NAME}. */
    @Produces
    @Dependent
    @Default
    public CheckpointConnection defaultConnection() {
        return ConnectionFactoryLookup.find(CheckpointResource.DEFAULT_NAME).getConnection();
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
        return ConnectionFactoryLookup.find(resource.value()).getConnection();
    }

    void closeDefault(@Disposes @Default CheckpointConnection connection) {
        connection.close();
    }

    void closeNamed(@Disposes @CheckpointResource CheckpointConnection connection) {
        connection.close();
    }
}
