package io.checkpointservice.replica;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.InvalidSettingsException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * A storage-only replica node: {@code java -jar checkpoint-replica-node.jar} with the same
 * {@code -Dcheckpoint.<name>} settings as the adapter. It joins the checkpoint cluster and holds
 * replica copies like any adapter node, but runs no application, so it writes and loads nothing
 * of its own. Stops cleanly on SIGTERM or Ctrl-C, handing its copies to the remaining members.
 */
public final class ReplicaNode {

    private static final Logger LOG = Logger.getLogger(ReplicaNode.class.getName());

    /** The cluster settings a replica node reads; the same names as the adapter's properties. */
    static final String[] CLUSTER_PROPERTIES = {"clusterName", "bindAddress", "bindPort", "discovery",
        "initialHosts", "siteId", "rackId", "machineId", "capacityFactor", "clusterSecret", "clusterSecretFile"};

    private ReplicaNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        ClusterNode node;
        try {
            node = start();
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("replica node '" + node.nodeName() + "' leaving the cluster");
            node.close();
            stopped.countDown();
        }, "checkpoint-replica-shutdown"));
        System.out.println("replica node '" + node.nodeName() + "' ready at " + node.physicalAddresses()
                + ", members " + node.members());
        stopped.await();
    }

    /** Reads the settings from system properties and joins the cluster. */
    static ClusterNode start() {
        AdapterSettings settings = AdapterSettings.parse(new AdapterSettings.RawSettings(
                ConfigValues.resolve("nodeName", null),
                "memory",
                null,
                null,
                ConfigValues.resolve("maxSegmentBytes", null),
                ConfigValues.resolve("replicaCount", null)));
        Map<String, String> raw = new HashMap<>();
        for (String property : CLUSTER_PROPERTIES) {
            String value = ConfigValues.resolve(property, null);
            if (value != null) {
                raw.put(property, value);
            }
        }
        ClusterSettings cluster = ClusterSettings.parse(raw);
        return ClusterNode.start(settings.nodeName(), settings.replicaCount(), cluster);
    }
}
