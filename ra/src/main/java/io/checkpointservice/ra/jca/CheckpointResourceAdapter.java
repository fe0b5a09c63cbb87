package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ConfigValues;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.MemoryStore;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.time.Clock;
import java.util.Objects;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The adapter's life cycle on one node: {@link #start} checks the settings and opens the local
 * store and the service, {@link #stop} closes them. It holds no checkpoint logic itself.
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

    private transient volatile CheckpointService service;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        AdapterSettings settings;
        try {
            settings = AdapterSettings.parse(rawSettings());
        } catch (IllegalArgumentException e) {
            throw new ResourceAdapterInternalException(e.getMessage(), e);
        }
        LocalStore store;
        try {
            store = settings.storageMode() == StorageMode.DISK
                    ? DiskStore.open(settings.storageDirectory(), settings.syncPolicy())
                    : new MemoryStore();
        } catch (RuntimeException e) {
            throw new ResourceAdapterInternalException(e.getMessage(), e);
        }
        service = new CheckpointService(settings, store, Clock.systemUTC());
        LOG.info(() -> "checkpoint service started on node '" + settings.nodeName() + "': store "
                + store.describe() + ", " + store.list().size() + " segments, replicaCount "
                + settings.replicaCount() + ", maxSegmentBytes " + settings.maxSegmentBytes());
    }

    AdapterSettings.RawSettings rawSettings() {
        return new AdapterSettings.RawSettings(
                ConfigValues.resolve("nodeName", nodeName),
                ConfigValues.resolve("storageMode", storageMode),
                ConfigValues.resolve("storageDirectory", storageDirectory),
                ConfigValues.resolve("syncPolicy", syncPolicy),
                ConfigValues.resolve("maxSegmentBytes", maxSegmentBytes),
                ConfigValues.resolve("replicaCount", replicaCount));
    }

    @Override
    public void stop() {
        CheckpointService running = service;
        service = null;
        if (running != null) {
            running.close();
            LOG.info(() -> "checkpoint service stopped on node '" + running.settings().nodeName() + "'");
        }
    }

    /**
     * @return the running service
     * @throws ResourceException when the adapter is not started
     */
    CheckpointService service() throws ResourceException {
        CheckpointService running = service;
        if (running == null) {
            throw new ResourceException("the checkpoint resource adapter is not started");
        }
        return running;
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

    /** JCA requires equality by configuration. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CheckpointResourceAdapter other)) {
            return false;
        }
        return rawSettings().equals(other.rawSettings());
    }

    @Override
    public int hashCode() {
        return Objects.hash(rawSettings());
    }
}
