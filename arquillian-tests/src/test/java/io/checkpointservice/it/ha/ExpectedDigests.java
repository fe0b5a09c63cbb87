package io.checkpointservice.it.ha;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest the example job must report at a position, recomputed here independently of the
 * job's own code: the chain of {@code io.checkpointservice.example.ProgressState} (ear-example),
 * copied rather than shared so that the test checks the job instead of trusting it.
 *
 * <p>Start: {@code SHA-256("checkpoint-example/progress-job")} (US-ASCII). Item {@code i} (0, 1, 2, ...)
 * replaces the digest {@code d} by {@code SHA-256(d || i)}, {@code i} as 8 bytes big-endian. The
 * digest after {@code position} items is lower-case hex. A job that resumed from a checkpoint and
 * skipped, repeated or reordered an item reports a digest that differs from this one.
 *
 * <p>Computed states are remembered, so checking a growing position costs only the new items.
 * Thread-safe.
 */
final class ExpectedDigests {

    private static final String SEED = "checkpoint-example/progress-job";
    private static final HexFormat HEX = HexFormat.of();

    /** position -> digest bytes; always holds position 0. */
    private final TreeMap<Long, byte[]> known = new TreeMap<>();

    ExpectedDigests() {
        known.put(0L, sha256(SEED.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * @param position how many items the job has processed, not negative
     * @return the lower-case hex digest a correct job reports at that position
     */
    synchronized String at(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + position);
        }
        Map.Entry<Long, byte[]> from = known.floorEntry(position);
        byte[] d = from.getValue();
        ByteBuffer input = ByteBuffer.allocate(32 + Long.BYTES);
        for (long i = from.getKey(); i < position; i++) {
            input.clear();
            input.put(d).putLong(i);
            d = sha256(input.array());
        }
        known.put(position, d);
        if (known.size() > 10_000) {
            // Keep the memo bounded: every 1000th position is enough to stay fast.
            known.keySet().removeIf(p -> p % 1000 != 0 && p != position);
        }
        return HEX.formatHex(d);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
