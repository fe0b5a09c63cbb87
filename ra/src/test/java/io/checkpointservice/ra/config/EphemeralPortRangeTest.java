package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EphemeralPortRangeTest {

    /** Linux's default net.ipv4.ip_local_port_range. */
    private static final EphemeralPortRange LINUX_DEFAULT = new EphemeralPortRange(32_768, 60_999);

    @Test
    void containsBothBoundsAndNothingOutside() {
        assertTrue(LINUX_DEFAULT.contains(32_768));
        assertTrue(LINUX_DEFAULT.contains(60_999));
        assertFalse(LINUX_DEFAULT.contains(32_767));
        assertFalse(LINUX_DEFAULT.contains(61_000));
    }

    @Test
    void warnsAboutAChannelPortInTheRangeNamingBothPorts() {
        String warning = LINUX_DEFAULT.warningFor(55_820).orElseThrow();
        assertTrue(warning.contains("55820") && warning.contains("55870") && warning.contains("32768-60999"), warning);
    }

    @Test
    void warnsWhenOnlyTheFailureDetectionPortFallsInTheRange() {
        int bindPort = 32_768 - ClusterSettings.FAILURE_DETECTION_PORT_OFFSET;
        assertTrue(LINUX_DEFAULT.warningFor(bindPort).isPresent(), "bindPort + 50 is the range's first port");
        assertTrue(LINUX_DEFAULT.warningFor(bindPort - 1).isEmpty(), "bindPort + 50 is just below the range");
    }

    @Test
    void theDefaultPortStaysBelowTheDefaultRangeForPortOffsetsUpTo6000() {
        for (int offset = 0; offset <= 6_000; offset += 100) {
            assertTrue(LINUX_DEFAULT.warningFor(ClusterSettings.DEFAULT_BASE_PORT + offset).isEmpty(),
                    "default port with offset " + offset);
        }
    }

    @Test
    void readsThisLinuxHostsRange() throws Exception {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(file), "not Linux");
        String[] bounds;
        try (InputStream in = Files.newInputStream(file)) {
            bounds = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        }
        assertEquals(new EphemeralPortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])),
                EphemeralPortRange.ofThisHost().orElseThrow());
    }
}
