package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.testsupport.SystemProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The declarations themselves: names, defaults within their own ranges, overrides. */
class SettingsTest {

    @Test
    void everyFixedDefaultIsAValueItsSettingAccepts() {
        for (Setting<?> setting : Settings.ALL) {
            Object value = setting.defaultValue();
            if (value != null) {
                assertEquals(value, setting.parse(Kind.show(value)), setting + "'s default should parse to itself");
                assertEquals("`" + Kind.show(value) + "`", setting.defaultText().split(" ")[0],
                        setting + "'s documented default should be its value");
            }
        }
    }

    @Test
    void namesAreUniqueWordsAndOnlyTheSecretIsSecret() {
        assertEquals(Settings.ALL.size(), Settings.ALL.stream().map(Setting::name).distinct().count(), "unique names");
        for (Setting<?> setting : Settings.ALL) {
            assertTrue(setting.name().matches("[a-z][A-Za-z]+"), "a JavaBean property name: " + setting);
        }
        assertEquals(List.of(Settings.CLUSTER_SECRET), Settings.ALL.stream().filter(Setting::isSecret).toList());
    }

    @Test
    void adapterSettingsAreOverriddenBySystemPropertiesFactorySettingsAreNot() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("checkpoint.replicaCount", " 3 ");
        properties.put("checkpoint.namespace", "from-command-line");
        SystemProperties.with(properties, () -> {
            Map<String, String> adapter = ConfigValues.resolve(Setting.Scope.ADAPTER, Map.of("replicaCount", "1"));
            assertEquals(Map.of("replicaCount", "3"), adapter, "-Dcheckpoint.replicaCount wins, trimmed");
            Map<String, String> factory = ConfigValues.resolve(Setting.Scope.CONNECTION_FACTORY,
                    Map.of("namespace", " app "));
            assertEquals(Map.of("namespace", "app"), factory, "-Dcheckpoint.namespace is not an override");
            assertFalse(Settings.NAMESPACE.overridable());
        });
    }

    @Test
    void systemPropertiesNamingNoSettingAreReported() throws Exception {
        SystemProperties.with(Map.of("checkpoint.replicaCont", "3", "checkpoint.replicaCount", "3"), () -> {
            List<String> unknown = ConfigValues.unknownSystemProperties();
            assertTrue(unknown.contains("checkpoint.replicaCont"), "a typo is reported: " + unknown);
            assertFalse(unknown.contains("checkpoint.replicaCount"), "a setting is not: " + unknown);
        });
    }
}
