package io.checkpointservice.ra.monitoring;

import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentNames;
import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.cluster.HeldCopies;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The node's MBean: reads the counters, the replicator, the stores and the cluster when a JMX
 * client asks. Only what reads every segment or chunk held here is reused for a moment
 * ({@link RecentValue}); everything else is read fresh.
 */
final class CheckpointNodeBean implements CheckpointNodeMXBean {

    /** How long a count of the local store or of the chunks held here is reused. */
    private static final long REUSE_MILLIS = 500;

    private final String nodeName;
    private final int replicaCount;
    private final ClusterNode cluster;
    private final Replicator replicator;
    private final NodeMetrics metrics;
    private final HealthWatch watch;
    private final MemberReachability members;
    private final RecentValue<Count> local;
    private final RecentValue<HeldCopies> held;

    CheckpointNodeBean(String nodeName, int replicaCount, ClusterNode cluster, LocalStore store, Replicator replicator,
                       NodeMetrics metrics, HealthWatch watch, MemberReachability members) {
        this.nodeName = nodeName;
        this.replicaCount = replicaCount;
        this.cluster = cluster;
        this.replicator = replicator;
        this.metrics = metrics;
        this.watch = watch;
        this.members = members;
        this.local = new RecentValue<>(REUSE_MILLIS, () -> {
            Collection<SegmentMetadata> segments = store.list();
            return new Count(segments.size(), segments.stream().mapToLong(SegmentMetadata::size).sum());
        });
        this.held = new RecentValue<>(REUSE_MILLIS, cluster::heldCopies);
    }

    @Override
    public String getNodeName() {
        return nodeName;
    }

    @Override
    public int getReplicaCount() {
        return replicaCount;
    }

    @Override
    public boolean isPeersExpected() {
        return cluster.expectsPeers();
    }

    @Override
    public List<String> getClusterMembers() {
        return cluster.members();
    }

    @Override
    public List<MemberStatus> getMembers() {
        members.observe(cluster.members(), System.currentTimeMillis());
        return members.statuses();
    }

    @Override
    public long getLocalSegments() {
        return local.get().segments();
    }

    @Override
    public long getLocalBytes() {
        return local.get().bytes();
    }

    @Override
    public long getReplicaSegments() {
        return held.get().segments();
    }

    @Override
    public long getReplicaBytes() {
        return held.get().bytes();
    }

    @Override
    public int getBacklogSegments() {
        return replicator.backlog();
    }

    @Override
    public long getBacklogOldestWaitMillis() {
        return replicator.oldestWaitMillis();
    }

    @Override
    public long getPublishedCount() {
        return metrics.publications();
    }

    @Override
    public long getPublishedBytes() {
        return metrics.publishedBytes();
    }

    @Override
    public double getPublicationsPerSecond() {
        return metrics.lastMinute().publicationsPerSecond();
    }

    @Override
    public double getPublishedBytesPerSecond() {
        return metrics.lastMinute().bytesPerSecond();
    }

    @Override
    public long getReplicationLagP50Millis() {
        return metrics.lastMinute().lagP50Millis();
    }

    @Override
    public long getReplicationLagP95Millis() {
        return metrics.lastMinute().lagP95Millis();
    }

    @Override
    public long getReplicationLagP99Millis() {
        return metrics.lastMinute().lagP99Millis();
    }

    @Override
    public long getFailedPublicationCount() {
        return metrics.failedPublications();
    }

    @Override
    public String getLastPublicationError() {
        NodeMetrics.PublicationError last = metrics.lastError();
        return last == null ? "" : last.text();
    }

    @Override
    public long getLastPublicationErrorTime() {
        NodeMetrics.PublicationError last = metrics.lastError();
        return last == null ? 0 : last.atMillis();
    }

    @Override
    public long getTakeOverCount() {
        return metrics.takeOvers();
    }

    @Override
    public long getFencedWriteCount() {
        return metrics.fencedWrites();
    }

    @Override
    public long getLoadsLocalCount() {
        return metrics.loads(LoadOutcome.LOCAL);
    }

    @Override
    public long getLoadsFromReplicaCount() {
        return metrics.loads(LoadOutcome.REPLICA);
    }

    @Override
    public long getLoadsFromGlobalStoreCount() {
        return metrics.loads(LoadOutcome.GLOBAL_STORE);
    }

    @Override
    public long getLoadsAbsentCount() {
        return metrics.loads(LoadOutcome.ABSENT);
    }

    @Override
    public long getLoadsUnavailableCount() {
        return metrics.loads(LoadOutcome.UNAVAILABLE);
    }

    @Override
    public int getUnderReplicatedSegments() {
        return watch.underReplicated();
    }

    @Override
    public long getUnderReplicatedSampleTime() {
        return watch.countedAt();
    }

    @Override
    public SegmentDescription describe(String segment) {
        String key = checkedKey(segment);
        Optional<SegmentRecord> found = cluster.directory().get(key);
        if (found.isEmpty()) {
            return SegmentDescription.absent(key);
        }
        SegmentRecord record = found.get();
        List<String> owners = record.hasData() ? cluster.liveOwners(ChunkKey.of(key, record, 0)) : List.of();
        long others = owners.stream().filter(owner -> !owner.equals(record.writer())).count();
        String state = record.hasData() ? SegmentDescription.PUBLISHED
                : record.version() == 0 ? SegmentDescription.CLAIMED : SegmentDescription.DELETED;
        return new SegmentDescription(key, state, record.version(), record.hasData() ? record.size() : 0,
                record.version() == 0 ? 0 : record.writtenAt().toEpochMilli(), record.writer(), record.epoch(),
                record.dataEpoch(), record.dataWriter(), owners, record.hasData() && others >= replicaCount);
    }

    /** Segments in the local store and their bytes. */
    private record Count(long segments, long bytes) {
    }

    /**
     * @return {@code segment} when it is {@code namespace/name} with a valid namespace and name
     * @throws IllegalArgumentException otherwise: a JMX client knows this class, not the API's exceptions
     */
    private static String checkedKey(String segment) {
        int slash = segment == null ? -1 : segment.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("describe takes namespace/name, e.g. default/orders/position; was "
                    + (segment == null ? "null" : "'" + segment + "'"));
        }
        try {
            SegmentNames.requireValidNamespace(segment.substring(0, slash));
            SegmentNames.requireValidName(segment.substring(slash + 1));
        } catch (InvalidSegmentNameException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return segment;
    }
}
