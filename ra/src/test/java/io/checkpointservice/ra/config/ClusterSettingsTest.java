package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster settings: the cluster secret and the refusal to expose clear traffic beyond loopback, the chunk sweep period. */
class ClusterSettingsTest {

    private static final String SECRET = "s3cret-value-0123456789";

    @TempDir
    Path tempDir;

    private static Map<String, String> raw(String... keysAndValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return raw;
    }

    private static String problem(Map<String, String> raw) {
        return assertThrows(InvalidSettingsException.class, () -> ClusterSettings.parse(raw),
                "settings " + raw.keySet() + " should be refused").getMessage();
    }

    @Test
    void globalStoreIsADirectoryADataSourceOrAPostgresUrlAndOtherSchemesAreRefusedByName() {
        assertEquals(GlobalStoreSettings.NONE, ClusterSettings.parse(raw()).globalStore(), "none by default");
        assertNull(ClusterSettings.parse(raw("globalStore", " ")).globalStore().url(), "empty is none");
        assertEquals(java.net.URI.create("file:/mnt/checkpoint-global"),
                ClusterSettings.parse(raw("globalStore", "file:/mnt/checkpoint-global")).globalStore().url());
        assertEquals(java.net.URI.create("datasource:java:jboss/datasources/CheckpointDS"), ClusterSettings.parse(
                raw("globalStore", "datasource:java:jboss/datasources/CheckpointDS")).globalStore().url());
        assertEquals(java.net.URI.create("jdbc:postgresql://db:5432/checkpoints?currentSchema=cp"), ClusterSettings
                .parse(raw("globalStore", "jdbc:postgresql://db:5432/checkpoints?currentSchema=cp")).globalStore().url());
        String other = problem(raw("globalStore", "jdbc:mysql://db/checkpoints"));
        assertTrue(other.contains("the only JDBC database is PostgreSQL"), other);
        String scheme = problem(raw("globalStore", "s3://bucket/checkpoints"));
        assertTrue(scheme.contains("only file:, datasource: and jdbc:postgresql: URLs are supported")
                && scheme.contains("scheme 's3:' is not"), scheme);
        assertTrue(problem(raw("globalStore", "/mnt/checkpoint-global")).contains("add the scheme"));
        assertTrue(problem(raw("globalStore", "file:relative/dir")).contains("absolute path"));
        assertTrue(problem(raw("globalStore", "datasource:")).contains("JNDI name"));
    }

    @Test
    void aPostgresLoginComesFromAFileNeverFromTheUrlAndOnlyForJdbc() throws Exception {
        String inUrl = problem(raw("globalStore", "jdbc:postgresql://db/checkpoints?user=cp&password=" + SECRET));
        assertTrue(inUrl.contains("no password in the URL") && inUrl.contains("globalStorePasswordFile"), inUrl);
        assertFalse(inUrl.contains(SECRET), "the refusal never repeats the password: " + inUrl);

        Path file = Files.writeString(tempDir.resolve("db.password"), SECRET + "\n");
        GlobalStoreSettings store = ClusterSettings.parse(raw("globalStore", "jdbc:postgresql://db/checkpoints",
                "globalStoreUser", "cp", "globalStorePasswordFile", file.toString())).globalStore();
        assertEquals("cp", store.user());
        assertEquals(SECRET, store.password(), "the file's content without its line end");
        assertFalse(store.toString().contains(SECRET), "the settings never print the password: " + store);

        String unreadable = problem(raw("globalStore", "jdbc:postgresql://db/checkpoints",
                "globalStorePasswordFile", tempDir.resolve("missing").toString()));
        assertTrue(unreadable.contains("globalStorePasswordFile") && unreadable.contains("cannot be read"), unreadable);
        String dataSource = problem(raw("globalStore", "datasource:java:jboss/datasources/CheckpointDS",
                "globalStoreUser", "cp"));
        assertTrue(dataSource.contains("for a jdbc: globalStore only") && dataSource.contains("DataSource's own"),
                dataSource);
    }

    @Test
    void loopbackWithoutSecretIsAllowedAndInClear() {
        assertNull(ClusterSettings.parse(raw()).secret(), "the default (127.0.0.1, no secret) stays allowed");
        assertNull(ClusterSettings.parse(raw("bindAddress", "localhost")).secret(), "localhost is loopback");
        assertNull(ClusterSettings.parse(raw("bindAddress", "::1")).secret(), "::1 is loopback");
    }

    @Test
    void nonLoopbackBindWithoutSecretIsRefusedSayingWhatToSet() {
        // Only parsed: nothing ever binds to or sends to this address.
        String message = problem(raw("bindAddress", "10.255.255.1"));
        assertTrue(message.contains("bindAddress 10.255.255.1 is not loopback: set clusterSecret or "
                + "clusterSecretFile so cluster traffic is authenticated and encrypted"), message);
        assertTrue(problem(raw("bindAddress", "0.0.0.0")).contains("bindAddress 0.0.0.0 is not loopback"),
                "the wildcard address reaches the network too");
    }

    @Test
    void nonLoopbackBindWithSecretIsAccepted() {
        ClusterSettings settings = ClusterSettings.parse(raw("bindAddress", "10.255.255.1", "clusterSecret", SECRET));
        assertNotNull(settings.secret(), "the secret is kept");
        assertFalse(settings.toString().contains(SECRET), "the settings never print the secret: " + settings);
    }

    @Test
    void secretFromAFileIsTheSameSecretWithoutItsLineEnd() throws Exception {
        Path file = Files.writeString(tempDir.resolve("cluster.secret"), SECRET + "\n");
        ClusterSecret fromFile = ClusterSettings.parse(raw("clusterSecretFile", file.toString())).secret();
        ClusterSecret fromValue = ClusterSettings.parse(raw("clusterSecret", SECRET)).secret();
        assertArrayEquals(fromValue.deriveKey("c").getEncoded(), fromFile.deriveKey("c").getEncoded(),
                "a file holding the secret (and a newline) gives the same key as the value");
    }

    @Test
    void keyIsAes256AndDependsOnSecretAndClusterName() {
        ClusterSecret secret = ClusterSettings.parse(raw("clusterSecret", SECRET)).secret();
        byte[] key = secret.deriveKey("checkpoint-service").getEncoded();
        assertEquals(32, key.length, "AES-256");
        assertEquals("AES", secret.deriveKey("checkpoint-service").getAlgorithm());
        assertArrayEquals(key, secret.deriveKey("checkpoint-service").getEncoded(), "deterministic on every node");
        assertFalse(Arrays.equals(key, secret.deriveKey("other-cluster").getEncoded()),
                "each cluster name gets its own key");
        ClusterSecret other = ClusterSettings.parse(raw("clusterSecret", SECRET + "x")).secret();
        assertFalse(Arrays.equals(key, other.deriveKey("checkpoint-service").getEncoded()),
                "another secret gives another key");
    }

    @Test
    void secretSettingErrorsAreClearAndNeverShowTheSecret() throws Exception {
        Path file = Files.writeString(tempDir.resolve("s"), SECRET);
        assertTrue(problem(raw("clusterSecret", SECRET, "clusterSecretFile", file.toString()))
                .contains("set only one of clusterSecret and clusterSecretFile"), "both set");

        Path missing = tempDir.resolve("missing.secret");
        String message = problem(raw("clusterSecretFile", missing.toString()));
        assertTrue(message.contains("clusterSecretFile '" + missing + "' cannot be read: NoSuchFileException"), message);

        message = problem(raw("clusterSecret", "tooShort-7f3a"));
        assertTrue(message.contains("clusterSecret is shorter than 16 characters"), message);
        assertFalse(message.contains("tooShort-7f3a"), "the message must not echo the secret: " + message);

        Path empty = Files.writeString(tempDir.resolve("empty.secret"), "\n");
        message = problem(raw("clusterSecretFile", empty.toString(), "bindAddress", "10.255.255.1"));
        assertTrue(message.contains("the secret in clusterSecretFile '" + empty + "' is shorter than 16"), message);
        assertFalse(message.contains("is not loopback"), "a configured but bad secret is reported once: " + message);
    }

    @Test
    void chunkSweepPeriodDefaultsToTenMinutesAndTakesWholeSeconds() {
        assertEquals(java.time.Duration.ofMinutes(10), ClusterSettings.parse(raw()).chunkSweepPeriod());
        assertEquals(java.time.Duration.ofSeconds(5), ClusterSettings.parse(raw("chunkSweepSeconds", " 5 ")).chunkSweepPeriod());
    }

    @Test
    void chunkSweepPeriodOutOfRangeOrNotANumberIsRefusedByName() {
        for (String bad : new String[] {"0", "-1", "86401", "ten", "1.5"}) {
            String message = problem(raw("chunkSweepSeconds", bad));
            assertTrue(message.contains("chunkSweepSeconds") && message.contains(bad), message);
        }
    }

    @Test
    void retainVersionsDefaultsToOneAndOutOfRangeIsRefusedByName() {
        assertEquals(1, ClusterSettings.parse(raw()).retainVersions());
        assertEquals(3, ClusterSettings.parse(raw("retainVersions", "3")).retainVersions());
        for (String bad : new String[] {"0", "-1", "101", "three", "2.5"}) {
            String message = problem(raw("retainVersions", bad));
            assertTrue(message.contains("retainVersions") && message.contains(bad), message);
        }
    }

    @Test
    void failureDetectionDefaultsToTheTimesFailoverWasMeasuredWith() {
        ClusterSettings.FailureDetection defaults = ClusterSettings.parse(raw()).failureDetection();
        assertEquals(Duration.ofSeconds(2), defaults.heartbeatInterval(), "FD_ALL3 interval");
        assertEquals(Duration.ofSeconds(10), defaults.timeout(), "FD_ALL3 timeout");
        assertEquals(Duration.ofSeconds(1), defaults.verifySuspect(), "VERIFY_SUSPECT2 timeout");
        assertEquals(ClusterSettings.FailureDetection.DEFAULT, defaults, "the parsed defaults are the declared ones");
    }

    @Test
    void failureDetectionTimesAreSetInMillisecondsAndChecked() {
        ClusterSettings.FailureDetection set = ClusterSettings.parse(raw("heartbeatIntervalMillis", "500",
                "failureDetectionTimeoutMillis", "3000", "suspectVerifyMillis", " 400 ")).failureDetection();
        assertEquals(new ClusterSettings.FailureDetection(Duration.ofMillis(500), Duration.ofMillis(3000),
                Duration.ofMillis(400)), set);

        String message = problem(raw("heartbeatIntervalMillis", "3000", "failureDetectionTimeoutMillis", "3000"));
        assertTrue(message.contains("heartbeatIntervalMillis 3000 must be less than failureDetectionTimeoutMillis 3000"),
                "JGroups refuses an interval that is not below the timeout, so the start-up check does: " + message);
        assertTrue(problem(raw("failureDetectionTimeoutMillis", "1500")).contains("heartbeatIntervalMillis 2000 must be less"),
                "a timeout below the default interval names the interval too");
        for (String[] bad : new String[][] {{"heartbeatIntervalMillis", "99"}, {"heartbeatIntervalMillis", "60001"},
                {"failureDetectionTimeoutMillis", "499"}, {"failureDetectionTimeoutMillis", "10s"},
                {"suspectVerifyMillis", "0"}, {"suspectVerifyMillis", "60001"}}) {
            message = problem(raw(bad[0], bad[1]));
            assertTrue(message.contains(bad[0] + " ") && message.contains(bad[1]), message);
        }
    }

    @Test
    void multicastAddressMustBeAMulticastAddress() {
        assertEquals("239.6.7.9", ClusterSettings.parse(raw()).multicastAddress(), "the default group");
        assertEquals("239.1.2.3", ClusterSettings.parse(raw("multicastAddress", " 239.1.2.3 ")).multicastAddress());
        assertEquals("ff0e::6:7:9", ClusterSettings.parse(raw("multicastAddress", "ff0e::6:7:9")).multicastAddress(),
                "IPv6 multicast is allowed");
        for (String bad : new String[] {"10.0.0.1", "127.0.0.1", "::1", "example.org", ""}) {
            String message = problem(raw("multicastAddress", bad));
            assertTrue(message.contains("multicastAddress '" + bad + "' is not a multicast address"), message);
        }
    }

    @Test
    void stopRemovalsWaitDefaultsToTwoSeconds() {
        assertEquals(Duration.ofSeconds(2), ClusterSettings.parse(raw()).stopRemovals());
        assertEquals(Duration.ZERO, ClusterSettings.parse(raw("stopRemovalsMillis", "0")).stopRemovals());
        assertTrue(problem(raw("stopRemovalsMillis", "60001")).contains("stopRemovalsMillis 60001 is outside 0..60000"));
    }

    @Test
    void everyProblemOfTheClusterSettingsIsReportedInOneMessage() {
        String message = problem(raw("clusterName", "a b", "bindPort", "65486", "discovery", "broadcast",
                "initialHosts", "host-without-port,127.0.0.1[1]", "capacityFactor", "-1", "chunkSweepSeconds", "0"));
        for (String expected : new String[] {"clusterName 'a b'", "bindPort 65486 is outside 1..65485",
                "discovery 'broadcast' is not one of: static, multicast", "initialHosts entry 'host-without-port'",
                "capacityFactor -1 is outside 0..1000", "chunkSweepSeconds 0"}) {
            assertTrue(message.contains(expected), "the one message should report " + expected + ": " + message);
        }
    }
}
