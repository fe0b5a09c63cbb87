package io.checkpointservice.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a checkpoint segment as returned by {@link CheckpointConnection#load}.
 * Immutable: {@link #state()} returns a copy each time, and the bytes are the checkpoint's own
 * (copied by the constructor, or handed over to {@link #ofOwnedArray}).
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
     * A checkpoint that keeps {@code state} itself instead of a copy: for code that has just
     * built or received the array and has no further use for it, such as the resource adapter
     * handing out a restored segment (a copy of up to 64 MiB saved per load). The caller hands
     * the array over: it must not change it afterwards, nor pass it to anyone who might, or the
     * checkpoint's bytes change with it. {@link #state()} still returns a copy each time, so what
     * the checkpoint hands out can never change the array.
     *
     * @param state the bytes, not copied; owned by the checkpoint from now on
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when {@code version} is not positive
     * @see #Checkpoint(String, long, Instant, String, byte[]) the copying constructor, for arrays
     *     the caller goes on using
     */
    public static Checkpoint ofOwnedArray(String name, long version, Instant writtenAt, String originNode,
                                          byte[] state) {
        return new Checkpoint(name, version, writtenAt, originNode, state, true);
    }

    /** Keeps {@code state} itself; {@code owned} only tells this constructor from the public one. */
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
