package io.checkpointservice.ra.store;

import java.util.Locale;

/** How durable a disk write is when {@code write} returns. */
public enum SyncPolicy {

    /** File and directory are forced to the device: the copy survives a power loss. */
    FSYNC,

    /**
     * The file is complete in the operating system's cache: it survives the process being
     * killed, not a power loss of the host. Replicas give durability beyond the host.
     */
    NONE;

    /**
     * @param value {@code fsync} or {@code none}, in any case
     * @throws IllegalArgumentException naming the allowed values
     */
    public static SyncPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("syncPolicy '" + value + "' is not one of: fsync, none");
        }
    }
}
