package io.checkpointservice.ra.config;

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
