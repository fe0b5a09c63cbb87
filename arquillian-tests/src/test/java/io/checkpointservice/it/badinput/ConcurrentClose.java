package io.checkpointservice.it.badinput;

import static io.checkpointservice.it.badinput.Expect.that;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closing a connection while other threads use it: every call either completes (its write is
 * stored whole and is the version a later load returns) or throws the documented
 * {@link IllegalStateException}; nothing hangs and nothing is stored half.
 */
final class ConcurrentClose {

    private static final int THREADS = 8;
    private static final long HANG_SECONDS = 60;
    private static final int STATE_BYTES = 16 * 1024;

    private ConcurrentClose() {
    }

    /** Many threads close the same handle at once; each close returns. */
    static void closeFromManyThreads(CheckpointConnection connection, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> closes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                closes.add(pool.submit(() -> {
                    go.await();
                    connection.close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> close : closes) {
                close.get(HANG_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void closeWhileThreadsWriteAndLoad(CaseContext context) throws Exception {
        CheckpointConnection shared = context.connection();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            names.add(context.scratchName("concurrent-close-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Outcome>> futures = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(THREADS);
        try {
            for (int i = 0; i < THREADS; i++) {
                int thread = i;
                futures.add(pool.submit(() -> useUntilClosed(shared, names.get(thread), thread, running)));
            }
            that(running.await(HANG_SECONDS, TimeUnit.SECONDS), "expected all " + THREADS + " threads to get going");
            Thread.sleep(100); // let every thread complete some calls before the close
            shared.close();

            int completed = 0;
            for (int i = 0; i < THREADS; i++) {
                Outcome outcome;
                try {
                    outcome = futures.get(i).get(HANG_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("thread " + i + " still runs " + HANG_SECONDS + " s after close: a call hangs");
                }
                that(outcome.problem == null, "thread " + i + ": " + outcome.problem);
                checkStored(context, names.get(i), outcome);
                completed += outcome.completedCalls;
            }
            // Otherwise the close came before any call and the row raced nothing.
            that(completed > 0, "expected some calls to complete before the close, none did");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes and loads its own segment until the shared connection says it is closed. */
    private static Outcome useUntilClosed(CheckpointConnection shared, String name, int thread, CountDownLatch running) {
        Outcome outcome = new Outcome();
        running.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        for (int round = 1; System.nanoTime() < deadline; round++) {
            byte[] state = state(thread, round);
            try {
                long version = shared.write(name, state);
                outcome.lastVersion = version;
                outcome.lastState = state;
                outcome.completedCalls++;
                Optional<Checkpoint> loaded = shared.load(name);
                outcome.completedCalls++;
                if (loaded.isEmpty() || loaded.get().version() != version || !Arrays.equals(loaded.get().state(), state)) {
                    outcome.problem = "load right after write v" + version + " returned "
                            + loaded.map(BadInputCases::describe).orElse("nothing");
                    return outcome;
                }
            } catch (IllegalStateException expected) {
                if (!expected.getMessage().contains("closed")) {
                    outcome.problem = "IllegalStateException that does not say 'closed': " + expected;
                }
                return outcome;
            } catch (RuntimeException other) {
                outcome.problem = "round " + round + " threw " + other + " instead of completing or IllegalStateException";
                return outcome;
            }
        }
        outcome.problem = "never saw the connection closed within " + HANG_SECONDS + " s";
        return outcome;
    }

    /** The stored segment is the last write that returned, whole: no half write, no lost write. */
    private static void checkStored(CaseContext context, String name, Outcome outcome) {
        Optional<Checkpoint> stored = context.connection().load(name);
        if (outcome.lastState == null) {
            that(stored.isEmpty(), "expected no segment " + name + " (no write returned), got "
                    + stored.map(BadInputCases::describe).orElse(""));
            return;
        }
        that(stored.isPresent(), "expected " + name + " v" + outcome.lastVersion + ", it is absent");
        that(stored.get().version() == outcome.lastVersion, "expected " + name + " at the last returned version v"
                + outcome.lastVersion + ", got v" + stored.get().version());
        that(Arrays.equals(stored.get().state(), outcome.lastState), "expected " + name
                + " to hold the bytes of its last returned write");
    }

    /** Bytes that differ per thread and round, so a mix-up or a torn copy shows. */
    private static byte[] state(int thread, int round) {
        ByteBuffer buffer = ByteBuffer.allocate(STATE_BYTES);
        while (buffer.remaining() >= 8) {
            buffer.putInt(thread).putInt(round);
        }
        return buffer.array();
    }

    private static final class Outcome {
        long lastVersion;
        byte[] lastState;
        int completedCalls;
        String problem;
    }
}
