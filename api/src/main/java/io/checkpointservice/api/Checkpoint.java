package io.checkpointservice.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a checkpoint segment as returned by {@link CheckpointConnection#load}.
 * Immutable: {@link #state()} returns a copy each time.
 */
public final class Checkpoint implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final long version;
    private final Instant writtenAt;
    private final String originNode;
    private final byte[] state;

    /**
     * @param name the segment name as the application wrote it (without namespace)
     * @param version the segment version, positive
     * @param writtenAt when the writer stored this version
     * @param originNode the node whose application wrote this version
     * @param state the bytes; copied
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when {@code version} is not positive
     */
    public Checkpoint(String name, long version, Instant writtenAt, String originNode, byte[] state) {
        this(name, version, writtenAt, originNode, Objects.requireNonNull(state, "state").clone(), true);
    }

    /**
     * Keeps {@code state} itself, without the defensive copy: for the resource adapter only,
     * which reaches this private constructor through a private lookup
     * ({@code io.checkpointservice.ra.service.Checkpoints}) and passes an array that nothing
     * ever changes (saves a whole copy of a restored segment, up to 64 MiB). Private, so an
     * application cannot keep a handle on the bytes of a Checkpoint it builds.
     */
    private Checkpoint(String name, long version, Instant writtenAt, String originNode, byte[] state,
                       boolean owned) {
        this.name = Objects.requireNonNull(name, "name");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, was " + version);
        }
        this.version = version;
        this.writtenAt = Objects.requireNonNull(writtenAt, "writtenAt");
        this.originNode = Objects.requireNonNull(originNode, "originNode");
        this.state = Objects.requireNonNull(state, "state");
    }

    /** @return the segment name, without namespace */
    public String name() {
        return name;
    }

    /** @return the version, strictly increasing per segment, also across failovers */
    public long version() {
        return version;
    }

    /** @return when the writer stored this version (the writer's clock) */
    public Instant writtenAt() {
        return writtenAt;
    }

    /** @return the name of the node whose application wrote this version */
    public String originNode() {
        return originNode;
    }

    /** @return a copy of the stored bytes */
    public byte[] state() {
        return state.clone();
    }

    /** @return the number of stored bytes, without copying them */
    public int size() {
        return state.length;
    }

    @Override
    public String toString() {
        return "Checkpoint[" + name + " v" + version + ", " + state.length + " bytes, written "
                + writtenAt + " on " + originNode + "]";
    }
}
