package io.checkpointservice.bench;

import io.checkpointservice.ra.config.ClusterSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Cluster ports on 127.0.0.1 for the benchmark's nodes. A node binds its port p and, for failure
 * detection (FD_SOCK2), p + {@link #FAILURE_DETECTION_OFFSET}: both must be free. Ports are never handed out twice in this JVM.
 */
public final class LoopbackPorts {

    /** FD_SOCK2 listens on bindPort + this: the product's own constant. */
    public static final int FAILURE_DETECTION_OFFSET = ClusterSettings.FAILURE_DETECTION_PORT_OFFSET;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /** @return a port p such that p and p + the offset are free on 127.0.0.1 now */
    @SuppressWarnings("try") // the second socket is opened only to prove the port free
    public static synchronized int clusterPort() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
                int port = first.getLocalPort();
                int fd = port + FAILURE_DETECTION_OFFSET;
                if (fd > 65535 || clashes(port) || clashes(fd)) {
                    continue;
                }
                try (ServerSocket second = new ServerSocket(fd, 1, loopback)) {
                    HANDED_OUT.add(port);
                    HANDED_OUT.add(fd);
                    return port;
                } catch (IOException taken) {
                    // p + offset is in use: try another p
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a server socket on " + loopback, e);
            }
        }
        throw new IllegalStateException("no free pair of loopback ports p, p+" + FAILURE_DETECTION_OFFSET + " found");
    }

    private static boolean clashes(int port) {
        return HANDED_OUT.contains(port) || HANDED_OUT.contains(port + FAILURE_DETECTION_OFFSET)
                || HANDED_OUT.contains(port - FAILURE_DETECTION_OFFSET);
    }
}
