package io.checkpointservice.ra.global;

/**
 * The global store cannot be read or written now (unreachable, unwritable, full). A copy that is
 * there but damaged is not this: it is treated as missing.
 */
public final class GlobalStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GlobalStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
