package io.checkpointservice.ra.monitoring;

import java.util.List;

/**
 * What the cluster's record says about one segment, and who holds its published version now:
 * the answer of {@link CheckpointNodeMXBean#describe}. A JMX client receives it as CompositeData
 * whose items are the getters' names ({@code version}, {@code writer}, {@code owners}, ...).
 */
public final class SegmentDescription {

    /** The record holds a published version. */
    public static final String PUBLISHED = "published";
    /** The segment was deleted; its record remains as a tombstone. */
    public static final String DELETED = "deleted";
    /** A node has taken the segment without a published version yet (its first version is on its way). */
    public static final String CLAIMED = "claimed";
    /** The cluster has no record of the segment. */
    public static final String ABSENT = "absent";

    private final String segment;
    private final String state;
    private final long version;
    private final long sizeBytes;
    private final long writtenTime;
    private final String writer;
    private final long epoch;
    private final long dataEpoch;
    private final String dataWriter;
    private final List<String> owners;
    private final boolean atReplicaCount;

    SegmentDescription(String segment, String state, long version, long sizeBytes, long writtenTime, String writer,
                       long epoch, long dataEpoch, String dataWriter, List<String> owners, boolean atReplicaCount) {
        this.segment = segment;
        this.state = state;
        this.version = version;
        this.sizeBytes = sizeBytes;
        this.writtenTime = writtenTime;
        this.writer = writer;
        this.epoch = epoch;
        this.dataEpoch = dataEpoch;
        this.dataWriter = dataWriter;
        this.owners = List.copyOf(owners);
        this.atReplicaCount = atReplicaCount;
    }

    static SegmentDescription absent(String segment) {
        return new SegmentDescription(segment, ABSENT, 0, 0, 0, "", 0, 0, "", List.of(), false);
    }

    /** @return {@code namespace/name} */
    public String getSegment() {
        return segment;
    }

    /** @return {@link #PUBLISHED}, {@link #DELETED}, {@link #CLAIMED} or {@link #ABSENT} */
    public String getState() {
        return state;
    }

    /** @return the published version (for a tombstone: the last one); 0 when none */
    public long getVersion() {
        return version;
    }

    /** @return the published version's size in bytes */
    public long getSizeBytes() {
        return sizeBytes;
    }

    /** @return when the published version was written, in milliseconds since the epoch; 0 when none */
    public long getWrittenTime() {
        return writtenTime;
    }

    /** @return the node that owns the segment now: the one whose writes are accepted */
    public String getWriter() {
        return writer;
    }

    /** @return the ownership epoch: grows by one with every take-over */
    public long getEpoch() {
        return epoch;
    }

    /** @return the epoch under which the published version's chunks were stored */
    public long getDataEpoch() {
        return dataEpoch;
    }

    /** @return the node that published the version's chunks */
    public String getDataWriter() {
        return dataWriter;
    }

    /** @return the members that own the published version's chunks now (live read owners); empty without one */
    public List<String> getOwners() {
        return owners;
    }

    /** @return true when at least R of the owners are nodes other than the writer */
    public boolean isAtReplicaCount() {
        return atReplicaCount;
    }
}
