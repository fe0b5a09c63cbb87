package io.checkpointservice.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * MicroProfile Health liveness: UP while every checkpoint node of this server answers its MBean.
 * A node that is alone or behind on replication is not dead: restarting the server would not help,
 * so those only lower readiness.
 */
@Liveness
@ApplicationScoped
public class CheckpointLiveness implements HealthCheck {

    static final String NAME = "checkpoint-liveness";

    @Inject
    private ConsoleState state;

    @Override
    public HealthCheckResponse call() {
        Status status = state.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(status.live())
                .withData("nodes", status.reading().nodes().size());
        for (int i = 0; i < status.reading().unreadable().size(); i++) {
            response.withData("unreadable." + (i + 1), status.reading().unreadable().get(i));
        }
        return response.build();
    }
}
