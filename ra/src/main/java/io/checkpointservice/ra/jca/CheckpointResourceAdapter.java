package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.service.CheckpointService;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The adapter's life cycle on one node: {@link #start} checks the settings and opens the local
 * store and the service on the server's threads, {@link #stop} closes them. It holds no
 * checkpoint logic itself.
 *
 * <p>Every config property can also be given per node as the system property
 * {@code checkpoint.<property>}, which wins over the value here.
 */
@Connector(
        displayName = "Checkpoint Service",
        description = "Local-first checkpoints of application state, replicated in the background",
        vendorName = "io.checkpointservice",
        eisType = "Checkpoint Service",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
        reauthenticationSupport = false)
public class CheckpointResourceAdapter implements ResourceAdapter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CheckpointResourceAdapter.class.getName());

    @ConfigProperty(description = "This node's name in the cluster and in Checkpoint.originNode(). "
            + "Default: jboss.node.name, else the host name.")
    private String nodeName;

    @ConfigProperty(defaultValue = "disk", description = "Local storage: 'disk' (one file per segment, "
            + "survives a restart) or 'memory' (fastest, lost with the process).")
    private String storageMode = "disk";

    @ConfigProperty(description = "Directory of disk mode. Default: ${jboss.server.data.dir}/checkpoint.")
    private String storageDirectory;

    @ConfigProperty(defaultValue = "fsync", description = "Disk mode durability when write returns: "
            + "'fsync' (file and directory forced to the device) or 'none' (operating system cache; "
            + "survives a process crash, not a power loss).")
    private String syncPolicy = "fsync";

    @ConfigProperty(defaultValue = "67108864", description = "Largest segment a write accepts, in bytes.")
    private String maxSegmentBytes = "67108864";

    @ConfigProperty(defaultValue = "2", description = "R: how many nodes other than the writer hold "
            + "a copy of every segment; awaitReplicated waits for R.")
    private String replicaCount = "2";

    @ConfigProperty(defaultValue = "4", description = "How many segments this node publishes to its "
            + "replicas in parallel (replication worker threads on the adapter's WorkManager), 1 to 64.")
    private String replicationWorkers = "4";

    @ConfigProperty(defaultValue = "checkpoint-service", description = "Name of the checkpoint cluster's "
            + "own JGroups channel; every node of one service uses the same name.")
    private String clusterName = "checkpoint-service";

    @ConfigProperty(defaultValue = "127.0.0.1", description = "Address the checkpoint cluster binds to.")
    private String bindAddress = "127.0.0.1";

    @ConfigProperty(description = "TCP port of the checkpoint cluster. Default: 26200 plus "
            + "jboss.socket.binding.port-offset.")
    private String bindPort;

    @ConfigProperty(defaultValue = "static", description = "Member discovery: 'static' (initialHosts) "
            + "or 'multicast'.")
    private String discovery = "static";

    @ConfigProperty(description = "Static discovery: comma-separated host[port] of members, e.g. "
            + "'10.0.0.1[26200],10.0.0.2[26200]'. Default: this node only.")
    private String initialHosts;

    @ConfigProperty(description = "Topology: site id; replicas are spread over sites, racks, machines.")
    private String siteId;

    @ConfigProperty(description = "Topology: rack id.")
    private String rackId;

    @ConfigProperty(description = "Topology: machine id.")
    private String machineId;

    @ConfigProperty(defaultValue = "1.0", description = "This node's share of replica copies relative "
            + "to other nodes; 0 holds none.")
    private String capacityFactor = "1.0";

    @ConfigProperty(defaultValue = "600", description = "Seconds between this node's sweeps of chunks no "
            + "record can point at again (a crashed writer's unfinished publication once taken over, a "
            + "failed removal), 1 to 86400; a sweep also follows every merge after a network split.")
    private String chunkSweepSeconds = "600";

    @ConfigProperty(confidential = true, description = "Shared secret of the checkpoint cluster, at least "
            + "16 characters, the same on every node: when set, all cluster traffic is encrypted and "
            + "authenticated (AES-256-GCM, key derived from it). Required unless bindAddress is loopback. "
            + "Prefer clusterSecretFile: system properties show in process listings.")
    private String clusterSecret;

    @ConfigProperty(description = "File holding the cluster secret (instead of clusterSecret); "
            + "readable by the server's user only.")
    private String clusterSecretFile;

    private transient volatile CheckpointNode node;
    private transient volatile WorkManagerThreads threads;

    /**
     * @param context the server's; required: every thread of the node is the server's (its
     *     WorkManager and a timer of this context), none the adapter's own
     */
    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        if (context == null) {
            throw new ResourceAdapterInternalException("checkpoint adapter cannot start without a BootstrapContext: "
                    + "it runs its work on the application server's WorkManager (a JVM without a server embeds "
                    + "io.checkpointservice.ra.service.CheckpointNode with PlainNodeThreads instead)");
        }
        WorkManagerThreads started = null;
        try {
            AdapterSettings settings = AdapterSettings.parse(rawSettings());
            ClusterSettings clusterSettings = ClusterSettings.parse(rawClusterSettings());
            started = new WorkManagerThreads(context);
            node = CheckpointNode.start(settings, clusterSettings, started);
            threads = started;
        } catch (UnavailableException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            throw new ResourceAdapterInternalException("checkpoint adapter cannot start: " + e.getMessage(), e);
        }
    }

    AdapterSettings.RawSettings rawSettings() {
        return new AdapterSettings.RawSettings(
                ConfigValues.resolve("nodeName", nodeName),
                ConfigValues.resolve("storageMode", storageMode),
                ConfigValues.resolve("storageDirectory", storageDirectory),
                ConfigValues.resolve("syncPolicy", syncPolicy),
                ConfigValues.resolve("maxSegmentBytes", maxSegmentBytes),
                ConfigValues.resolve("replicaCount", replicaCount),
                ConfigValues.resolve("replicationWorkers", replicationWorkers));
    }

    Map<String, String> rawClusterSettings() {
        Map<String, String> raw = new HashMap<>();
        raw.put("clusterName", ConfigValues.resolve("clusterName", clusterName));
        raw.put("bindAddress", ConfigValues.resolve("bindAddress", bindAddress));
        raw.put("bindPort", ConfigValues.resolve("bindPort", bindPort));
        raw.put("discovery", ConfigValues.resolve("discovery", discovery));
        raw.put("initialHosts", ConfigValues.resolve("initialHosts", initialHosts));
        raw.put("siteId", ConfigValues.resolve("siteId", siteId));
        raw.put("rackId", ConfigValues.resolve("rackId", rackId));
        raw.put("machineId", ConfigValues.resolve("machineId", machineId));
        raw.put("capacityFactor", ConfigValues.resolve("capacityFactor", capacityFactor));
        raw.put("chunkSweepSeconds", ConfigValues.resolve("chunkSweepSeconds", chunkSweepSeconds));
        raw.put("clusterSecret", ConfigValues.resolve("clusterSecret", clusterSecret));
        raw.put("clusterSecretFile", ConfigValues.resolve("clusterSecretFile", clusterSecretFile));
        raw.values().removeIf(Objects::isNull);
        return raw;
    }

    @Override
    public void stop() {
        CheckpointNode running = node;
        node = null;
        if (running != null) {
            running.close();
            LOG.info(() -> "checkpoint service stopped on node '" + running.service().settings().nodeName() + "'");
        }
        WorkManagerThreads used = threads;
        threads = null;
        if (used != null) {
            used.close();
        }
    }

    /**
     * @return the running service
     * @throws ResourceException when the adapter is not started
     */
    CheckpointService service() throws ResourceException {
        CheckpointNode running = node;
        if (running == null) {
            throw new ResourceException("the checkpoint resource adapter is not started");
        }
        return running.service();
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new NotSupportedException("the checkpoint adapter has no inbound messages");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // Nothing was activated.
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getStorageMode() {
        return storageMode;
    }

    public void setStorageMode(String storageMode) {
        this.storageMode = storageMode;
    }

    public String getStorageDirectory() {
        return storageDirectory;
    }

    public void setStorageDirectory(String storageDirectory) {
        this.storageDirectory = storageDirectory;
    }

    public String getSyncPolicy() {
        return syncPolicy;
    }

    public void setSyncPolicy(String syncPolicy) {
        this.syncPolicy = syncPolicy;
    }

    public String getMaxSegmentBytes() {
        return maxSegmentBytes;
    }

    public void setMaxSegmentBytes(String maxSegmentBytes) {
        this.maxSegmentBytes = maxSegmentBytes;
    }

    public String getReplicaCount() {
        return replicaCount;
    }

    public void setReplicaCount(String replicaCount) {
        this.replicaCount = replicaCount;
    }

    public String getReplicationWorkers() {
        return replicationWorkers;
    }

    public void setReplicationWorkers(String replicationWorkers) {
        this.replicationWorkers = replicationWorkers;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public String getBindPort() {
        return bindPort;
    }

    public void setBindPort(String bindPort) {
        this.bindPort = bindPort;
    }

    public String getDiscovery() {
        return discovery;
    }

    public void setDiscovery(String discovery) {
        this.discovery = discovery;
    }

    public String getInitialHosts() {
        return initialHosts;
    }

    public void setInitialHosts(String initialHosts) {
        this.initialHosts = initialHosts;
    }

    public String getSiteId() {
        return siteId;
    }

    public void setSiteId(String siteId) {
        this.siteId = siteId;
    }

    public String getRackId() {
        return rackId;
    }

    public void setRackId(String rackId) {
        this.rackId = rackId;
    }

    public String getMachineId() {
        return machineId;
    }

    public void setMachineId(String machineId) {
        this.machineId = machineId;
    }

    public String getCapacityFactor() {
        return capacityFactor;
    }

    public void setCapacityFactor(String capacityFactor) {
        this.capacityFactor = capacityFactor;
    }

    public String getChunkSweepSeconds() {
        return chunkSweepSeconds;
    }

    public void setChunkSweepSeconds(String chunkSweepSeconds) {
        this.chunkSweepSeconds = chunkSweepSeconds;
    }

    public String getClusterSecret() {
        return clusterSecret;
    }

    public void setClusterSecret(String clusterSecret) {
        this.clusterSecret = clusterSecret;
    }

    public String getClusterSecretFile() {
        return clusterSecretFile;
    }

    public void setClusterSecretFile(String clusterSecretFile) {
        this.clusterSecretFile = clusterSecretFile;
    }

    /** JCA requires equality by configuration. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CheckpointResourceAdapter other)) {
            return false;
        }
        return rawSettings().equals(other.rawSettings()) && rawClusterSettings().equals(other.rawClusterSettings());
    }

    @Override
    public int hashCode() {
        return Objects.hash(rawSettings(), rawClusterSettings());
    }
}
