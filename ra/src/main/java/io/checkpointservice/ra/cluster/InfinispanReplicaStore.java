package io.checkpointservice.ra.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.context.Flag;
import org.infinispan.distribution.DistributionInfo;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * The chunk copies, in Infinispan's distributed chunk cache ({@link CacheDefinitions#CHUNKS}):
 * puts and gets of chunks, their owners, and the question whether the owners hold them (G3).
 */
final class InfinispanReplicaStore implements ReplicaStore {

    private static final Logger LOG = Logger.getLogger(InfinispanReplicaStore.class.getName());
    /** Questions of {@code confirmCopiesOutside} of a batch out at once; each is a few hundred bytes. */
    static final int QUESTIONS_IN_FLIGHT = 1_024;

    private final Cache<String, byte[]> chunks;
    private final EmbeddedCacheManager manager;
    private final ChunkOwners owners;
    private final ViewChanges views;
    private final String nodeName;
    /** Chunk removals started by {@link #removeChunkLater} that have not finished yet. */
    private final AtomicInteger removalsInFlight = new AtomicInteger();

    InfinispanReplicaStore(Cache<String, byte[]> chunks, EmbeddedCacheManager manager, ChunkOwners owners,
                           ViewChanges views, String nodeName) {
        this.chunks = chunks;
        this.manager = manager;
        this.owners = owners;
        this.views = views;
        this.nodeName = nodeName;
    }

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

    /**
     * Infinispan's asynchronous remove: the round trip runs on the cluster library's own
     * threads, as every cache operation's network side does, not on a thread of this node;
     * the callback only counts and logs.
     */
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

    /** Lets background chunk removals finish before leaving, so a graceful stop leaves no stale chunks behind. */
    void awaitRemovals(long millis) {
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

    @Override
    public byte[] getChunk(ChunkKey chunk) {
        List<String> live;
        try {
            live = owners.liveReadOwners(chunk);
        } catch (RuntimeException e) { // no topology to read: the node is stopping, or no member holds chunks
            throw new ClusterUnavailableException("owners of '" + chunk.segmentKey() + "' unknown now: " + e.getMessage(), e);
        }
        if (live.isEmpty()) {
            // Asking would wait for a topology that has no owner to offer (about 15 s):
            // answer "unreachable" at once instead.
            throw new ClusterUnavailableException("no live node holds the chunks of '" + chunk.segmentKey()
                    + "'; members are " + manager.getMembers(), null);
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
        return (int) owners.liveReadOwners(chunk).stream().filter(owner -> !owner.equals(writer)).count();
    }

    @Override
    public int placementFor(String segmentKey) {
        return owners.placementFor(segmentKey);
    }

    /**
     * Asks every owner other than the writer, at once, whether it holds the chunk: the answer is
     * a boolean, so no chunk bytes travel. An owner that left the view while the question was
     * out is a leaver: not counted, no error.
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
        LocalizedCacheTopology topology = owners.topology();
        DistributionInfo distribution = owners.in(topology, chunk.cacheKey());
        Set<Address> members = Set.copyOf(manager.getMembers());
        Address self = manager.getAddress();
        List<Address> asked = new ArrayList<>();
        int heldHere = 0;
        for (Address owner : distribution.readOwners()) {
            if (!members.contains(owner) || owner.toString().equals(writer)) {
                continue;
            }
            if (!owner.equals(self)) {
                asked.add(owner);
            } else if (chunks.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_CACHE_LOAD).containsKey(chunk.cacheKey())) {
                heldHere++;
            }
        }
        InfinispanInternals.PresenceAnswers answers = asked.isEmpty() ? null
                : InfinispanInternals.askWhetherHeld(chunks, owners.storageKey(chunk.cacheKey()), distribution,
                        topology.getTopologyId(), asked, timeout);
        return new Confirmation(chunk, heldHere, asked, timeout, answers);
    }

    /** One chunk's question on its way: this node's own answer, and the other owners' to come. */
    private static final class Confirmation {
        final ChunkKey chunk;
        private final int heldHere;
        private final List<Address> asked;
        private final Duration timeout;
        private final InfinispanInternals.PresenceAnswers answers;

        Confirmation(ChunkKey chunk, int heldHere, List<Address> asked, Duration timeout,
                     InfinispanInternals.PresenceAnswers answers) {
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
            if (answers == null) {
                return heldHere;
            }
            try {
                return heldHere + answers.yes();
            } catch (CacheException e) {
                throw new ClusterUnavailableException("owners " + asked + " of '" + chunk.segmentKey()
                        + "' did not all answer within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
            }
        }
    }

    /** Counts views, not JGroups view ids: equal counts mean no member came or went in between. */
    @Override
    public long membershipId() {
        if (!manager.getStatus().allowInvocations()) {
            throw new ClusterUnavailableException("node '" + nodeName + "' has left the cluster", null);
        }
        return views.count();
    }
}
