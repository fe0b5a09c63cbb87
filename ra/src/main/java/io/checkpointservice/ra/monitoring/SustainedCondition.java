package io.checkpointservice.ra.monitoring;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A problem worth a warning once it has lasted: observed every few seconds, it logs a WARNING
 * when it has held for {@code after}, repeats it while it goes on after 1, 2, 4 ... minutes
 * (at most hourly, so a node left alone with a problem it cannot fix does not fill its log), and
 * logs one INFO line when it ends. A problem that ends before {@code after} logs nothing.
 */
final class SustainedCondition {

    static final Duration FIRST_REPEAT = Duration.ofMinutes(1);
    static final Duration LAST_REPEAT = Duration.ofHours(1);

    private final Logger log;
    private final Duration after;
    private long heldSince = -1;
    private long warnedAt = -1;
    private long repeat;

    /**
     * @param log where the lines go
     * @param after how long the problem holds before the first warning
     */
    SustainedCondition(Logger log, Duration after) {
        this.log = log;
        this.after = after;
    }

    /**
     * @param holds whether the problem is there now
     * @param nowMillis the time of the observation
     * @param problem what is wrong, for the warning (called only to warn)
     * @param recovered what the end looks like, for the INFO line (called only then)
     */
    synchronized void observe(boolean holds, long nowMillis, Supplier<String> problem, Supplier<String> recovered) {
        if (!holds) {
            if (warnedAt >= 0) {
                log.info(recovered.get() + " (after " + seconds(nowMillis - heldSince) + ")");
            }
            heldSince = -1;
            warnedAt = -1;
            return;
        }
        if (heldSince < 0) {
            heldSince = nowMillis;
        }
        long held = nowMillis - heldSince;
        if (warnedAt < 0 && held >= after.toMillis()) {
            repeat = FIRST_REPEAT.toMillis();
        } else if (warnedAt < 0 || nowMillis - warnedAt < repeat) {
            return;
        } else {
            repeat = Math.min(repeat * 2, LAST_REPEAT.toMillis());
        }
        warnedAt = nowMillis;
        log.log(Level.WARNING, problem.get() + " (for " + seconds(held) + ")");
    }

    private static String seconds(long millis) {
        return millis / 1000 + " s";
    }
}
