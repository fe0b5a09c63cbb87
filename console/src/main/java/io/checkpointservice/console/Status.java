package io.checkpointservice.console;

import java.util.List;

/**
 * The nodes of this server at one moment and the readiness verdict on them.
 *
 * @param time when they were read, in ms since the epoch
 * @param notReady why this server is not ready; empty when it is
 */
public record Status(long time, NodeReader.Reading reading, List<String> notReady) {

    /** @return true when no reason says otherwise */
    public boolean ready() {
        return notReady.isEmpty();
    }

    /** @return true while every node's MBean answers (liveness) */
    public boolean live() {
        return reading.unreadable().isEmpty();
    }
}
