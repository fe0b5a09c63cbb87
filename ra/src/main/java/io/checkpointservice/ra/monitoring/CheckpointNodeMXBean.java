package io.checkpointservice.ra.monitoring;

import java.util.List;

/**
 * The checkpoint node as an operator sees it, on the platform MBeanServer under
 * {@code io.checkpointservice:type=CheckpointNode,name=<nodeName>}. An MXBean: every value is an
 * open type (numbers, strings, arrays, CompositeData), so any JMX client reads it without the
 * adapter's classes. Counters ({@code ...Count}) start at 0 when the node starts and only grow;
 * times ({@code ...Time}) are milliseconds since the epoch, durations are in the unit their name
 * ends with. The README's "Monitoring" section lists them.
 */
public interface CheckpointNodeMXBean {

    /** @return this node's name */
    String getNodeName();

    /** @return R: copies every segment should have on nodes other than its writer */
    int getReplicaCount();

    /**
     * @return true when the settings name peers (other {@code initialHosts}, or multicast discovery):
     *     such a node is meant to run in a cluster, and alone it has not joined it yet or lost it
     */
    boolean isPeersExpected();

    /** @return the members of the current cluster view, this node included */
    List<String> getClusterMembers();

    /** @return every member this node has seen, whether it is reachable (in the view) now, and since when */
    List<MemberStatus> getMembers();

    /** @return segments in this node's local store */
    long getLocalSegments();

    /** @return bytes of the segments in this node's local store */
    long getLocalBytes();

    /** @return published versions whose chunks this node holds as one of their R + 1 owners */
    long getReplicaSegments();

    /** @return bytes of the chunks this node holds as an owner */
    long getReplicaBytes();

    /** @return segments written here and waiting to be published (the replication backlog) */
    int getBacklogSegments();

    /** @return how long the segment that has waited longest in the backlog has waited, in ms; 0 when none */
    long getBacklogOldestWaitMillis();

    /** @return versions this node published (chunks put, then record compare-and-set) */
    long getPublishedCount();

    /** @return bytes of the versions this node published */
    long getPublishedBytes();

    /** @return publications per second over the last minute */
    double getPublicationsPerSecond();

    /** @return published bytes per second over the last minute */
    double getPublishedBytesPerSecond();

    /** @return median replication lag (local write to published record) over the last minute, in ms */
    long getReplicationLagP50Millis();

    /** @return 95th percentile of the replication lag over the last minute, in ms */
    long getReplicationLagP95Millis();

    /** @return 99th percentile of the replication lag over the last minute, in ms */
    long getReplicationLagP99Millis();

    /** @return publication attempts that failed (each is retried) */
    long getFailedPublicationCount();

    /** @return the last failed publication's segment and error; empty when none failed */
    String getLastPublicationError();

    /** @return when the last publication failed; 0 when none failed */
    long getLastPublicationErrorTime();

    /** @return segments this node took over from another writer (by a load, or by publishing a write) */
    long getTakeOverCount();

    /** @return writes refused with StaleWriterException: another node had taken the segment over */
    long getFencedWriteCount();

    /** @return loads answered from the local copy */
    long getLoadsLocalCount();

    /** @return loads that fetched the newest version from a replica */
    long getLoadsFromReplicaCount();

    /** @return loads that fetched the newest version from the global store */
    long getLoadsFromGlobalStoreCount();

    /** @return loads that found no segment (never written, or deleted) */
    long getLoadsAbsentCount();

    /** @return loads that failed with SegmentUnavailableException */
    long getLoadsUnavailableCount();

    /**
     * @return segments this node writes whose published version has fewer than R live owners
     *     other than this node, in the current view (sampled every few seconds; see the README)
     */
    int getUnderReplicatedSegments();

    /** @return when {@link #getUnderReplicatedSegments()} was last counted; 0 before the first count */
    long getUnderReplicatedSampleTime();

    /**
     * @param segment {@code namespace/name}
     * @return what the cluster's record says of the segment and who owns its published version
     *     now; reads only, never takes the segment over
     * @throws IllegalArgumentException when {@code segment} is not a valid {@code namespace/name}
     */
    SegmentDescription describe(String segment);
}
