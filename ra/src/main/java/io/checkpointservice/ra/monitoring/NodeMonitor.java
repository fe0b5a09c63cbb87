package io.checkpointservice.ra.monitoring;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.threads.NodeThreads;
import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * What an operator sees of one node, for as long as it runs: its MBean on the platform
 * MBeanServer (so every application server and plain JVM shows it, with no server-specific
 * API) and the {@link HealthWatch} that warns in the log. Monitoring never stops the service: a
 * node whose MBean cannot be registered runs without it and says why.
 */
public final class NodeMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeMonitor.class.getName());
    /** The JMX domain of the adapter's MBeans. */
    public static final String DOMAIN = "io.checkpointservice";

    private final HealthWatch watch;
    private final ObjectName name;
    private final boolean registered;

    private NodeMonitor(HealthWatch watch, ObjectName name, boolean registered) {
        this.watch = watch;
        this.name = name;
        this.registered = registered;
    }

    /**
     * @return the MBean's name, {@code io.checkpointservice:type=CheckpointNode,name=<nodeName>}: the
     *     node name keeps the nodes of one JVM (tests, benchmarks) apart; node names need no quoting
     */
    public static ObjectName objectName(String nodeName) {
        try {
            return new ObjectName(DOMAIN + ":type=CheckpointNode,name=" + nodeName);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("node name '" + nodeName + "' cannot name an MBean: " + e.getMessage(), e);
        }
    }

    /**
     * Starts watching the node and registers its MBean.
     *
     * @param store the node's local store
     * @param replicator the node's publisher: its backlog
     * @param metrics the node's event counters
     * @param ownership the segments the node writes
     * @param threads where the watch runs every second
     */
    public static NodeMonitor start(AdapterSettings settings, ClusterNode cluster, LocalStore store,
                                    Replicator replicator, NodeMetrics metrics, Ownership ownership,
                                    NodeThreads threads) {
        MemberReachability members = new MemberReachability();
        UnderReplication underReplication = new UnderReplication(settings.replicaCount(), ownership,
                cluster.directory(), cluster.replicas());
        HealthWatch watch = new HealthWatch(threads, replicator, underReplication, members, cluster::members,
                settings.replicaCount(), settings.backlogWarnSegments(), settings.underReplicatedWarnAfter());
        CheckpointNodeBean bean = new CheckpointNodeBean(settings.nodeName(), settings.replicaCount(), cluster,
                store, replicator, metrics, watch, members);
        ObjectName name = objectName(settings.nodeName());
        boolean registered = register(bean, name);
        watch.start();
        return new NodeMonitor(watch, name, registered);
    }

    private static boolean register(CheckpointNodeBean bean, ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return true;
        } catch (InstanceAlreadyExistsException e) {
            LOG.warning("MBean " + name + " is already registered in this JVM: another checkpoint node with this "
                    + "nodeName runs here, or one was not stopped. This node runs without its MBean; give each "
                    + "node of a JVM its own nodeName");
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "MBean " + name + " cannot be registered; this node runs without it: " + e, e);
        }
        return false;
    }

    /** @return the MBean's name */
    public ObjectName name() {
        return name;
    }

    /** Stops watching and unregisters the MBean. */
    @Override
    public void close() {
        watch.close();
        if (!registered) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // unregistered by someone else meanwhile: nothing left to do
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "MBean " + name + " cannot be unregistered: " + e, e);
        }
    }
}
