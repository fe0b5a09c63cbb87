package io.checkpointservice.ra.cluster;

import io.checkpointservice.api.CheckpointException;

/** The cluster could not carry out an operation now (no quorum, owners unreachable, timeout). */
public class ClusterUnavailableException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
