package io.checkpointservice.ra.config;

/** Where a node keeps its local copies. */
public enum StorageMode {
    /** In the heap: fastest, lost with the process; replicas are then the only other copies. */
    MEMORY,
    /** One file per segment in {@code storageDirectory}: survives a restart of the node. */
    DISK
}
