package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.EphemeralPortRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.commands.functional.ReadOnlyKeyCommand;
import org.infinispan.commons.CacheException;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.context.Flag;
import org.infinispan.distribution.DistributionInfo;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.distribution.group.Grouper;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.functional.Param;
import org.infinispan.functional.impl.Params;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.impl.InternalCacheManager;
import org.infinispan.marshall.core.MarshallableFunctions;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.remoting.inboundhandler.DeliverOrder;
import org.infinispan.remoting.responses.Response;
import org.infinispan.remoting.responses.SuccessfulResponse;
import org.infinispan.remoting.rpc.RpcOptions;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.impl.MapResponseCollector;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.infinispan.topology.CacheTopology;
import org.jgroups.JChannel;

/**
 * This node's membership in the checkpoint cluster: an embedded Infinispan cache manager on its
 * own JGroups channel, with two caches.
 *
 * <ul>
 *   <li>{@value #RECORDS}: replicated (REPL_SYNC), one {@link SegmentRecord} per segment on every
 *       node, so reads are local and a change returns only when every node has it.</li>
 *   <li>{@value #CHUNKS}: distributed (DIST_SYNC) with {@code numOwners = R + 1}, chunks grouped
 *       by segment so all chunks of a segment share their owners. Infinispan places keys by hash
 *       and cannot be told to avoid the writer; with R + 1 owners at most one of them is the
 *       writer, so at least R are other nodes (G2). Topology ids make the owners spread over
 *       sites, racks and machines; state transfer restores R + 1 owners when members change
 *       (G10).</li>
 * </ul>
 */
public final class ClusterNode implements AutoCloseable {

    static final String RECORDS = "checkpoint-records";
    static final String CHUNKS = "checkpoint-chunks";
    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    /** Questions of {@code confirmCopiesOutside} of a batch out at once; each is a few hundred bytes. */
    static final int QUESTIONS_IN_FLIGHT = 1_024;
    /**
     * Placements {@link Replicas#placementFor} tries before it gives up and places by the segment
     * key (correct, only slower): a try hits with odds of about 1 / N on N equal members, so all
     * 1,024 miss with odds of about 1 in 10^9 on 50 members.
     */
    static final int MAX_PLACEMENT_TRIES = 1_024;

    private final DefaultCacheManager cacheManager;
    private final Cache<String, String> records;
    private final Cache<String, byte[]> chunks;
    /** Chunk removals started by {@link Replicas#removeChunkLater} that have not finished yet. */
    private final AtomicInteger removalsInFlight = new AtomicInteger();
    private final String nodeName;
    private final AbandonedChunkSweeper sweeper;
    private final MergeGate mergeGate;
    /** See {@link SegmentDirectory#isInformed()}; starts true when no other host is configured. */
    private volatile boolean informed;

    private ClusterNode(DefaultCacheManager cacheManager, String nodeName, Duration sweepPeriod) {
        this.cacheManager = cacheManager;
        this.nodeName = nodeName;
        this.records = cacheManager.getCache(RECORDS);
        this.chunks = cacheManager.getCache(CHUNKS);
        this.sweeper = new AbandonedChunkSweeper(chunks, records, sweepPeriod);
        cacheManager.addListener(sweeper);
        this.mergeGate = MergeGate.watching(channel(), List.of(records, chunks));
    }

    /**
     * Starts the cache manager and joins (or forms) the cluster.
     *
     * @param nodeName this node's unique name; becomes its JGroups logical name
     * @param replicaCount R; the chunk cache keeps R + 1 owners
     * @throws ClusterUnavailableException when the channel cannot start, e.g. the port is taken
     */
    public static ClusterNode start(String nodeName, int replicaCount, ClusterSettings settings) {
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
        try {
            // Network splits (docs/RELIABILITY.md): both sides stay writable, so a node that lost
            // its peers can still load and write (G4 needs that: a crash and a split look alike).
            // When the views merge, records keep the lineage of the last take-over on every node
            // and chunks keep every copy of either side: chunk keys never collide across lineages.
            // A joiner's start returns only once it holds every record (Infinispan's default,
            // spelled out because G1 rests on it: the write path reads the record here).
            manager.defineConfiguration(RECORDS, new ConfigurationBuilder()
                    .clustering().cacheMode(CacheMode.REPL_SYNC).stateTransfer().awaitInitialTransfer(true)
                    .partitionHandling().whenSplit(PartitionHandling.ALLOW_READ_WRITES)
                    .mergePolicy(new RecordMergePolicy())
                    .build());
            manager.defineConfiguration(CHUNKS, new ConfigurationBuilder()
                    .clustering().cacheMode(CacheMode.DIST_SYNC)
                    .hash().numOwners(replicaCount + 1).capacityFactor(settings.capacityFactor())
                    .groups().enabled(true).addGrouper(new SegmentGrouper())
                    .partitionHandling().whenSplit(PartitionHandling.ALLOW_READ_WRITES)
                    .mergePolicy(MergePolicy.PREFERRED_NON_NULL)
                    .build());
            portWarning.ifPresent(LOG::warning);
            manager.start();
            ClusterNode node = new ClusterNode(manager, nodeName, settings.chunkSweepPeriod());
            node.informed = !expectsPeers(settings);
            node.checkBoundWhereConfigured(settings.bindAddress());
            node.checkSealed(keyHandle != null);
            LOG.info(() -> "node '" + nodeName + "' joined checkpoint cluster '" + settings.clusterName()
                    + "' at " + node.physicalAddresses() + (keyHandle != null
                    ? " (traffic encrypted and authenticated, " + GcmSymEncrypt.ALGORITHM + ")"
                    : " (traffic in clear: loopback only)") + "; members " + node.members());
            return node;
        } catch (RuntimeException e) {
            manager.stop();
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

    /** Refuses to run in clear when a secret is configured, whatever became of the stack. */
    private void checkSealed(boolean secured) {
        if (secured && channel().getProtocolStack().findProtocol(GcmSymEncrypt.class) == null) {
            throw new IllegalStateException("the JGroups stack lacks " + GcmSymEncrypt.class.getSimpleName());
        }
    }

    /** @return the JGroups channel under Infinispan */
    JChannel channel() {
        return ((JGroupsTransport) InternalCacheManager.of(cacheManager).getComponent(Transport.class)).getChannel();
    }

    /**
     * @return the record as this node holds it in memory, never asked of another node (for tests:
     *     the write path's read must be answered here, G1)
     */
    Optional<SegmentRecord> recordHeldHere(String key) {
        return Optional.ofNullable(SegmentRecord.decode(records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get(key)));
    }

    /** @return the name of the primary owner of a chunk in the current topology (for tests: placement) */
    String primaryOwner(ChunkKey chunk) {
        return distributionIn(chunkTopology(), chunk.cacheKey()).primary().toString();
    }

    /** @return the chunk cache's current topology: who owns which segment, as this node knows it now */
    private LocalizedCacheTopology chunkTopology() {
        return chunks.getAdvancedCache().getDistributionManager().getCacheTopology();
    }

    /**
     * @return the owners of a chunk key in the given topology; one topology for several keys
     *     keeps their answers consistent with each other while a rebalance goes on
     */
    private DistributionInfo distributionIn(LocalizedCacheTopology topology, String cacheKey) {
        return topology.getDistribution(chunks.getAdvancedCache().getKeyDataConversion().toStorage(cacheKey));
    }

    /**
     * @return true when the chunk cache's topology holds every member of the view and no
     *     rebalance is under way (for tests: owners are final only then)
     */
    boolean chunksBalanced() {
        LocalizedCacheTopology topology = chunkTopology();
        return topology.getPhase() == CacheTopology.Phase.NO_REBALANCE
                && Set.copyOf(topology.getMembers()).equals(Set.copyOf(cacheManager.getMembers()));
    }

    /** @return true when the settings name members other than this node */
    static boolean expectsPeers(ClusterSettings settings) {
        if (settings.discovery() != ClusterSettings.Discovery.STATIC) {
            return true;
        }
        String self = settings.bindAddress() + "[" + settings.bindPort() + "]";
        return settings.initialHosts().stream().anyMatch(host -> !host.equals(self));
    }

    /** Refuses to run on an address other than the configured one (a known Infinispan pitfall). */
    private void checkBoundWhereConfigured(String bindAddress) {
        List<String> addresses = physicalAddresses();
        boolean ok = addresses.stream().allMatch(a -> a.startsWith(bindAddress + ":")
                || a.startsWith("/" + bindAddress + ":"));
        if (!ok) {
            throw new IllegalStateException("JGroups bound to " + addresses + " instead of " + bindAddress);
        }
    }

    /** @return the transport's physical addresses, as "ip:port" */
    public List<String> physicalAddresses() {
        Transport transport = InternalCacheManager.of(cacheManager).getComponent(Transport.class);
        return transport.getPhysicalAddresses().stream().map(Object::toString).collect(Collectors.toList());
    }

    /** @return the names of the current members, this node included */
    public List<String> members() {
        return cacheManager.getMembers().stream().map(Address::toString).collect(Collectors.toList());
    }

    /** @return this node's name */
    public String nodeName() {
        return nodeName;
    }

    /** @return the cluster-wide segment records */
    public SegmentDirectory directory() {
        return new Directory();
    }

    /** @return the chunk copies on replica nodes */
    public ReplicaStore replicas() {
        return new Replicas();
    }

    /** Leaves the cluster; the other members take over this node's copies. */
    @Override
    public void close() {
        sweeper.close();
        awaitRemovals(2_000);
        cacheManager.stop();
    }

    /** Lets background chunk removals finish before leaving, so a graceful stop leaves no stale chunks behind. */
    private void awaitRemovals(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (removalsInFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Directory implements SegmentDirectory {

        @Override
        public boolean isInformed() {
            if (!informed && cacheManager.getMembers().size() > 1) {
                informed = true; // Sticky: once joined, the records were transferred to us.
            }
            return informed;
        }

        /**
         * Local in practice (G1): every member holds every record, and a joining member's
         * {@code getCache} returns only once its initial state transfer is complete (Infinispan's
         * {@code awaitInitialTransfer}, on by default), before this node serves anything.
         * {@code JoinerHoldsEveryRecordTest} checks that. A plain read rather than a local-only
         * one, though: during a merge's conflict resolution, when a member may not hold the
         * resolved record yet, a write or load must decide on the resolved one.
         */
        @Override
        public Optional<SegmentRecord> get(String key) {
            try {
                return Optional.ofNullable(SegmentRecord.decode(records.get(key)));
            } catch (CacheException e) { // e.g. the member is stopping: never Infinispan's own type to the application
                throw new ClusterUnavailableException("cannot read the record of '" + key + "': " + e.getMessage(), e);
            }
        }

        @Override
        public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
            try {
                if (expected.isEmpty()) {
                    return records.putIfAbsent(key, next.encode()) == null;
                }
                return records.replace(key, expected.get().encode(), next.encode());
            } catch (CacheException e) {
                throw new ClusterUnavailableException("cannot update the record of '" + key + "': " + e.getMessage(), e);
            }
        }

        @Override
        public MergeGate mergeGate() {
            return mergeGate;
        }
    }

    private final class Replicas implements ReplicaStore {

        @Override
        public void putChunk(ChunkKey chunk, byte[] data) {
            try {
                chunks.put(chunk.cacheKey(), data);
            } catch (CacheException e) {
                throw new ClusterUnavailableException("cannot store chunk " + chunk.cacheKey() + ": " + e.getMessage(), e);
            }
        }

        /**
         * All puts in flight at once: the round trips to the owners overlap instead of adding up.
         * The caller bounds how many chunks (and so how many bytes) one call carries.
         */
        @Override
        public void putChunks(List<ChunkKey> keys, List<byte[]> data) {
            CompletableFuture<?>[] puts = new CompletableFuture<?>[keys.size()];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = chunks.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).putAsync(keys.get(i).cacheKey(), data.get(i));
            }
            try {
                CompletableFuture.allOf(puts).join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new ClusterUnavailableException("cannot store " + keys.size() + " chunks of '"
                        + keys.get(0).segmentKey() + "': " + cause.getMessage(), cause);
            }
        }

        @Override
        public void removeChunkLater(ChunkKey chunk) {
            removalsInFlight.incrementAndGet();
            try {
                chunks.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).removeAsync(chunk.cacheKey())
                        .whenComplete((ignored, e) -> {
                            removalsInFlight.decrementAndGet();
                            if (e != null) {
                                LOG.fine(() -> "chunk " + chunk.cacheKey() + " not removed now: " + e.getMessage());
                            }
                        });
            } catch (RuntimeException e) { // the cache is stopping, or refuses: a leftover, never an error
                removalsInFlight.decrementAndGet();
                LOG.fine(() -> "chunk " + chunk.cacheKey() + " not removed now: " + e.getMessage());
            }
        }

        @Override
        public byte[] getChunk(ChunkKey chunk) {
            if (liveReadOwners(chunk).isEmpty()) {
                // Asking would wait for a topology that has no owner to offer (about 15 s):
                // answer "unreachable" at once instead.
                throw new ClusterUnavailableException("no live node holds the chunks of '" + chunk.segmentKey()
                        + "'; members are " + members(), null);
            }
            try {
                return chunks.get(chunk.cacheKey());
            } catch (CacheException e) {
                throw new ClusterUnavailableException("cannot fetch chunk " + chunk.cacheKey() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void removeChunk(ChunkKey chunk) {
            try {
                chunks.remove(chunk.cacheKey());
            } catch (CacheException e) {
                LOG.fine(() -> "chunk " + chunk.cacheKey() + " not removed now: " + e.getMessage());
            }
        }

        @Override
        public int copiesOutside(ChunkKey chunk, String writer) {
            return (int) liveReadOwners(chunk).stream().filter(owner -> !owner.equals(writer)).count();
        }

        /**
         * Tries placements 1, 2, ... until one's group hashes to a segment of which this node is
         * the primary owner: with N members about N tries, each a hash of a short string. A
         * node that is primary owner of no segment (capacity factor 0, or not yet in the
         * topology) gets 0 at once.
         */
        @Override
        public int placementFor(String segmentKey) {
            LocalizedCacheTopology topology;
            try {
                topology = chunkTopology();
            } catch (CacheException e) { // the member is stopping
                throw new ClusterUnavailableException("cannot place the chunks of '" + segmentKey + "': " + e.getMessage(), e);
            }
            if (topology.getLocalPrimarySegments().isEmpty()) {
                return 0;
            }
            for (int placement = 1; placement <= MAX_PLACEMENT_TRIES; placement++) {
                if (distributionIn(topology, new ChunkKey(segmentKey, 0, "", 0, 0, placement).cacheKey()).isPrimary()) {
                    return placement;
                }
            }
            return 0;
        }

        /**
         * Sends each owner Infinispan's own functional read with its built-in "is it present"
         * function: the answer is a boolean, so no chunk bytes (up to 1 MiB each) travel. A get
         * would ask one owner only; this asks every one. An owner that left the view while the
         * question was out is a leaver: not counted, no error.
         */
        @Override
        public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
            return ask(chunk, writer, timeout).held();
        }

        /**
         * Every question of a wave is sent before the first answer is awaited: a batch takes one
         * round trip per {@link #QUESTIONS_IN_FLIGHT} chunks, not one per chunk. The waves keep a
         * batch of many thousand segments from putting all its messages on the network at once.
         */
        @Override
        public Map<ChunkKey, Integer> confirmCopiesOutside(Map<ChunkKey, String> writerOf, Duration timeout) {
            List<Map.Entry<ChunkKey, String>> all = new ArrayList<>(writerOf.entrySet());
            Map<ChunkKey, Integer> held = new HashMap<>();
            for (int from = 0; from < all.size(); from += QUESTIONS_IN_FLIGHT) {
                List<Confirmation> wave = new ArrayList<>();
                for (Map.Entry<ChunkKey, String> question : all.subList(from, Math.min(all.size(), from + QUESTIONS_IN_FLIGHT))) {
                    wave.add(ask(question.getKey(), question.getValue(), timeout));
                }
                for (Confirmation question : wave) {
                    try {
                        held.put(question.chunk, question.held());
                    } catch (ClusterUnavailableException e) {
                        LOG.fine(() -> e.getMessage()); // absent: not known to be held
                    }
                }
            }
            return held;
        }

        /** Checks this node's own copy, if it is an owner, and sends the question to the other owners. */
        private Confirmation ask(ChunkKey chunk, String writer, Duration timeout) {
            AdvancedCache<String, byte[]> cache = chunks.getAdvancedCache();
            // Kept as locals: the question sent below carries the storage key and the topology id too.
            Object storageKey = cache.getKeyDataConversion().toStorage(chunk.cacheKey());
            LocalizedCacheTopology topology = chunkTopology();
            DistributionInfo distribution = topology.getDistribution(storageKey);
            Set<Address> members = Set.copyOf(cacheManager.getMembers());
            Address self = cacheManager.getAddress();
            List<Address> asked = new ArrayList<>();
            int heldHere = 0;
            for (Address owner : distribution.readOwners()) {
                if (!members.contains(owner) || owner.toString().equals(writer)) {
                    continue;
                }
                if (!owner.equals(self)) {
                    asked.add(owner);
                } else if (cache.withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_CACHE_LOAD).containsKey(chunk.cacheKey())) {
                    heldHere++;
                }
            }
            if (asked.isEmpty()) {
                return new Confirmation(chunk, heldHere, asked, timeout, CompletableFuture.completedFuture(Map.of()));
            }
            CompletionStage<Map<Address, Response>> answers;
            try {
                ReadOnlyKeyCommand<Object, Object, Boolean> isPresent = ComponentRegistry.of(chunks).getCommandsFactory()
                        .buildReadOnlyKeyCommand(storageKey, MarshallableFunctions.returnReadOnlyFindIsPresent(),
                                distribution.segmentId(), Params.from(Param.StatisticsMode.SKIP), cache.getKeyDataConversion(),
                                cache.getValueDataConversion());
                // Statistics skipped: otherwise the answer comes wrapped in an envelope with the hit count.
                isPresent.setTopologyId(topology.getTopologyId());
                answers = cache.getRpcManager().invokeCommand(asked, isPresent, MapResponseCollector.ignoreLeavers(asked.size()),
                        new RpcOptions(DeliverOrder.NONE, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
            } catch (CacheException e) { // the cache is stopping: the question fails like an unanswered one
                answers = CompletableFuture.failedFuture(e);
            }
            return new Confirmation(chunk, heldHere, asked, timeout, answers);
        }

        /** One chunk's question on its way: this node's own answer, and the other owners' to come. */
        private final class Confirmation {
            final ChunkKey chunk;
            private final int heldHere;
            private final List<Address> asked;
            private final Duration timeout;
            private final CompletionStage<Map<Address, Response>> answers;

            Confirmation(ChunkKey chunk, int heldHere, List<Address> asked, Duration timeout,
                         CompletionStage<Map<Address, Response>> answers) {
                this.chunk = chunk;
                this.heldHere = heldHere;
                this.asked = asked;
                this.timeout = timeout;
                this.answers = answers;
            }

            /**
             * @return how many owners other than the writer answered that they hold the chunk
             * @throws ClusterUnavailableException when an owner did not answer in time
             */
            int held() {
                Map<Address, Response> received;
                try {
                    received = chunks.getAdvancedCache().getRpcManager().blocking(answers);
                } catch (CacheException e) {
                    throw new ClusterUnavailableException("owners " + asked + " of '" + chunk.segmentKey()
                            + "' did not all answer within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
                }
                int held = heldHere;
                for (Response answer : received.values()) {
                    if (answer instanceof SuccessfulResponse<?> success && Boolean.TRUE.equals(success.getResponseValue())) {
                        held++;
                    }
                }
                return held;
            }
        }

        @Override
        public long membershipId() {
            Transport transport = InternalCacheManager.of(cacheManager).getComponent(Transport.class);
            if (transport == null) {
                throw new ClusterUnavailableException("node '" + nodeName + "' has left the cluster", null);
            }
            return transport.getViewId();
        }

        /**
         * The cache topology catches up with a view change only once the coordinator has
         * recomputed it; until then a member that just died is still listed as an owner. Only
         * owners in the current view hold a copy.
         */
        private List<String> liveReadOwners(ChunkKey chunk) {
            DistributionInfo distribution = distributionIn(chunkTopology(), chunk.cacheKey());
            Set<Address> members = Set.copyOf(cacheManager.getMembers());
            return distribution.readOwners().stream()
                    .filter(members::contains)
                    .map(Address::toString)
                    .collect(Collectors.toList());
        }
    }

    /**
     * Puts every chunk of a version into one group ({@link ChunkKey#group()}), so they share their
     * owners.
     */
    static final class SegmentGrouper implements Grouper<String> {

        @Override
        public Object computeGroup(String key, Object group) {
            return ChunkKey.groupOf(key);
        }

        @Override
        public Class<String> getKeyType() {
            return String.class;
        }
    }
}
