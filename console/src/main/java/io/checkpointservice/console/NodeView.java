package io.checkpointservice.console;

import java.util.List;

/**
 * One checkpoint node's MXBean attributes, read at one moment ({@link NodeReader}). Names and
 * units are those of the MXBean (README, "Monitoring").
 *
 * @param members every member the node has seen, with whether it is in the view now
 */
public record NodeView(
        String nodeName,
        int replicaCount,
        boolean peersExpected,
        List<String> clusterMembers,
        List<Member> members,
        long localSegments,
        long localBytes,
        long replicaSegments,
        long replicaBytes,
        int backlogSegments,
        long backlogOldestWaitMillis,
        long publishedCount,
        long publishedBytes,
        double publicationsPerSecond,
        double publishedBytesPerSecond,
        long replicationLagP50Millis,
        long replicationLagP95Millis,
        long replicationLagP99Millis,
        long failedPublicationCount,
        String lastPublicationError,
        long lastPublicationErrorTime,
        long takeOverCount,
        long fencedWriteCount,
        long loadsLocalCount,
        long loadsFromReplicaCount,
        long loadsFromGlobalStoreCount,
        long loadsAbsentCount,
        long loadsUnavailableCount,
        int underReplicatedSegments,
        long underReplicatedSampleTime) {

    /** A member as the node sees it: {@code sinceTime} is when it became reachable or unreachable. */
    public record Member(String name, boolean reachable, long sinceTime) {
    }

    /** @return true while the node is in a cluster with at least one other member */
    public boolean joined() {
        return clusterMembers.size() > 1;
    }
}
