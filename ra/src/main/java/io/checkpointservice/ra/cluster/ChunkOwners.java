package io.checkpointservice.ra.cluster;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.distribution.DistributionInfo;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;
import org.infinispan.topology.CacheTopology;

/**
 * Who owns a chunk, as this node knows it now, and where a writer places its chunks: the chunk
 * cache's topology read through Infinispan's public distribution API.
 */
final class ChunkOwners {

    /**
     * Placements {@link #placementFor} tries before it gives up and places by the segment key
     * (correct, only slower): a try hits with odds of about 1 / N on N equal members, so all
     * 1,024 miss with odds of about 1 in 10^9 on 50 members.
     */
    static final int MAX_PLACEMENT_TRIES = 1_024;

    private final Cache<String, byte[]> chunks;
    private final EmbeddedCacheManager manager;

    ChunkOwners(Cache<String, byte[]> chunks, EmbeddedCacheManager manager) {
        this.chunks = chunks;
        this.manager = manager;
    }

    /** @return the chunk cache's current topology: who owns which hash segment */
    LocalizedCacheTopology topology() {
        return chunks.getAdvancedCache().getDistributionManager().getCacheTopology();
    }

    /** @return the key as the cache stores it, which is what a topology places */
    Object storageKey(String cacheKey) {
        return chunks.getAdvancedCache().getKeyDataConversion().toStorage(cacheKey);
    }

    /**
     * @return the owners of a chunk key in the given topology; one topology for several keys
     *     keeps their answers consistent with each other while a rebalance goes on
     */
    DistributionInfo in(LocalizedCacheTopology topology, String cacheKey) {
        return topology.getDistribution(storageKey(cacheKey));
    }

    /** @return the name of the primary owner of a chunk in the current topology */
    String primaryOwner(ChunkKey chunk) {
        return in(topology(), chunk.cacheKey()).primary().toString();
    }

    /**
     * The cache topology catches up with a view change only once the coordinator has
     * recomputed it; until then a member that just died is still listed as an owner. Only
     * owners in the current view hold a copy.
     *
     * @return the names of the chunk's read owners that are members now
     */
    List<String> liveReadOwners(ChunkKey chunk) {
        DistributionInfo distribution = in(topology(), chunk.cacheKey());
        Set<Address> members = Set.copyOf(manager.getMembers());
        return distribution.readOwners().stream()
                .filter(members::contains)
                .map(Address::toString)
                .collect(Collectors.toList());
    }

    /**
     * @return true when the topology holds every member of the view and no rebalance is under
     *     way: owners are final only then
     */
    boolean balanced() {
        LocalizedCacheTopology topology = topology();
        return topology.getPhase() == CacheTopology.Phase.NO_REBALANCE
                && Set.copyOf(topology.getMembers()).equals(Set.copyOf(manager.getMembers()));
    }

    /**
     * Tries placements 1, 2, ... until one's group hashes to a hash segment of which this node is
     * the primary owner: with N members about N tries, each a hash of a short string. A node
     * that is primary owner of nothing (capacity factor 0, or not yet in the topology) gets 0 at
     * once: the chunks are then placed by the segment key alone.
     *
     * @throws ClusterUnavailableException when the member is stopping
     */
    int placementFor(String segmentKey) {
        LocalizedCacheTopology topology;
        try {
            topology = topology();
        } catch (CacheException e) {
            throw new ClusterUnavailableException("cannot place the chunks of '" + segmentKey + "': " + e.getMessage(), e);
        }
        if (topology.getLocalPrimarySegments().isEmpty()) {
            return 0;
        }
        for (int placement = 1; placement <= MAX_PLACEMENT_TRIES; placement++) {
            if (in(topology, new ChunkKey(segmentKey, 0, "", 0, 0, placement).cacheKey()).isPrimary()) {
                return placement;
            }
        }
        return 0;
    }
}
