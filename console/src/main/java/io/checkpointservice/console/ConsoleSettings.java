package io.checkpointservice.console;

import java.time.Duration;

/**
 * The console's own settings, as system properties of the server (the archive carries no
 * configuration, so an operator deploys it unchanged). Read once when the console starts.
 */
public final class ConsoleSettings {

    /** How long (s) segments may stay below R copies before readiness is DOWN. */
    public static final String BELOW_REPLICA_COUNT_SECONDS = "checkpoint.console.belowReplicaCountSeconds";
    static final long BELOW_REPLICA_COUNT_SECONDS_DEFAULT = 60;
    /** How often the chart's samples are taken. */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    /** Samples kept per node: 10 minutes. */
    static final int SAMPLES_KEPT = 120;

    private ConsoleSettings() {
    }

    /**
     * @return the limit of {@link #BELOW_REPLICA_COUNT_SECONDS}
     * @throws IllegalArgumentException naming the property when its value is not 0 to 86400
     */
    public static Duration belowReplicaCountLimit() {
        String value = System.getProperty(BELOW_REPLICA_COUNT_SECONDS);
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(BELOW_REPLICA_COUNT_SECONDS_DEFAULT);
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException(BELOW_REPLICA_COUNT_SECONDS + " must be 0 to 86400 (seconds), not '"
                + value + "'");
    }
}
