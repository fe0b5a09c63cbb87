package io.checkpointservice.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;

/** The end of a manual node's part in a test, whatever state the test left it in. */
public final class NodeShutdown {

    private NodeShutdown() {
    }

    /**
     * Undeploys {@code deployments} from {@code node} in reverse order (so that the next test
     * class deploys afresh) if its server runs, stops the server, and kills any server JVM of the
     * node still running after that.
     *
     * @return what went wrong, empty when nothing did; the caller fails the test with it
     */
    public static List<String> undeployAndStop(ContainerController controller, Deployer deployer, Nodes node,
            List<String> deployments, Duration killTimeout) {
        List<String> problems = new ArrayList<>();
        if (controller.isStarted(node.qualifier())) {
            for (int i = deployments.size() - 1; i >= 0; i--) {
                try {
                    deployer.undeploy(deployments.get(i));
                } catch (RuntimeException e) {
                    problems.add("undeploy " + deployments.get(i) + ": " + e);
                }
            }
            try {
                controller.stop(node.qualifier());
            } catch (RuntimeException e) {
                problems.add("stop " + node.qualifier() + ": " + e);
            }
        }
        List<Long> killed = node.killServerProcesses(killTimeout);
        if (!killed.isEmpty()) {
            problems.add(node.qualifier() + " was still running after stop; killed pids " + killed);
        }
        return problems;
    }
}
