package io.checkpointservice.ra.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A warning once a problem has lasted, repeated ever more rarely while it goes on, and one INFO line at its end. */
class SustainedConditionTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger log = Logger.getAnonymousLogger();
    private final SustainedCondition condition = new SustainedCondition(log, Duration.ofSeconds(10));

    SustainedConditionTest() {
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Test
    void aShortProblemLogsNothing() {
        observeEverySecond(true, 0, 9);
        observe(false, 10_000);
        assertEquals(List.of(), logged);
    }

    @Test
    void aLastingProblemWarnsAfterItsThresholdThenAfterOneTwoFourMinutesAndSaysWhenItEnds() {
        observeEverySecond(true, 0, 8 * 60);
        assertEquals(List.of(10_000L, 70_000L, 190_000L, 430_000L), warningTimes(),
                "warned at 10 s, then 1, 2 and 4 minutes later");
        assertEquals("problem@10000 (for 10 s)", logged.get(0).getMessage());

        observe(false, 481_000);
        LogRecord last = logged.get(logged.size() - 1);
        assertEquals(Level.INFO, last.getLevel());
        assertEquals("recovered (after 481 s)", last.getMessage());

        observe(false, 482_000);
        assertEquals(5, logged.size(), "one INFO line per end");
    }

    @Test
    void repeatsAreAtMostHourly() {
        for (long t = 0; t <= 10 * 3_600_000L; t += 60_000) {
            observe(true, t);
        }
        List<Long> times = warningTimes();
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) - times.get(i - 1) <= 3_600_000L, "gap " + i + ": " + times);
        }
        assertEquals(3_600_000L, times.get(times.size() - 1) - times.get(times.size() - 2));
    }

    @Test
    void aProblemThatComesBackStartsOver() {
        observeEverySecond(true, 0, 10);
        observe(false, 11_000);
        observeEverySecond(true, 20, 29);
        assertEquals(1, warningTimes().size(), "the second one has not lasted 10 s yet");
        observe(true, 30_000);
        assertEquals(List.of(10_000L, 30_000L), warningTimes());
    }

    private void observeEverySecond(boolean holds, int fromSecond, int toSecond) {
        for (int s = fromSecond; s <= toSecond; s++) {
            observe(holds, s * 1_000L);
        }
    }

    private void observe(boolean holds, long at) {
        condition.observe(holds, at, () -> "problem@" + at, () -> "recovered");
    }

    private List<Long> warningTimes() {
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING)
                .map(r -> Long.parseLong(r.getMessage().substring("problem@".length(), r.getMessage().indexOf(' '))))
                .toList();
    }
}
