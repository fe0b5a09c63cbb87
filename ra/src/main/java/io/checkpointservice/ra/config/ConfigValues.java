package io.checkpointservice.ra.config;

import java.util.List;

/**
 * Resolves a config property against its per-node system property: {@code checkpoint.<name>}
 * given on the server's command line wins over the value in the deployment descriptor, so that
 * one .rar serves every node and each node's settings come from its start command.
 */
public final class ConfigValues {

    /** The prefix of every per-node system property. */
    public static final String SYSTEM_PROPERTY_PREFIX = "checkpoint.";

    private ConfigValues() {
    }

    /**
     * @param property the config property's name, such as {@code storageMode}
     * @param configured the value from the descriptor or annotation default; may be null
     * @return the system property's value when set, else {@code configured}, trimmed; null when
     *     neither is set or the result is blank
     */
    public static String resolve(String property, String configured) {
        return trimmed(System.getProperty(SYSTEM_PROPERTY_PREFIX + property, configured));
    }

    /**
     * Parses a whole-number setting, collecting what is wrong instead of stopping at the first
     * problem, so that one refusal names every bad setting.
     *
     * @param value the configured value; null means not set
     * @return the value, or {@code defaultValue} when it is not set or not a number
     */
    static int parseInt(String name, String value, int defaultValue, int min, int max, List<String> problems) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                problems.add(name + " " + parsed + " is outside " + min + ".." + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " '" + value + "' is not a whole number");
            return defaultValue;
        }
    }

    /**
     * @param configured a value from a descriptor; may be null
     * @return the value trimmed, as every config value is; null when null or blank
     */
    public static String trimmed(String configured) {
        String value = configured;
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.trim();
    }
}
