package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start line: every adapter setting with the value the node runs with, secrets masked. */
class EffectiveSettingsTest {

    private static final String SECRET = "correct-horse-battery-staple";

    @TempDir
    Path dir;

    @Test
    void theStartLineNamesEverySettingAndMasksTheSecret() {
        Map<String, String> raw = new HashMap<>();
        raw.put("nodeName", "node-7");
        raw.put("storageMode", "memory");
        raw.put("replicaCount", "1");
        raw.put("bindPort", "26300");
        raw.put("clusterSecret", SECRET);
        raw.put("backlogWarnSegments", "500");

        String line = EffectiveSettings.line(AdapterSettings.parse(raw), ClusterSettings.parse(raw));

        assertFalse(line.contains(SECRET), "the secret must never be logged: " + line);
        assertTrue(line.startsWith("checkpoint node 'node-7' runs with nodeName=node-7, storageMode=memory, "), line);
        assertTrue(line.contains(", clusterSecret=" + EffectiveSettings.MASK + ","), line);
        assertTrue(line.contains(", clusterSecretFile=none"), line);
        assertTrue(line.contains(", replicaCount=1,"), line);
        assertTrue(line.contains(", bindPort=26300,"), line);
        assertTrue(line.contains(", initialHosts=127.0.0.1[26300],"), "a default the node worked out: " + line);
        assertTrue(line.contains(", backlogWarnSegments=500, underReplicatedWarnSeconds=60,"), line);
        assertTrue(line.contains(", stopDrainMillis=5000,"), "defaults in the setting's own unit: " + line);
        assertTrue(line.contains(", discovery=static,"), line);
        assertFalse(line.contains("\n"), "one line");
    }

    @Test
    void everyAdapterSettingHasAnEffectiveValueInTheReadmeOrder() {
        Map<String, String> shown = EffectiveSettings.shown(AdapterSettings.parse(Map.of()), ClusterSettings.parse(Map.of()));
        assertEquals(Settings.of(Setting.Scope.ADAPTER).stream().map(Setting::name).toList(), shown.keySet().stream().toList());
        assertEquals("none", shown.get("clusterSecret"), "an unset secret shows that it is unset");
    }

    @Test
    void aSecretFromAFileShowsTheFileNotTheSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("cluster.secret"), SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> raw = Map.of("clusterSecretFile", file.toString());

        Map<String, String> shown = EffectiveSettings.shown(AdapterSettings.parse(raw), ClusterSettings.parse(raw));

        assertEquals("none", shown.get("clusterSecret"));
        assertEquals(file.toString(), shown.get("clusterSecretFile"));
        assertFalse(shown.toString().contains(SECRET));
    }

    @Test
    void aDatabasePasswordFromAFileShowsTheFileNotThePassword() throws Exception {
        Path file = Files.writeString(dir.resolve("db.password"), SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> raw = Map.of("globalStore", "jdbc:postgresql://db.example:5432/checkpoints",
                "globalStoreUser", "checkpoint", "globalStorePasswordFile", file.toString());

        ClusterSettings cluster = ClusterSettings.parse(raw);
        String line = EffectiveSettings.line(AdapterSettings.parse(raw), cluster);

        assertTrue(line.contains(", globalStore=jdbc:postgresql://db.example:5432/checkpoints, "
                + "globalStoreUser=checkpoint, globalStorePasswordFile=" + file + ","), line);
        assertFalse(line.contains(SECRET), "the password must never be logged: " + line);
        assertFalse(cluster.toString().contains(SECRET), "nor printed with the settings: " + cluster);
    }
}
