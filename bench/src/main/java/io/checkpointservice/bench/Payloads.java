package io.checkpointservice.bench;

import java.util.Random;

/** Benchmark payloads: random bytes (incompressible, like serialised state), fixed seed. */
public final class Payloads {

    private Payloads() {
    }

    /** @return {@code size} pseudo-random bytes, the same for the same size and seed */
    public static byte[] random(int size, long seed) {
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
}
