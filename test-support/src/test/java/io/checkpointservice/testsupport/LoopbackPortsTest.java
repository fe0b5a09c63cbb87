package io.checkpointservice.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    private static final int OFFSET = 50;

    @Test
    void portsAreFreeTogetherWithTheirSecondPortAndNeverHandedOutTwice() throws IOException {
        int first = LoopbackPorts.pair(OFFSET);
        int second = LoopbackPorts.pair(OFFSET);
        assertNotEquals(first, second, "the same port was handed out twice");
        assertNotEquals(first + OFFSET, second, "a second port was handed out as a first");
        assertNotEquals(second + OFFSET, first, "a second port was handed out as a first");
        for (int port : new int[] {first, first + OFFSET, second, second + OFFSET}) {
            assertTrue(port >= 20_000 && port < 32_768, port + " is not below the ephemeral range");
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    void anOffsetThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackPorts.pair(0));
    }
}
