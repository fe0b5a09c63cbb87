package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.EphemeralPortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cluster ports on 127.0.0.1 for test and benchmark nodes, chosen before any node starts so that
 * every node's {@code initialHosts} can list them. A node binds its port p and, for failure
 * detection (FD_SOCK2), p + {@link #FAILURE_DETECTION_OFFSET}: both must be free. One source
 * ({@code ra/src/testsupport/java}) compiled by the ra and replica-node tests and by the
 * benchmarks (build-helper), not a test jar: a build with {@code -Dmaven.test.skip} leaves a test
 * jar empty, and the benchmarks' main code needs this class.
 *
 * <p>Ports are drawn below the kernel's ephemeral range, never from it: a port the kernel hands
 * out for "any free port" is free when chosen, but until the node binds it, any outgoing
 * connection of the other nodes starting meanwhile (JGroups, the test's control connections) may
 * get it as its local port. That made a node of a 5-node test fail to start ("No available port
 * to bind to in range [37701 .. 37701]").
 */
public final class LoopbackPorts {

    /** FD_SOCK2 listens on bindPort + this: the product's own constant. */
    public static final int FAILURE_DETECTION_OFFSET = ClusterSettings.FAILURE_DETECTION_PORT_OFFSET;
    /** Above the ports servers are usually configured on (WildFly's 8080/9990 and their offsets). */
    private static final int LOWEST = 20_000;
    private static final int EPHEMERAL_DEFAULT_START = 32_768;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /** @return a port p such that p and p + the offset are free on 127.0.0.1 now; never the same twice in this JVM */
    @SuppressWarnings("try") // the sockets are opened only to prove the ports free
    public static synchronized int clusterPort() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int end = ephemeralStart() - FAILURE_DETECTION_OFFSET;
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            int fd = port + FAILURE_DETECTION_OFFSET;
            if (clashes(port) || clashes(fd)) {
                continue;
            }
            try (ServerSocket first = new ServerSocket(port, 1, loopback);
                 ServerSocket second = new ServerSocket(fd, 1, loopback)) {
                HANDED_OUT.add(port);
                HANDED_OUT.add(fd);
                return port;
            } catch (IOException taken) {
                // p or p + offset is in use: try another p
            }
        }
        throw new IllegalStateException("no free pair of loopback ports p, p+" + FAILURE_DETECTION_OFFSET
                + " found between " + LOWEST + " and " + end);
    }

    /**
     * @return a port free on 127.0.0.1 now, below the ephemeral range, for a test server of
     *     another kind (a PostgreSQL); never one handed out before in this JVM
     */
    @SuppressWarnings("try") // the socket is opened only to prove the port free
    public static synchronized int serverPort() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int end = ephemeralStart();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (clashes(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(port, 1, loopback)) {
                HANDED_OUT.add(port);
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free loopback port found between " + LOWEST + " and " + end);
    }

    /** @return the first port of the kernel's ephemeral range, or where it starts by default */
    private static int ephemeralStart() {
        return EphemeralPortRange.ofThisHost().map(EphemeralPortRange::first)
                .filter(start -> start > LOWEST + 1_000)
                .orElse(EPHEMERAL_DEFAULT_START); // not Linux: the IANA dynamic range starts higher still
    }

    private static boolean clashes(int port) {
        return HANDED_OUT.contains(port) || HANDED_OUT.contains(port + FAILURE_DETECTION_OFFSET)
                || HANDED_OUT.contains(port - FAILURE_DETECTION_OFFSET);
    }
}
