package io.checkpointservice.ra.store;

import io.checkpointservice.api.CheckpointException;

/** The local store could not store, read or remove a copy; whatever was stored before is intact. */
public class LocalStoreException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public LocalStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public LocalStoreException(String message) {
        super(message);
    }
}
