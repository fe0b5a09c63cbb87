package io.checkpointservice.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection to the checkpoint service of this node. Not thread-safe in the sense of JCA
 * handles: use one connection per thread, or get a new one per unit of work; the service behind
 * it is shared and thread-safe.
 *
 * <p>Segment names are {@code [A-Za-z0-9._-]} words separated by {@code /}, 1 to
 * {@value SegmentNames#MAX_NAME_LENGTH} characters, with no empty, {@code .} or {@code ..}
 * word. The connection factory's namespace is put in front of the name; the application never
 * writes it.
 *
 * <p>Every method of a closed connection throws {@link IllegalStateException}.
 */
public interface CheckpointConnection extends AutoCloseable {

    /**
     * Stores {@code state} as the newest version of segment {@code name} in this node's local
     * storage and returns at once (guarantee G1): in memory mode once the bytes are in the
     * node's memory, in disk mode once the file is as durable as the configured sync policy says.
     * Replication to replica nodes happens in the background (G2). The array is copied; the
     * caller may reuse it.
     *
     * @param name the segment name, without namespace
     * @param state the bytes to store; may be empty, not null
     * @return the new version, strictly greater than every earlier version of this segment
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name (G9)
     * @throws SegmentTooLargeException when {@code state} is longer than the configured
     *     {@code maxSegmentBytes} (G9)
     * @throws NullPointerException when {@code state} is null (G9)
     * @throws StaleWriterException when another node has taken the segment over since this node
     *     last wrote or loaded it (G6)
     * @throws SegmentUnavailableException right after a network split healed, while the cluster
     *     has not yet decided which side's lineage wins (this call waits up to about 10 s for
     *     that), so this node cannot tell whether it still owns the segment; the caller may retry
     * @throws CheckpointException when the local store cannot write, for example a full disk;
     *     the previous version is then left as it was
     * @throws IllegalStateException when this connection is closed
     */
    long write(String name, byte[] state);

    /**
     * Returns the newest version of segment {@code name} reachable in the cluster (G5), loading
     * it into this node's local storage first when a replica holds a newer copy than this node.
     * Loading takes the segment over for this node (G6). A copy whose checksum does not match is
     * never returned (G7).
     *
     * @param name the segment name, without namespace
     * @return the newest checkpoint, or empty when no such segment exists (G8)
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name
     * @throws SegmentUnavailableException when the segment exists but no intact copy is
     *     reachable now, or right after a network split healed, while the cluster has not yet
     *     decided which side's lineage wins (this call waits up to about 10 s for that); the
     *     caller may retry (G8)
     * @throws IllegalStateException when this connection is closed
     */
    Optional<Checkpoint> load(String name);

    /**
     * Lists the published versions of segment {@code name} that the service keeps, <b>newest
     * first</b>: the newest published version, then older ones while the adapter's
     * {@code retainVersions} setting keeps them (1, the default, keeps only the newest; older
     * versions are kept in the global store when one is configured, else by the replica nodes). Only
     * published versions appear: a version written on a node that was taken over (fenced, G6)
     * before it replicated never does, and nor does a local write not yet replicated. After
     * {@link #delete} the list is empty. Reads only: nothing is taken over, nothing is copied to
     * this node.
     *
     * @param name the segment name, without namespace
     * @return the kept versions, newest first, at most {@code retainVersions}; empty when the
     *     segment is absent or deleted
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name
     * @throws SegmentUnavailableException when the cluster's records or the global store cannot be
     *     read now, or right after a network split healed, as for {@link #load(String)}; the caller
     *     may retry
     * @throws IllegalStateException when this connection is closed
     */
    List<Long> versions(String name);

    /**
     * Returns version {@code version} of segment {@code name} when the service keeps it (see
     * {@link #versions}), checked against its CRC32C (G7). Reads only: unlike {@link #load(String)}
     * it does not take the segment over, so the writer's next {@link #write} still succeeds, and
     * it neither stores nor replaces this node's local copy.
     *
     * @param name the segment name, without namespace
     * @param version a version listed by {@link #versions} or returned by {@link #write}
     * @return the checkpoint of that version; empty when it is not kept: older than the kept
     *     versions, never published, newer than the newest published, or the segment is absent or
     *     deleted
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name
     * @throws IllegalArgumentException when {@code version} is not positive
     * @throws SegmentUnavailableException when the version is kept but no intact copy of it is
     *     reachable now (never "empty" for a version that exists), or right after a network split
     *     healed, as for {@link #load(String)}; the caller may retry
     * @throws IllegalStateException when this connection is closed
     */
    Optional<Checkpoint> load(String name, long version);

    /**
     * Waits until at least {@code replicaCount} nodes other than the writer hold {@code version}
     * of segment {@code name} or a newer one (G3). Only copies the replicas acknowledged after
     * this call began count: a replica that crashed or froze since it acknowledged, and is still
     * in the cluster view because failure detection has not removed it yet, does not. With
     * {@code replicaCount} 0 it returns true at once for a version this node holds.
     *
     * @param name the segment name, without namespace
     * @param version a version returned by {@link #write}
     * @param timeout how long to wait at most; zero checks once without waiting for replication
     *     (the check may ask the replicas, one round trip, and gives them at least 0.5 s)
     * @return true when the replicas hold that version or a newer one, false on timeout (right
     *     after a network split healed, nothing counts until the cluster has decided which side's
     *     lineage wins)
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name
     * @throws IllegalArgumentException when {@code version} is not positive or {@code timeout}
     *     is null or negative
     * @throws IllegalStateException when this connection is closed
     */
    boolean awaitReplicated(String name, long version, Duration timeout);

    /**
     * {@link #awaitReplicated} for several segments at once, under one timeout: waits until at
     * least {@code replicaCount} nodes other than the writer hold, for every segment in
     * {@code versions}, that version or a newer one (G3), counting only copies the replicas
     * acknowledged after this call began. For an application that writes many segments and then
     * needs all of them safe: the replicas of all segments are asked together, one round trip
     * per check for up to 1,024 segments instead of one per segment.
     *
     * <p>Every name and version is checked before anything is awaited; a bad one throws and
     * nothing is waited for.
     *
     * @param versions the version to wait for, by segment name (without namespace): values
     *     returned by {@link #write}; an empty map returns true at once
     * @param timeout how long to wait at most for all of them; zero checks once without waiting
     *     for replication (the check may ask the replicas, one round trip, and gives them at
     *     least 0.5 s)
     * @return true when the replicas hold every segment's version or a newer one, false when the
     *     time is up before all of them are (replication of the others goes on; call
     *     {@link #awaitReplicated} per segment to find which lag)
     * @throws InvalidSegmentNameException when a name is null or not a valid name
     * @throws IllegalArgumentException when {@code versions} is null, a version is null or not
     *     positive, or {@code timeout} is null or negative
     * @throws IllegalStateException when this connection is closed
     */
    boolean awaitAllReplicated(Map<String, Long> versions, Duration timeout);

    /**
     * Removes segment {@code name} from this node and, in a cluster, from every replica.
     *
     * @param name the segment name, without namespace
     * @return true when the segment existed, false when it was absent
     * @throws InvalidSegmentNameException when {@code name} is null or not a valid name
     * @throws StaleWriterException when another node has taken the segment over
     * @throws SegmentUnavailableException right after a network split healed, as for {@link #write}
     * @throws IllegalStateException when this connection is closed
     */
    boolean delete(String name);

    /**
     * Closes this handle and gives the physical connection back to the pool. Closing twice is
     * harmless. Stored segments are not affected.
     */
    @Override
    void close();
}
