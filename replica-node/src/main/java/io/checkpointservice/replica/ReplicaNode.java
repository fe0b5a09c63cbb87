package io.checkpointservice.replica;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.InvalidSettingsException;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import java.nio.file.Path;
import java.util.List;
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


    private ReplicaNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        PlainNodeThreads threads = new PlainNodeThreads("checkpoint-replica");
        ClusterNode node;
        try {
            node = start(threads);
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("replica node '" + node.nodeName() + "' leaving the cluster");
            node.close();
            threads.close();
            stopped.countDown();
        }, "checkpoint-replica-shutdown"));
        System.out.println("replica node '" + node.nodeName() + "' ready at " + node.physicalAddresses()
                + ", members " + node.members());
        stopped.await();
    }

    /** Reads the settings from system properties and joins the cluster; its sweeps run on {@code threads}. */
    static ClusterNode start(PlainNodeThreads threads) {
        // A replica node holds replica chunks only; in disk mode it keeps them (and the cluster's
        // records) on its disk too, so that they outlive a restart of the whole cluster.
        AdapterSettings settings = AdapterSettings.fromSystemProperties("memory");
        List<String> unknown = ConfigValues.unknownSystemProperties();
        if (!unknown.isEmpty()) {
            LOG.warning("system properties " + unknown + " name no setting and are ignored");
        }
        Path persistence = settings.storageMode() == StorageMode.DISK
                ? settings.storageDirectory().resolve(CheckpointNode.CLUSTER_DIRECTORY) : null;
        return ClusterNode.start(settings.nodeName(), settings.replicaCount(), ClusterSettings.fromSystemProperties(),
                persistence, threads);
    }
}
