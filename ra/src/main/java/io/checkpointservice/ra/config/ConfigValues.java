package io.checkpointservice.ra.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * @param configured the values of a bean's config properties by setting name (null: not set)
     * @return the value of every setting of {@code scope} that is set, by name: for a setting that
     *     {@link Setting#overridable() can be overridden}, its system property when set, else the
     *     configured value; trimmed, blanks left out
     */
    public static Map<String, String> resolve(Setting.Scope scope, Map<String, String> configured) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.of(scope)) {
            String configuredValue = configured.get(setting.name());
            String value = setting.overridable() ? resolve(setting.name(), configuredValue) : trimmed(configuredValue);
            if (value != null) {
                resolved.put(setting.name(), value);
            }
        }
        return resolved;
    }

    /**
     * @return the {@code checkpoint.*} system properties that name no adapter setting (a typo, or
     *     {@code checkpoint.namespace}, which belongs to each factory): they change nothing, and an
     *     operator who set one believes otherwise
     */
    public static List<String> unknownSystemProperties() {
        Set<String> known = new HashSet<>();
        Settings.of(Setting.Scope.ADAPTER).forEach(s -> known.add(SYSTEM_PROPERTY_PREFIX + s.name()));
        return System.getProperties().stringPropertyNames().stream()
                .filter(p -> p.startsWith(SYSTEM_PROPERTY_PREFIX) && !known.contains(p))
                .sorted().toList();
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
