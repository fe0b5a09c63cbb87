package io.checkpointservice.ra.store;

/** How durable a disk write is when {@code write} returns. */
public enum SyncPolicy {

    /** File and directory are forced to the device: the copy survives a power loss. */
    FSYNC,

    /**
     * The file is complete in the operating system's cache: it survives the process being
     * killed, not a power loss of the host. Replicas give durability beyond the host.
     */
    NONE
}
