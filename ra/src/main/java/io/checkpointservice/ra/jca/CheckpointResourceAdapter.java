package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.InvalidSettingsException;
import io.checkpointservice.ra.config.Setting;
import io.checkpointservice.ra.config.Settings;
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
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The adapter's life cycle on one node: {@link #start} checks the settings and opens the local
 * store and the service on the server's threads, {@link #stop} closes them. It holds no
 * checkpoint logic itself.
 *
 * <p>Every config property is a setting declared in {@link Settings}, where its values, default
 * and meaning are (and, from there, in the README's configuration table); it can also be given per
 * node as the system property {@code checkpoint.<property>}, which wins over the value here. A
 * property not configured is null here and takes the declared default.
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

    @ConfigProperty
    private String nodeName;

    @ConfigProperty
    private String storageMode;

    @ConfigProperty
    private String storageDirectory;

    @ConfigProperty
    private String syncPolicy;

    @ConfigProperty
    private String maxSegmentBytes;

    @ConfigProperty
    private String replicaCount;

    @ConfigProperty
    private String replicationWorkers;

    @ConfigProperty
    private String clusterName;

    @ConfigProperty
    private String bindAddress;

    @ConfigProperty
    private String bindPort;

    @ConfigProperty
    private String discovery;

    @ConfigProperty
    private String initialHosts;

    @ConfigProperty
    private String multicastAddress;

    @ConfigProperty
    private String siteId;

    @ConfigProperty
    private String rackId;

    @ConfigProperty
    private String machineId;

    @ConfigProperty
    private String capacityFactor;

    @ConfigProperty
    private String heartbeatIntervalMillis;

    @ConfigProperty
    private String failureDetectionTimeoutMillis;

    @ConfigProperty
    private String suspectVerifyMillis;

    @ConfigProperty
    private String chunkSweepSeconds;

    @ConfigProperty
    private String stopDrainMillis;

    @ConfigProperty
    private String stopWorkersMillis;

    @ConfigProperty
    private String stopRemovalsMillis;

    @ConfigProperty
    private String globalStore;

    @ConfigProperty
    private String globalStoreUser;

    @ConfigProperty
    private String globalStorePasswordFile;

    @ConfigProperty
    private String tombstoneGraceSeconds;

    @ConfigProperty
    private String retainVersions;

    @ConfigProperty
    private String backlogWarnSegments;

    @ConfigProperty
    private String underReplicatedWarnSeconds;

    @ConfigProperty(confidential = true)
    private String clusterSecret;

    @ConfigProperty
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
            Map<String, String> raw = ConfigValues.resolve(Setting.Scope.ADAPTER, configured());
            List<String> problems = new ArrayList<>();
            AdapterSettings settings = parsed(() -> AdapterSettings.parse(raw), problems);
            ClusterSettings clusterSettings = parsed(() -> ClusterSettings.parse(raw), problems);
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            List<String> unknown = ConfigValues.unknownSystemProperties();
            if (!unknown.isEmpty()) {
                LOG.warning(() -> "system properties " + unknown + " name no setting of the checkpoint adapter "
                        + "and are ignored; its settings are listed in the README's configuration table");
            }
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

    /** Parses one part of the settings, adding its problems to the others' so that one message names all. */
    private static <T> T parsed(Supplier<T> parse, List<String> problems) {
        try {
            return parse.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /**
     * @return the value of every config property of this bean by name, null when not configured.
     *     The fields are the config properties: their names are the settings' names
     *     (ConfigPropertiesTest checks them against {@link Settings}).
     */
    Map<String, String> configured() {
        Map<String, String> values = new HashMap<>();
        for (Field field : CheckpointResourceAdapter.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(ConfigProperty.class)) {
                try {
                    values.put(field.getName(), (String) field.get(this));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read config property " + field.getName(), e);
                }
            }
        }
        return values;
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

    public String getMulticastAddress() {
        return multicastAddress;
    }

    public void setMulticastAddress(String multicastAddress) {
        this.multicastAddress = multicastAddress;
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

    public String getHeartbeatIntervalMillis() {
        return heartbeatIntervalMillis;
    }

    public void setHeartbeatIntervalMillis(String heartbeatIntervalMillis) {
        this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    }

    public String getFailureDetectionTimeoutMillis() {
        return failureDetectionTimeoutMillis;
    }

    public void setFailureDetectionTimeoutMillis(String failureDetectionTimeoutMillis) {
        this.failureDetectionTimeoutMillis = failureDetectionTimeoutMillis;
    }

    public String getSuspectVerifyMillis() {
        return suspectVerifyMillis;
    }

    public void setSuspectVerifyMillis(String suspectVerifyMillis) {
        this.suspectVerifyMillis = suspectVerifyMillis;
    }

    public String getChunkSweepSeconds() {
        return chunkSweepSeconds;
    }

    public void setChunkSweepSeconds(String chunkSweepSeconds) {
        this.chunkSweepSeconds = chunkSweepSeconds;
    }

    public String getStopDrainMillis() {
        return stopDrainMillis;
    }

    public void setStopDrainMillis(String stopDrainMillis) {
        this.stopDrainMillis = stopDrainMillis;
    }

    public String getStopWorkersMillis() {
        return stopWorkersMillis;
    }

    public void setStopWorkersMillis(String stopWorkersMillis) {
        this.stopWorkersMillis = stopWorkersMillis;
    }

    public String getStopRemovalsMillis() {
        return stopRemovalsMillis;
    }

    public void setStopRemovalsMillis(String stopRemovalsMillis) {
        this.stopRemovalsMillis = stopRemovalsMillis;
    }

    public String getGlobalStore() {
        return globalStore;
    }

    public void setGlobalStore(String globalStore) {
        this.globalStore = globalStore;
    }

    public String getGlobalStoreUser() {
        return globalStoreUser;
    }

    public void setGlobalStoreUser(String globalStoreUser) {
        this.globalStoreUser = globalStoreUser;
    }

    public String getGlobalStorePasswordFile() {
        return globalStorePasswordFile;
    }

    public void setGlobalStorePasswordFile(String globalStorePasswordFile) {
        this.globalStorePasswordFile = globalStorePasswordFile;
    }

    public String getTombstoneGraceSeconds() {
        return tombstoneGraceSeconds;
    }

    public void setTombstoneGraceSeconds(String tombstoneGraceSeconds) {
        this.tombstoneGraceSeconds = tombstoneGraceSeconds;
    }

    public String getRetainVersions() {
        return retainVersions;
    }

    public void setRetainVersions(String retainVersions) {
        this.retainVersions = retainVersions;
    }

    public String getBacklogWarnSegments() {
        return backlogWarnSegments;
    }

    public void setBacklogWarnSegments(String backlogWarnSegments) {
        this.backlogWarnSegments = backlogWarnSegments;
    }

    public String getUnderReplicatedWarnSeconds() {
        return underReplicatedWarnSeconds;
    }

    public void setUnderReplicatedWarnSeconds(String underReplicatedWarnSeconds) {
        this.underReplicatedWarnSeconds = underReplicatedWarnSeconds;
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
        return configured().equals(other.configured());
    }

    @Override
    public int hashCode() {
        return configured().hashCode();
    }
}
