package io.checkpointservice.example;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the progress job is in its stream of work items, and the proof that it got there by
 * processing every item once, in order.
 *
 * <p>The stream is numbered 0, 1, 2, ... Processing item {@code i} replaces the digest {@code d}
 * by {@code SHA-256(d || i)} ({@code i} as 8 bytes, big-endian), starting from
 * {@code SHA-256("checkpoint-example/progress-job")}. After {@code position} items the digest is
 * therefore a pure function of the position: anyone can recompute it ({@link #at}) and check
 * that a job resumed from a checkpoint did not skip, repeat or reorder an item.
 *
 * <p>Pure and immutable: no container, no I/O; unit-tested on its own.
 */
public record ProgressState(long position, String digest) {

    private static final String SEED = "checkpoint-example/progress-job";
    private static final HexFormat HEX = HexFormat.of();

    public ProgressState {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        Objects.requireNonNull(digest, "digest");
        if (digest.length() != 64 || !digest.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("digest must be 64 hex digits, was '" + digest + "'");
        }
        digest = digest.toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the state before the first item: position 0 */
    public static ProgressState initial() {
        return new ProgressState(0, HEX.formatHex(sha256(SEED.getBytes(StandardCharsets.US_ASCII))));
    }

    /**
     * Recomputes the state after {@code position} items from scratch.
     *
     * @param position how many items have been processed
     * @return the state a correct job has at that position
     */
    public static ProgressState at(long position) {
        return initial().advance(position);
    }

    /**
     * Processes the next {@code items} items of the stream.
     *
     * @param items how many, not negative
     * @return the state after them
     */
    public ProgressState advance(long items) {
        if (items < 0) {
            throw new IllegalArgumentException("items must not be negative, was " + items);
        }
        byte[] d = HEX.parseHex(digest);
        ByteBuffer input = ByteBuffer.allocate(d.length + Long.BYTES);
        for (long i = position; i < position + items; i++) {
            input.clear();
            input.put(d).putLong(i);
            d = sha256(input.array());
        }
        return new ProgressState(position + items, HEX.formatHex(d));
    }

    /** @return the checkpoint bytes: {@code position=<n>\ndigest=<hex>\n}, readable on disk */
    public byte[] encode() {
        return ("position=" + position + "\ndigest=" + digest + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @param bytes the checkpoint bytes
     * @return the state they hold
     * @throws IllegalArgumentException when the bytes are not such a state; a job must not
     *     silently restart from 0 over a checkpoint it cannot read
     */
    public static ProgressState decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String[] lines = text.split("\n", -1);
        if (lines.length != 3 || !lines[2].isEmpty()
                || !lines[0].startsWith("position=") || !lines[1].startsWith("digest=")) {
            throw new IllegalArgumentException("not a progress-job checkpoint: '" + abbreviate(text) + "'");
        }
        try {
            return new ProgressState(Long.parseLong(lines[0].substring("position=".length())),
                    lines[1].substring("digest=".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a progress-job checkpoint: '" + abbreviate(text) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
