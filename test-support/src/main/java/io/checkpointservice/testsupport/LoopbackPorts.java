package io.checkpointservice.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for test and benchmark nodes, chosen before any node starts so that every
 * node's {@code initialHosts} can list them. A cluster node binds its port p and, for failure
 * detection, p + an offset (the adapter's {@code ClusterSettings.FAILURE_DETECTION_PORT_OFFSET}):
 * {@link #pair} finds a p for which both are free.
 *
 * <p>Ports are drawn below the kernel's ephemeral range, never from it: a port the kernel hands
 * out for "any free port" is free when chosen, but until the node binds it, any outgoing
 * connection of the other nodes starting meanwhile (JGroups, the test's control connections) may
 * get it as its local port. That made a node of a 5-node test fail to start ("No available port
 * to bind to in range [37701 .. 37701]").
 */
public final class LoopbackPorts {

    /** Above the ports servers are usually configured on (WildFly's 8080/9990 and their offsets). */
    private static final int LOWEST = 20_000;
    private static final int EPHEMERAL_DEFAULT_START = 32_768;
    /**
     * Where Linux keeps the ephemeral range. Read here as well as by the adapter's
     * EphemeralPortRange: this module depends on the JDK only, so that the adapter's own tests can
     * use it without a dependency cycle.
     */
    private static final Path LINUX_EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /**
     * @param offset how far above p the second port lies (positive)
     * @return a port p such that p and p + offset are free on 127.0.0.1 now; never a port handed
     *     out before in this JVM, nor one of its p + offset
     */
    @SuppressWarnings("try") // the sockets are opened only to prove the ports free
    public static synchronized int pair(int offset) {
        if (offset <= 0) {
            throw new IllegalArgumentException("offset " + offset + " is not positive");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int end = ephemeralStart() - offset;
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            int second = port + offset;
            if (clashes(port, offset) || clashes(second, offset)) {
                continue;
            }
            try (ServerSocket first = new ServerSocket(port, 1, loopback);
                 ServerSocket other = new ServerSocket(second, 1, loopback)) {
                HANDED_OUT.add(port);
                HANDED_OUT.add(second);
                return port;
            } catch (IOException taken) {
                // p or p + offset is in use: try another p
            }
        }
        throw new IllegalStateException("no free pair of loopback ports p, p+" + offset
                + " found between " + LOWEST + " and " + end);
    }

    /**
     * @return a port free on 127.0.0.1 now, below the ephemeral range, for a test server of
     *     another kind (a PostgreSQL); never one handed out before in this JVM
     */
    @SuppressWarnings("try") // the socket is opened only to prove the port free
    public static synchronized int single() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int end = ephemeralStart();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (HANDED_OUT.contains(port)) {
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
        try {
            // Not Files.readString: it trusts the size /proc reports (0).
            String[] bounds = Files.readAllLines(LINUX_EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            int first = Integer.parseInt(bounds[0]);
            int last = Integer.parseInt(bounds[1]);
            boolean sane = first > 0 && first <= last && last <= 65_535;
            return sane && first > LOWEST + 1_000 ? first : EPHEMERAL_DEFAULT_START;
        } catch (IOException | RuntimeException unreadable) {
            return EPHEMERAL_DEFAULT_START; // not Linux: the IANA dynamic range starts higher still
        }
    }

    private static boolean clashes(int port, int offset) {
        return HANDED_OUT.contains(port) || HANDED_OUT.contains(port + offset)
                || HANDED_OUT.contains(port - offset);
    }
}
