package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.EphemeralPortRange;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStores;
import io.checkpointservice.ra.threads.NodeThreads;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.infinispan.Cache;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.context.Flag;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

/**
 * This node's membership in the checkpoint cluster: starts an embedded Infinispan cache manager
 * on the adapter's own JGroups channel with the caches of {@link CacheDefinitions}, checks it
 * ({@link StartupChecks}), and hands out the cluster's records ({@link #directory()}) and chunk
 * copies ({@link #replicas()}). Leaving the cluster is {@link #close()}.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

    private final DefaultCacheManager cacheManager;
    private final Cache<String, String> records;
    private final Cache<String, byte[]> chunks;
    private final String nodeName;
    private final ChunkOwners chunkOwners;
    private final InfinispanSegmentDirectory directory;
    private final InfinispanReplicaStore replicas;
    private final AbandonedChunkSweeper sweeper;
    private final ForgottenRecords forgotten;
    /** Null until the journals were restored: nothing is forgotten before that. */
    private volatile TombstoneCompactor compactor;
    /** True when this node was away while the cluster forgot deleted segments ({@link CompactionMarker}). */
    private volatile boolean missedCompaction;
    private final GlobalStore globalStore;
    /** Null in memory mode. */
    private volatile ChunkJournal chunkJournal;
    /** Null without a global store, and until the global store's records were brought back. */
    private volatile GlobalArchiver archiver;
    /** How long {@link #close()} waits for background chunk removals (setting {@code stopRemovalsMillis}). */
    private final Duration stopRemovals;
    /** True when the settings name members other than this node (it is meant to run in a cluster). */
    private final boolean expectsPeers;

    private ClusterNode(DefaultCacheManager cacheManager, String nodeName, ClusterSettings settings, NodeThreads threads,
                        GlobalStore globalStore) {
        this.cacheManager = cacheManager;
        this.nodeName = nodeName;
        this.records = cacheManager.getCache(CacheDefinitions.RECORDS);
        this.chunks = cacheManager.getCache(CacheDefinitions.CHUNKS);
        ViewChanges views = new ViewChanges();
        cacheManager.addListener(views);
        this.chunkOwners = new ChunkOwners(chunks, cacheManager);
        MergeGate mergeGate = MergeGate.watching(InfinispanInternals.channel(cacheManager), List.of(records, chunks),
                views);
        this.forgotten = new ForgottenRecords(threads);
        records.addListener(forgotten);
        this.directory = new InfinispanSegmentDirectory(records, cacheManager, !StartupChecks.expectsPeers(settings),
                mergeGate, forgotten);
        this.replicas = new InfinispanReplicaStore(chunks, cacheManager, chunkOwners, views, nodeName);
        this.sweeper = new AbandonedChunkSweeper(chunks, records, settings.chunkSweepPeriod(), threads);
        cacheManager.addListener(sweeper);
        this.stopRemovals = settings.stopRemovals();
        this.globalStore = globalStore;
        this.expectsPeers = StartupChecks.expectsPeers(settings);
    }

    /**
     * Starts the cache manager and joins (or forms) the cluster, records in memory only.
     *
     * @param nodeName this node's unique name; becomes its JGroups logical name
     * @param replicaCount R; the chunk cache keeps R + 1 owners
     * @param threads where the chunk sweeps run; the caller closes it after this node
     * @throws ClusterUnavailableException when the channel cannot start, e.g. the port is taken
     */
    public static ClusterNode start(String nodeName, int replicaCount, ClusterSettings settings, NodeThreads threads) {
        return start(nodeName, replicaCount, settings, null, threads);
    }

    /**
     * Starts the cache manager and joins (or forms) the cluster. With a persistence directory,
     * the cluster's records ({@link RecordJournal}) and the chunks this node owns
     * ({@link ChunkJournal}) are also kept on this node's disk. The records kept there before are
     * brought back into the cluster before this returns; the chunks are put back afterwards, in
     * the background on {@code threads} ({@link KeptChunksPutBack}).
     *
     * @param persistence where to keep records and chunks on disk; null to keep them in memory only
     * With a global store configured, its records are brought into the cluster after the journals
     * ({@link GlobalRecovery}) and this node archives the versions it is chosen for
     * ({@link GlobalArchiver}).
     *
     * @param threads where the chunk sweeps and the archiver run; the caller closes it after this node
     * @throws ClusterUnavailableException when the channel cannot start, e.g. the port is taken
     * @throws io.checkpointservice.ra.config.InvalidSettingsException when the global store
     *     cannot be used, saying what to change
     */
    public static ClusterNode start(String nodeName, int replicaCount, ClusterSettings settings, Path persistence,
                                    NodeThreads threads) {
        long began = System.nanoTime();
        // Checked before joining: a node that cannot reach the store it is told to use refuses to start.
        GlobalStore globalStore = GlobalStores.open(settings.globalStore(), settings.retainVersions());
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.classLoader(ClusterNode.class.getClassLoader());
        global.cacheManagerName("checkpoint-" + nodeName);
        global.jmx().disable();
        global.transport()
                .clusterName(settings.clusterName())
                .nodeName(nodeName)
                .siteId(settings.siteId())
                .rackId(settings.rackId())
                .machineId(settings.machineId());
        String keyHandle = settings.secret() == null ? null
                : GcmSymEncrypt.register(settings.secret().deriveKey(settings.clusterName()));
        global.transport().addProperty(JGroupsTransport.CONFIGURATION_STRING, JGroupsStack.xml(settings, keyHandle));
        // Said before the start, not only on failure: a port in the range works until the start
        // when some outgoing connection happens to hold it.
        Optional<String> portWarning = EphemeralPortRange.ofThisHost().flatMap(r -> r.warningFor(settings.bindPort()));
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        ClusterNode started = null;
        boolean joined = false;
        GracefulCloseLogFilter.install();
        try {
            CacheDefinitions.define(manager, replicaCount, settings.capacityFactor());
            CompactionMarker.define(manager);
            if (persistence != null) {
                RecordJournal.define(manager, persistence.resolve("records"));
                ChunkJournal.define(manager, persistence.resolve("chunks"));
            }
            portWarning.ifPresent(LOG::warning);
            manager.start();
            long joinedMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();
            ClusterNode node = new ClusterNode(manager, nodeName, settings, threads, globalStore);
            started = node;
            StartupChecks.boundWhereConfigured(node.physicalAddresses(), settings.bindAddress());
            StartupChecks.sealed(manager, keyHandle != null);
            joined = true;
            CompactionMarker marker = CompactionMarker.open(manager, persistence);
            node.missedCompaction = marker.missedCompaction();
            if (persistence != null) {
                RecordJournal journal = RecordJournal.open(manager, node.records, !marker.missedCompaction());
                node.forgotten.onEach((key, last) -> journal.forget(key));
                node.chunkJournal = ChunkJournal.open(manager, node.chunks, node.chunkOwners, nodeName);
            }
            if (globalStore.configured()) {
                GlobalRecovery.restoreInto(node.records, globalStore);
                node.archiver = GlobalArchiver.start(node.records, manager, node.replicas, node.chunkOwners,
                        globalStore, nodeName, threads);
            }
            if (node.chunkJournal != null) {
                // After the records (the journal's and the global store's): they say which kept chunks count.
                node.chunkJournal.putBackInBackground(node.directory, node.replicas, threads);
            }
            node.compactor = new TombstoneCompactor(node.records, settings.tombstoneGrace(), globalStore, marker,
                    threads, Clock.systemUTC()).start();
            LOG.info(() -> "node '" + nodeName + "' joined checkpoint cluster '" + settings.clusterName()
                    + "' at " + node.physicalAddresses() + (keyHandle != null
                    ? " (traffic encrypted and authenticated, " + GcmSymEncrypt.ALGORITHM + ")"
                    : " (traffic in clear: loopback only)") + "; members " + node.members() + "; started in "
                    + Duration.ofNanos(System.nanoTime() - began).toMillis() + " ms (caches started and joined in "
                    + joinedMillis + " ms)");
            return node;
        } catch (RuntimeException e) {
            if (started != null) {
                started.closeChunkJournal();
                started.sweeper.close();
                started.closeArchiver();
                started.closeCompactor();
            }
            manager.stop();
            globalStore.close();
            GracefulCloseLogFilter.uninstall();
            if (joined) {
                // Bringing back what the disks or the global store kept failed: the network settings are not the cause.
                throw new ClusterUnavailableException("node '" + nodeName + "' joined checkpoint cluster '"
                        + settings.clusterName() + "' but did not start: " + e.getMessage(), e);
            }
            throw new ClusterUnavailableException("cannot join checkpoint cluster '" + settings.clusterName()
                    + "' on " + settings.bindAddress() + ":" + settings.bindPort() + ": " + e.getMessage()
                    + "; check bindAddress, bindPort (is the port free?) and initialHosts"
                    + portWarning.map(warning -> "; " + warning).orElse(""), e);
        } finally {
            if (keyHandle != null) {
                GcmSymEncrypt.forget(keyHandle);
            }
        }
    }

    /** @return the JGroups channel under Infinispan (for tests that cut the network) */
    JChannel channel() {
        return InfinispanInternals.channel(cacheManager);
    }

    /**
     * @return the record as this node holds it in memory, never asked of another node (for tests:
     *     the write path's read must be answered here, G1)
     */
    Optional<SegmentRecord> recordHeldHere(String key) {
        return Optional.ofNullable(SegmentRecord.decode(records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get(key)));
    }

    /** @return the cluster's records cache (for tests that make it refuse writes) */
    Cache<String, String> recordsCache() {
        return records;
    }

    /** @return the name of the primary owner of a chunk in the current topology (for tests: placement) */
    String primaryOwner(ChunkKey chunk) {
        return chunkOwners.primaryOwner(chunk);
    }

    /**
     * @return true when the chunk cache's topology holds every member of the view and no
     *     rebalance is under way (for tests: owners are final only then)
     */
    boolean chunksBalanced() {
        return chunkOwners.balanced();
    }

    /** @return the transport's physical addresses, as "ip:port" */
    public List<String> physicalAddresses() {
        return List.copyOf(cacheManager.getCacheManagerInfo().getPhysicalAddressesRaw());
    }

    /** @return the names of the current members, this node included */
    public List<String> members() {
        return cacheManager.getMembers().stream().map(Address::toString).collect(Collectors.toList());
    }

    /** @return true when the settings name members other than this node (multicast discovery, or other initialHosts) */
    public boolean expectsPeers() {
        return expectsPeers;
    }

    /** @return the names of the chunk's owners that are members now (for monitoring: the owners of a segment) */
    public List<String> liveOwners(ChunkKey chunk) {
        return chunkOwners.liveReadOwners(chunk);
    }

    /** @return how many segment records, tombstones and claims included, this node holds */
    public int recordsHeld() {
        return records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_CACHE_LOAD).size();
    }

    /**
     * @return how many entries this node's record journal and chunk journal hold on disk together
     *     (disk mode; 0 in memory mode): records the cluster has and chunks this node owns
     */
    public int journalEntries() {
        int entries = 0;
        for (String journal : new String[] {RecordJournal.CACHE, ChunkJournal.CACHE}) {
            if (cacheManager.cacheExists(journal)) {
                entries += cacheManager.getCache(journal).size();
            }
        }
        return entries;
    }

    /** @return the chunk copies this node holds; reads every chunk key held here (for monitoring) */
    public HeldCopies heldCopies() {
        return HeldCopies.of(chunks);
    }

    /** @return this node's name */
    public String nodeName() {
        return nodeName;
    }

    /** @return the cluster-wide segment records */
    public SegmentDirectory directory() {
        return directory;
    }

    /** @return the chunk copies on replica nodes */
    public ReplicaStore replicas() {
        return replicas;
    }

    /** @return the global store ({@link GlobalStore#NONE} when none is configured) */
    public GlobalStore globalStore() {
        return globalStore;
    }

    /**
     * @return true when this node was away while the cluster forgot deleted segments: its local
     *     copies of segments the cluster has no record of may be such segments and must not come back
     */
    public boolean missedCompaction() {
        return missedCompaction;
    }

    private void closeCompactor() {
        TombstoneCompactor running = compactor;
        if (running != null) {
            running.close();
        }
    }

    private void closeChunkJournal() {
        ChunkJournal journal = chunkJournal;
        if (journal != null) {
            journal.close(stopRemovals.toMillis());
        }
    }

    /**
     * @return true when the versions this node's chunk journal kept have been put back where no
     *     owner held them (disk mode; at once in memory mode), waiting at most {@code timeout}
     */
    public boolean awaitKeptVersionsPutBack(Duration timeout) throws InterruptedException {
        ChunkJournal journal = chunkJournal;
        return journal == null || journal.awaitPutBack(timeout.toMillis());
    }

    private void closeArchiver() {
        GlobalArchiver running = archiver;
        if (running != null) {
            running.close();
        }
    }

    /** Leaves the cluster; the other members take over this node's copies. */
    @Override
    public void close() {
        closeChunkJournal();
        closeCompactor();
        closeArchiver();
        sweeper.close();
        replicas.awaitRemovals(stopRemovals.toMillis());
        cacheManager.stop();
        globalStore.close();
        GracefulCloseLogFilter.uninstall();
    }
}
