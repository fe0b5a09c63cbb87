package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.SystemProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdapterSettingsTest {

    private static final Map<String, String> NOTHING_SET = Map.of();

    /** The properties the defaults read from the environment, cleared so that the test sees plain defaults. */
    private static Map<String, String> noWildFly() {
        Map<String, String> cleared = new HashMap<>();
        cleared.put("jboss.node.name", null);
        cleared.put("jboss.server.data.dir", null);
        cleared.put("com.sun.aas.instanceName", null);
        cleared.put("com.sun.aas.instanceRoot", null);
        return cleared;
    }

    @Test
    void everySettingHasASafeDefaultOutsideWildFly() throws Exception {
        SystemProperties.with(noWildFly(), () -> {
            AdapterSettings settings = AdapterSettings.parse(NOTHING_SET);

            assertEquals(Defaults.nodeName(), settings.nodeName(), "the node name defaults to the host name");
            assertTrue(!settings.nodeName().isBlank(), "the default node name must not be blank");
            assertEquals(StorageMode.DISK, settings.storageMode(), "storageMode defaults to disk");
            assertEquals(SyncPolicy.FSYNC, settings.syncPolicy(), "syncPolicy defaults to fsync");
            assertEquals(64 * 1024 * 1024, settings.maxSegmentBytes(), "maxSegmentBytes defaults to 64 MiB");
            assertEquals(2, settings.replicaCount(), "replicaCount defaults to 2");
            assertEquals(4, settings.replicationWorkers(), "replicationWorkers defaults to 4");
            Path expected = Path.of(System.getProperty("user.dir"), "checkpoint-data",
                    settings.nodeName().replaceAll("[^A-Za-z0-9._-]", "_"));
            assertEquals(expected, settings.storageDirectory(),
                    "outside WildFly the directory defaults to <user.dir>/checkpoint-data/<node>");
        });
    }

    @Test
    void defaultNodeNameAndDirectoryComeFromWildFlyWhenItRuns() throws Exception {
        Map<String, String> wildFly = new HashMap<>();
        wildFly.put("jboss.node.name", "node-7");
        wildFly.put("jboss.server.data.dir", "/srv/wildfly/data");
        SystemProperties.with(wildFly, () -> {
            AdapterSettings settings = AdapterSettings.parse(NOTHING_SET);
            assertEquals("node-7", settings.nodeName(), "the node name defaults to jboss.node.name");
            assertEquals(Path.of("/srv/wildfly/data", "checkpoint"), settings.storageDirectory(),
                    "the directory defaults to ${jboss.server.data.dir}/checkpoint");
        });
    }

    @Test
    void defaultNodeNameAndDirectoryComeFromPayaraWhenItRuns() throws Exception {
        Map<String, String> payara = noWildFly();
        payara.put("com.sun.aas.instanceName", "instance-3");
        payara.put("com.sun.aas.instanceRoot", "/srv/payara/nodes/host-a/instance-3");
        SystemProperties.with(payara, () -> {
            AdapterSettings settings = AdapterSettings.parse(NOTHING_SET);
            assertEquals("instance-3", settings.nodeName(), "the node name defaults to Payara's instance name");
            assertEquals(Path.of("/srv/payara/nodes/host-a/instance-3", "checkpoint"), settings.storageDirectory(),
                    "the directory defaults to ${com.sun.aas.instanceRoot}/checkpoint");
        });
    }

    @Test
    void aPayaraDomainsOwnServerIsNamedForItsDomain() throws Exception {
        Map<String, String> payara = noWildFly();
        payara.put("com.sun.aas.instanceName", "server");
        payara.put("com.sun.aas.instanceRoot", "/opt/payara6/glassfish/domains/orders-a");
        SystemProperties.with(payara, () -> {
            AdapterSettings settings = AdapterSettings.parse(NOTHING_SET);
            assertEquals("orders-a", settings.nodeName(),
                    "every domain's own server is called 'server': its node name is the domain's");
            assertEquals(Path.of("/opt/payara6/glassfish/domains/orders-a", "checkpoint"), settings.storageDirectory(),
                    "the directory defaults to the domain directory's checkpoint/");
        });
    }

    @Test
    void defaultDirectoryOfANodeNameWithOddCharactersStaysOneDirectoryDeep() throws Exception {
        Map<String, String> props = noWildFly();
        SystemProperties.with(props, () -> {
            Path dir = Defaults.storageDirectory("../../etc/x y");
            assertEquals(Path.of(System.getProperty("user.dir"), "checkpoint-data"), dir.getParent(),
                    "a node name must not move the default directory out of checkpoint-data/, was " + dir);
        });
    }

    @Test
    void explicitValuesAreParsedIgnoringCaseAndSurroundingBlanks() {
        AdapterSettings settings = AdapterSettings.parse(Map.of("nodeName", "node-b", "storageMode", " Memory ",
                "storageDirectory", "/var/data/cp", "syncPolicy", "NONE", "maxSegmentBytes", " 1024 ", "replicaCount", "0"));
        assertEquals("node-b", settings.nodeName(), "nodeName as given");
        assertEquals(StorageMode.MEMORY, settings.storageMode(), "storageMode is case-insensitive and trimmed");
        assertEquals(Path.of("/var/data/cp"), settings.storageDirectory(), "storageDirectory as given");
        assertEquals(SyncPolicy.NONE, settings.syncPolicy(), "syncPolicy is case-insensitive");
        assertEquals(1024, settings.maxSegmentBytes(), "maxSegmentBytes is trimmed");
        assertEquals(0, settings.replicaCount(), "replicaCount 0 is allowed (single node)");
    }

    @Test
    void boundaryValuesAreAccepted() {
        AdapterSettings low = AdapterSettings.parse(raw("maxSegmentBytes", "0", "replicaCount", "0"));
        assertEquals(0, low.maxSegmentBytes(), "maxSegmentBytes 0 is the lowest allowed");
        assertEquals(0, low.replicaCount(), "replicaCount 0 is the lowest allowed");
        AdapterSettings high = AdapterSettings.parse(raw("maxSegmentBytes", String.valueOf(Settings.MAX_SEGMENT_BYTES_LIMIT),
                "replicaCount", String.valueOf(Settings.MAX_REPLICA_COUNT)));
        assertEquals(Settings.MAX_SEGMENT_BYTES_LIMIT, high.maxSegmentBytes(), "the documented limit is allowed");
        assertEquals(Settings.MAX_REPLICA_COUNT, high.replicaCount(), "the documented replica limit is allowed");
        assertEquals("n".repeat(64), AdapterSettings.parse(raw("nodeName", "n".repeat(64))).nodeName(),
                "a node name of 64 characters is allowed");
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("storageMode", "tape"),
                Arguments.of("storageMode", "disk,memory"),
                Arguments.of("syncPolicy", "sometimes"),
                Arguments.of("syncPolicy", "fsync!"),
                Arguments.of("maxSegmentBytes", "lots"),
                Arguments.of("maxSegmentBytes", "1.5"),
                Arguments.of("maxSegmentBytes", "64MiB"),
                Arguments.of("maxSegmentBytes", "-1"),
                Arguments.of("maxSegmentBytes", String.valueOf(Settings.MAX_SEGMENT_BYTES_LIMIT + 1L)),
                Arguments.of("maxSegmentBytes", "2147483647"),
                Arguments.of("maxSegmentBytes", "99999999999"),
                Arguments.of("maxSegmentBytes", ""),
                Arguments.of("replicaCount", "two"),
                Arguments.of("replicaCount", "-1"),
                Arguments.of("replicaCount", "17"),
                Arguments.of("replicaCount", "1e3"),
                Arguments.of("replicaCount", "99999999999"),
                Arguments.of("replicationWorkers", "0"),
                Arguments.of("replicationWorkers", "-2"),
                Arguments.of("replicationWorkers", "65"),
                Arguments.of("replicationWorkers", "many"),
                Arguments.of("nodeName", "tab\there"),
                Arguments.of("nodeName", "node a"),
                Arguments.of("nodeName", "node/1"),
                Arguments.of("nodeName", "n\u00f6de"),
                Arguments.of("nodeName", "n".repeat(65)),
                Arguments.of("stopDrainMillis", "-1"),
                Arguments.of("stopDrainMillis", "600001"),
                Arguments.of("stopWorkersMillis", "2s"),
                Arguments.of("stopWorkersMillis", "60001"),
                Arguments.of("storageDirectory", "/var/nul\u0000byte"));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @MethodSource("invalidValues")
    void invalidValueIsReportedNamingTheSetting(String setting, String value) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> AdapterSettings.parse(raw(setting, value)),
                setting + "='" + value + "' should be refused");
        assertTrue(e.getMessage().contains(setting), "the message should name the setting " + setting + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("-Dcheckpoint.<name>"),
                "the message should say settings can be given as system properties: " + e.getMessage());
    }

    @Test
    void everyInvalidValueIsReportedInOneMessage() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> AdapterSettings.parse(Map.of("nodeName", "bad\u0007node", "storageMode", "tape",
                        "storageDirectory", "/ok", "syncPolicy", "sometimes", "maxSegmentBytes", "lots", "replicaCount", "-1")),
                "several invalid values should be refused together");
        String message = e.getMessage();
        for (String expected : new String[] {"nodeName", "storageMode 'tape'", "syncPolicy 'sometimes'",
                "maxSegmentBytes 'lots'", "replicaCount -1"}) {
            assertTrue(message.contains(expected), "the one message should report " + expected + ": " + message);
        }
        for (String setting : new String[] {"nodeName '", "storageMode '", "syncPolicy '", "maxSegmentBytes '", "replicaCount "}) {
            assertEquals(message.indexOf(setting), message.lastIndexOf(setting),
                    "each problem should be reported once: " + setting + " in " + message);
        }
    }

    @Test
    void allNumericProblemsAreReportedTogether() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> AdapterSettings.parse(raw("maxSegmentBytes", "-5", "replicaCount", "100")));
        assertTrue(e.getMessage().contains("maxSegmentBytes -5") && e.getMessage().contains("replicaCount 100"),
                "both out-of-range numbers should be reported in one message: " + e.getMessage());
    }

    @Test
    void settingsRecordRefusesMissingParts() {
        Path dir = Path.of("/tmp/x");
        assertThrows(NullPointerException.class, () -> new AdapterSettings(null, StorageMode.DISK, dir, SyncPolicy.NONE, 1, 1),
                "a null node name is refused");
        assertThrows(NullPointerException.class, () -> new AdapterSettings("n", null, dir, SyncPolicy.NONE, 1, 1),
                "a null storage mode is refused");
        assertThrows(NullPointerException.class, () -> new AdapterSettings("n", StorageMode.DISK, null, SyncPolicy.NONE, 1, 1),
                "a null directory is refused");
        assertThrows(NullPointerException.class, () -> new AdapterSettings("n", StorageMode.DISK, dir, null, 1, 1),
                "a null sync policy is refused");
    }

    /** Raw settings with a node name, a directory and the given name/value pairs. */
    private static Map<String, String> raw(String... pairs) {
        Map<String, String> values = new HashMap<>();
        values.put("nodeName", "node-a");
        values.put("storageDirectory", "/tmp/checkpoint-test");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void replicationWorkersAcceptsOneToSixtyFour() {
        assertEquals(1, AdapterSettings.parse(raw("replicationWorkers", "1")).replicationWorkers(), "1 worker is allowed");
        assertEquals(Settings.MAX_REPLICATION_WORKERS,
                AdapterSettings.parse(raw("replicationWorkers", " 64 ")).replicationWorkers(), "the documented limit is allowed");
        assertThrows(IllegalArgumentException.class,
                () -> new AdapterSettings("n", StorageMode.MEMORY, Path.of("x"), SyncPolicy.NONE, 1, 1, 0),
                "settings built in code are checked too: 0 workers would never replicate");
    }

    @Test
    void replicationWorkersComesFromItsSystemPropertyOutsideAServer() throws Exception {
        Map<String, String> properties = noWildFly();
        properties.put("checkpoint.replicationWorkers", "7");
        SystemProperties.with(properties, () -> assertEquals(7,
                AdapterSettings.fromSystemProperties("memory").replicationWorkers(),
                "-Dcheckpoint.replicationWorkers should set the worker count"));
    }

    @Test
    void stopTimeoutsDefaultToFiveAndTwoSecondsAndTakeMilliseconds() {
        AdapterSettings defaults = AdapterSettings.parse(raw());
        assertEquals(Duration.ofSeconds(5), defaults.stopDrain(), "a graceful stop drains for 5 s by default");
        assertEquals(Duration.ofSeconds(2), defaults.stopWorkers(), "and waits 2 s for the workers");
        AdapterSettings set = AdapterSettings.parse(raw("stopDrainMillis", "0", "stopWorkersMillis", " 750 "));
        assertEquals(Duration.ZERO, set.stopDrain(), "0 stops without draining");
        assertEquals(Duration.ofMillis(750), set.stopWorkers(), "milliseconds, trimmed");
    }
}
