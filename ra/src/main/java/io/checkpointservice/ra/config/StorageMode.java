package io.checkpointservice.ra.config;

import java.util.Locale;

/** Where a node keeps its local copies. */
public enum StorageMode {
    /** In the heap: fastest, lost with the process; replicas are then the only other copies. */
    MEMORY,
    /** One file per segment in {@code storageDirectory}: survives a restart of the node. */
    DISK;

    /** @throws IllegalArgumentException naming the allowed values */
    public static StorageMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("storageMode '" + value + "' is not one of: memory, disk");
        }
    }
}
