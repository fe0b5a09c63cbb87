package io.checkpointservice.ra.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(100, 5_000);

    @Test
    void pausesDoubleUpToTheMaximumWithinTheUpperHalfOfTheirCeiling() {
        long[] ceilings = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000};
        for (int attempt = 0; attempt < ceilings.length; attempt++) {
            for (int draw = 0; draw < 200; draw++) {
                long delay = backoff.delayMillis(attempt);
                long ceiling = ceilings[attempt];
                assertTrue(delay >= ceiling / 2 && delay <= ceiling,
                        "retry " + attempt + " pauses " + delay + " ms, outside [" + ceiling / 2 + ", " + ceiling + "]");
            }
        }
        assertTrue(backoff.delayMillis(Integer.MAX_VALUE) <= 5_000, "a huge attempt count stays at the maximum");
    }

    @Test
    void retryStopsAtTheFirstDecisionOrAfterItsAttempts() throws InterruptedException {
        Backoff quick = new Backoff(1, 2);
        AtomicInteger calls = new AtomicInteger();
        assertEquals(Optional.of("done"), quick.retry(5, () -> calls.incrementAndGet() == 3
                ? Optional.of("done") : Optional.empty()), "the third attempt decides");
        assertEquals(3, calls.get(), "no attempt after the decision");

        calls.set(0);
        assertEquals(Optional.empty(), quick.retry(4, () -> {
            calls.incrementAndGet();
            return Optional.empty();
        }), "no attempt decided");
        assertEquals(4, calls.get(), "every attempt was made");
    }

    @Test
    void refusesAPolicyThatCannotPause() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10), "a first pause of 0 ms");
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5), "a maximum below the first pause");
    }
}
