package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.config.ClusterSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failure detection times and the multicast group reach the JGroups stack as configured. */
class JGroupsStackTest {

    @Test
    void defaultFailureDetectionTimesAreTenSecondsTwoAndOne() {
        String xml = JGroupsStack.xml(ClusterSettings.parse(Map.of()), null);
        assertTrue(xml.contains("<FD_ALL3 timeout=\"10000\" interval=\"2000\"/>"), xml);
        assertTrue(xml.contains("<VERIFY_SUSPECT2 timeout=\"1000\"/>"), xml);
    }

    @Test
    void configuredFailureDetectionTimesAndMulticastAddressAreUsed() {
        String xml = JGroupsStack.xml(ClusterSettings.parse(Map.of("heartbeatIntervalMillis", "500",
                "failureDetectionTimeoutMillis", "3000", "suspectVerifyMillis", "400",
                "discovery", "multicast", "multicastAddress", "239.1.2.3")), null);
        assertTrue(xml.contains("<FD_ALL3 timeout=\"3000\" interval=\"500\"/>"), xml);
        assertTrue(xml.contains("<VERIFY_SUSPECT2 timeout=\"400\"/>"), xml);
        assertTrue(xml.contains("mcast_addr=\"239.1.2.3\""), xml);
    }
}
