package io.checkpointservice.ra.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The range the kernel draws the local ports of outgoing connections from (Linux:
 * {@code net.ipv4.ip_local_port_range}, 32768-60999 by default). A server port inside it may be
 * held, at the moment the node starts, by any outgoing connection of this host; the cluster
 * channel then cannot bind and the adapter does not start. Ports below the range never meet that.
 *
 * @param first the lowest ephemeral port
 * @param last the highest ephemeral port
 */
public record EphemeralPortRange(int first, int last) {

    private static final Path LINUX = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** @return this host's range; empty where the kernel does not say (not Linux) or says nonsense */
    public static Optional<EphemeralPortRange> ofThisHost() {
        try {
            // Not Files.readString: it trusts the size /proc reports (0) and returned "3" here.
            String[] bounds = Files.readAllLines(LINUX).get(0).trim().split("\\s+");
            int first = Integer.parseInt(bounds[0]);
            int last = Integer.parseInt(bounds[1]);
            return first > 0 && first <= last && last <= 65_535
                    ? Optional.of(new EphemeralPortRange(first, last)) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** @return whether a listening socket on port may find it taken by an outgoing connection */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /**
     * @param bindPort the cluster channel's port; failure detection listens on it plus
     *     {@link ClusterSettings#FAILURE_DETECTION_PORT_OFFSET}
     * @return what to tell the operator when either port lies in this range; empty when neither does
     */
    public Optional<String> warningFor(int bindPort) {
        int failureDetection = bindPort + ClusterSettings.FAILURE_DETECTION_PORT_OFFSET;
        if (!contains(bindPort) && !contains(failureDetection)) {
            return Optional.empty();
        }
        return Optional.of("bindPort " + bindPort + " (failure detection on " + failureDetection
                + ") lies in this host's ephemeral port range " + first + "-" + last
                + ", so an outgoing connection may hold it when the node starts; choose a bindPort below " + first
                + " (minus " + ClusterSettings.FAILURE_DETECTION_PORT_OFFSET + ")");
    }
}
