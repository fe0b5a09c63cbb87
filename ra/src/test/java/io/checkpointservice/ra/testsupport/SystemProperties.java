package io.checkpointservice.ra.testsupport;

import java.util.HashMap;
import java.util.Map;

/** Sets system properties for the length of one block and always puts the old values back. */
public final class SystemProperties {

    private SystemProperties() {
    }

    /** A block that may throw anything, so tests can assert inside it. */
    @FunctionalInterface
    public interface Block {
        void run() throws Exception;
    }

    /**
     * Runs {@code block} with {@code name=value} set ({@code value} null clears it), then restores
     * the previous value or absence, whatever the block did.
     */
    public static void with(String name, String value, Block block) throws Exception {
        with(mapOf(name, value), block);
    }

    /** Like {@link #with(String, String, Block)} for several properties at once. */
    public static void with(Map<String, String> properties, Block block) throws Exception {
        Map<String, String> previous = new HashMap<>();
        for (String name : properties.keySet()) {
            previous.put(name, System.getProperty(name));
        }
        try {
            properties.forEach(SystemProperties::set);
            block.run();
        } finally {
            previous.forEach(SystemProperties::set);
        }
    }

    private static void set(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private static Map<String, String> mapOf(String name, String value) {
        Map<String, String> map = new HashMap<>();
        map.put(name, value);
        return map;
    }
}
