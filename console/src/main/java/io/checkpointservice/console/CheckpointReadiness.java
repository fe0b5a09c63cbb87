package io.checkpointservice.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness: DOWN while a node configured with peers has joined none, while a
 * node's segments stay below R copies longer than the limit, or while no node runs here
 * ({@link ReadinessRules}). Its data names each node's members and the reasons.
 */
@Readiness
@ApplicationScoped
public class CheckpointReadiness implements HealthCheck {

    static final String NAME = "checkpoint-readiness";

    @Inject
    private ConsoleState state;

    @Override
    public HealthCheckResponse call() {
        Status status = state.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(status.ready());
        for (NodeView node : status.reading().nodes()) {
            response.withData(node.nodeName() + ".members", String.join(",", node.clusterMembers()));
            response.withData(node.nodeName() + ".underReplicatedSegments", node.underReplicatedSegments());
        }
        for (int i = 0; i < status.notReady().size(); i++) {
            response.withData("reason." + (i + 1), status.notReady().get(i));
        }
        return response.build();
    }
}
