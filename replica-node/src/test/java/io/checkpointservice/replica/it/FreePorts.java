package io.checkpointservice.replica.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Cluster ports on 127.0.0.1, chosen before any node starts so that every node's
 * {@code initialHosts} can list them. A node binds its port p and, for failure detection
 * (FD_SOCK2), p + 50: both must be free. Ports are never handed out twice in this JVM.
 */
public final class FreePorts {

    /** FD_SOCK2 listens on bindPort + this (see the ra module's JGroupsStack). */
    public static final int FAILURE_DETECTION_OFFSET = 50;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** @return a port p such that p and p + 50 are free on 127.0.0.1 now */
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
                    // p + 50 is in use: try another p
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
