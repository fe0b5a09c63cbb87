package io.checkpointservice.ra.cluster;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps a journal's write failures away from the cache operation that triggered them: a journal
 * is a second copy on this node's disk, so a full or failing disk costs that copy, never a
 * replication. Failures are logged, at most once a minute per journal.
 */
final class JournalFailures {

    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Logger log;
    private final String journal;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong failed = new AtomicLong();

    JournalFailures(Logger log, String journal) {
        this.log = log;
        this.journal = journal;
    }

    /** @return a stage that completes when {@code write} does, successfully even when it failed */
    CompletionStage<Void> absorb(CompletionStage<?> write) {
        return write.handle((ignored, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                long last = lastLogged.get();
                long now = System.nanoTime();
                if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                    log.warning(journal + ": " + failed.get() + " write(s) to this node's disk failed, the last: "
                            + e.getMessage() + "; the cluster's copies are unaffected, this node's disk copy is missing");
                }
            }
            return null;
        });
    }
}
