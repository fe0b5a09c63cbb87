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
 * @param chunkSweepSeconds the routine sweep of abandoned chunks: every second unless a test says
 *     otherwise, so that every test's checks of G3-G8 (kills, take-overs, fenced writers, restarts)
 *     hold with the sweep running all the time; it must never remove chunks a record can reach
 * @param rackId null for none; the node's rack, for topology-aware placement
 * @param globalStore null for none; the {@code globalStore} URL
 * @param retainVersions null for the default (1); how many published versions of each segment are kept
 */
public record NodeOptions(int replicaCount, boolean disk, String capacityFactor, String heap, String syncPolicy,
                          String chunkSweepSeconds, String rackId, String globalStore, Integer retainVersions) {

    /** Memory mode, default capacity, 512 MiB heap. */
    public static NodeOptions memory(int replicaCount) {
        return new NodeOptions(replicaCount, false, null, "512m", null, "1", null, null, null);
    }

    /** Disk mode (fsync policy, the default), each node in its own directory. */
    public NodeOptions onDisk() {
        return new NodeOptions(replicaCount, true, capacityFactor, heap, syncPolicy, chunkSweepSeconds, rackId,
                globalStore, retainVersions);
    }

    public NodeOptions capacityFactor(String factor) {
        return new NodeOptions(replicaCount, disk, factor, heap, syncPolicy, chunkSweepSeconds, rackId, globalStore,
                retainVersions);
    }

    public NodeOptions heap(String xmx) {
        return new NodeOptions(replicaCount, disk, capacityFactor, xmx, syncPolicy, chunkSweepSeconds, rackId,
                globalStore, retainVersions);
    }

    /** Disk mode with the given sync policy ("fsync" or "none"). */
    public NodeOptions onDisk(String policy) {
        return new NodeOptions(replicaCount, true, capacityFactor, heap, policy, chunkSweepSeconds, rackId,
                globalStore, retainVersions);
    }

    public NodeOptions chunkSweepSeconds(String seconds) {
        return new NodeOptions(replicaCount, disk, capacityFactor, heap, syncPolicy, seconds, rackId, globalStore,
                retainVersions);
    }

    /** On the given rack: Infinispan places a chunk's owners on as many racks as it can. */
    public NodeOptions onRack(String rack) {
        return new NodeOptions(replicaCount, disk, capacityFactor, heap, syncPolicy, chunkSweepSeconds, rack,
                globalStore, retainVersions);
    }

    /** With the shared directory {@code directory} as global store ({@code file:} URL). */
    public NodeOptions globalStore(Path directory) {
        return new NodeOptions(replicaCount, disk, capacityFactor, heap, syncPolicy, chunkSweepSeconds, rackId,
                directory.toAbsolutePath().toUri().toString(), retainVersions);
    }

    /** With the global store at {@code url} ({@code jdbc:postgresql:...}, {@code file:...}). */
    public NodeOptions globalStore(String url) {
        return new NodeOptions(replicaCount, disk, capacityFactor, heap, syncPolicy, chunkSweepSeconds, rackId, url,
                retainVersions);
    }

    /** Keeping the last {@code versions} published versions of each segment ({@code retainVersions}). */
    public NodeOptions retainVersions(int versions) {
        return new NodeOptions(replicaCount, disk, capacityFactor, heap, syncPolicy, chunkSweepSeconds, rackId,
                globalStore, versions);
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
        settings.put("chunkSweepSeconds", chunkSweepSeconds);
        if (rackId != null) {
            settings.put("rackId", rackId);
        }
        if (globalStore != null) {
            settings.put("globalStore", globalStore);
        }
        if (retainVersions != null) {
            settings.put("retainVersions", retainVersions.toString());
        }
        return settings;
    }
}
