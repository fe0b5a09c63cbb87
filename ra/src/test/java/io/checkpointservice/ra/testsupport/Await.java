package io.checkpointservice.ra.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something a background thread or another cluster member does. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every 50 ms; fails with {@code message} when it is still false after 15 s. */
    public static void until(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(50);
        }
    }
}
