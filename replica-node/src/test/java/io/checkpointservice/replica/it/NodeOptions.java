package io.checkpointservice.replica.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one node is configured: the {@code checkpoint.*} settings that differ between tests, and
 * its heap.
 *
 * @param replicaCount R, the same on every node of a cluster
 * @param disk disk mode, in the node's own directory under {@code target/it-data}; else memory
 * @param capacityFactor null for the default (1); "0" holds no replica chunks
 * @param heap the -Xmx value
 * @param syncPolicy null for the default (fsync); "none" or "fsync", used in disk mode
 */
public record NodeOptions(int replicaCount, boolean disk, String capacityFactor, String heap, String syncPolicy) {

    /** Memory mode, default capacity, 512 MiB heap. */
    public static NodeOptions memory(int replicaCount) {
        return new NodeOptions(replicaCount, false, null, "512m", null);
    }

    /** Disk mode (fsync policy, the default), each node in its own directory. */
    public NodeOptions onDisk() {
        return new NodeOptions(replicaCount, true, capacityFactor, heap, syncPolicy);
    }

    public NodeOptions capacityFactor(String factor) {
        return new NodeOptions(replicaCount, disk, factor, heap, syncPolicy);
    }

    public NodeOptions heap(String xmx) {
        return new NodeOptions(replicaCount, disk, capacityFactor, xmx, syncPolicy);
    }

    /** Disk mode with the given sync policy ("fsync" or "none"). */
    public NodeOptions onDisk(String policy) {
        return new NodeOptions(replicaCount, true, capacityFactor, heap, policy);
    }

    /**
     * @param storageDirectory the node's directory, used in disk mode
     * @return the settings as {@code checkpoint.<name>} keys, without the prefix
     */
    Map<String, String> checkpointSettings(Path storageDirectory) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("replicaCount", Integer.toString(replicaCount));
        if (disk) {
            settings.put("storageMode", "disk");
            settings.put("storageDirectory", storageDirectory.toAbsolutePath().toString());
            if (syncPolicy != null) {
                settings.put("syncPolicy", syncPolicy);
            }
        } else {
            settings.put("storageMode", "memory");
        }
        if (capacityFactor != null) {
            settings.put("capacityFactor", capacityFactor);
        }
        return settings;
    }
}
