package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.checkpointservice.ra.testsupport.SystemProperties;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private static final String PROPERTY = "checkpoint.configValuesTestProperty";

    @Test
    void systemPropertyWinsOverTheConfiguredValue() throws Exception {
        SystemProperties.with(PROPERTY, " from-command-line ", () ->
                assertEquals("from-command-line", ConfigValues.resolve("configValuesTestProperty", "from-descriptor"),
                        "-Dcheckpoint.<name> should win over the descriptor's value, trimmed"));
    }

    @Test
    void configuredValueIsUsedWhenNoSystemPropertyIsSet() throws Exception {
        SystemProperties.with(PROPERTY, null, () -> {
            assertEquals("from-descriptor", ConfigValues.resolve("configValuesTestProperty", "  from-descriptor  "),
                    "without a system property the configured value is used, trimmed");
            assertNull(ConfigValues.resolve("configValuesTestProperty", null), "neither set means null (use the default)");
            assertNull(ConfigValues.resolve("configValuesTestProperty", "   "), "a blank configured value means null");
        });
    }

    @Test
    void blankSystemPropertyMeansTheDefault() throws Exception {
        SystemProperties.with(PROPERTY, "  ", () ->
                assertNull(ConfigValues.resolve("configValuesTestProperty", "from-descriptor"),
                        "a blank system property resolves to null, as documented"));
    }

    @Test
    void systemPropertyIsRestoredAfterEachTest() {
        assertNull(System.getProperty(PROPERTY), "no test may leave its system property behind");
    }
}
