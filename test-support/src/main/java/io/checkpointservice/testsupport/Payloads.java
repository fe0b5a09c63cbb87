package io.checkpointservice.testsupport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Segment contents any JVM can produce from (size, seed) alone: pseudo-random, so incompressible
 * like serialised state, and repeatable, so a 64 MiB segment never has to cross a control
 * connection (a node process generates it, the test computes its hash) and a benchmark writes the
 * same bytes in every run.
 */
public final class Payloads {

    private Payloads() {
    }

    /** @return {@code size} bytes of {@code java.util.Random(seed)}, the same on every JVM */
    public static byte[] generate(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** @return {@code count} names {@code prefix-0 .. prefix-(count-1)} */
    public static String[] names(String prefix, int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + "-" + i;
        }
        return names;
    }

    /**
     * The bytes of version {@code version} of a segment whose content is derived from its version
     * alone: a size in [minSize, maxSize] and the bytes both picked by the version, so a loaded
     * copy can be checked knowing nothing but its version number.
     */
    public static byte[] forVersion(long version, int minSize, int maxSize) {
        // One random block per version, repeated: as telling as all-random bytes (a torn tail, a
        // hole of zeros or a stretch of another version's blocks changes the hash), but cheap
        // enough that a writer of several MiB spends its time writing, not generating.
        byte[] block = generate(VERSION_BLOCK, version);
        byte[] bytes = new byte[sizeForVersion(version, minSize, maxSize)];
        for (int offset = 0; offset < bytes.length; offset += VERSION_BLOCK) {
            System.arraycopy(block, 0, bytes, offset, Math.min(VERSION_BLOCK, bytes.length - offset));
        }
        return bytes;
    }

    private static final int VERSION_BLOCK = 64 * 1024;

    /** @return the size {@link #forVersion} gives version {@code version} */
    public static int sizeForVersion(long version, int minSize, int maxSize) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("sizes " + minSize + ".." + maxSize);
        }
        long mixed = (version + 1) * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads consecutive versions
        return minSize + (int) Long.remainderUnsigned(mixed ^ (mixed >>> 29), maxSize - minSize + 1L);
    }

    /** @return lower-case hex SHA-256 */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return CRC32C as 8 hex digits */
    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    /** What a test expects a load to return: size and hash of a generated payload. */
    public record Expected(int size, long seed, String sha256) {

        public static Expected of(int size, long seed) {
            return new Expected(size, seed, Payloads.sha256(generate(size, seed)));
        }

        /** What {@link Payloads#forVersion} gives version {@code version}. */
        public static Expected forVersion(long version, int minSize, int maxSize) {
            byte[] bytes = Payloads.forVersion(version, minSize, maxSize);
            return new Expected(bytes.length, version, Payloads.sha256(bytes));
        }

        /** Bytes the test sends itself (as the request body); seed -1 marks them. */
        public static Expected ofBytes(byte[] bytes) {
            return new Expected(bytes.length, -1, Payloads.sha256(bytes));
        }

        @Override
        public String toString() {
            return size + " bytes" + (seed >= 0 ? " of seed " + seed : "") + " (sha256 " + sha256.substring(0, 12) + "...)";
        }
    }
}
