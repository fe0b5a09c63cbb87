package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.config.ClusterSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for test clusters, so they never clash with another test or engineer. */
public final class Ports {

    private Ports() {
    }

    /**
     * @return a free port p on loopback whose p + 50 (the failure detection port) is free too
     */
    public static int freePortPair() {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int attempt = 0; attempt < 50; attempt++) {
                try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
                    int port = first.getLocalPort();
                    if (port + ClusterSettings.FAILURE_DETECTION_PORT_OFFSET > 65535) {
                        continue;
                    }
                    try (ServerSocket second = new ServerSocket(port + ClusterSettings.FAILURE_DETECTION_PORT_OFFSET, 1, loopback)) {
                        return port;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no free pair of loopback ports found");
    }
}
