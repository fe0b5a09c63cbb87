package io.checkpointservice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file and directory under the node's disk storage directory with size and modification
 * time: comparing two snapshots shows any file a rejected call created, replaced, removed or left
 * half-written (a temporary file). Leaves out {@value #CLUSTER_DIRECTORY}/, the cluster's records and
 * replica chunks that the node keeps on disk: background replication of earlier, valid writes
 * changes them at any moment, and a rejected call never reaches the cluster.
 */
public final class StorageSnapshot {

    /** The storage directory's subdirectory of the cluster's own files (CheckpointNode.CLUSTER_DIRECTORY). */
    public static final String CLUSTER_DIRECTORY = "cluster";

    private final SortedMap<String, String> entries;

    private StorageSnapshot(SortedMap<String, String> entries) {
        this.entries = entries;
    }

    public static StorageSnapshot of(Path directory) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (directory.relativize(p).startsWith(CLUSTER_DIRECTORY)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String key = directory.relativize(p) + (a.isDirectory() ? "/" : "");
                entries.put(key, a.isDirectory() ? "dir" : a.size() + " bytes @" + a.lastModifiedTime());
            }
        }
        return new StorageSnapshot(entries);
    }

    /** @return one line per entry added, removed or changed since {@code before} */
    public List<String> changesSince(StorageSnapshot before) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String old = before.entries.get(e.getKey());
            if (old == null) {
                changes.add("new " + e.getKey() + " (" + e.getValue() + ")");
            } else if (!old.equals(e.getValue())) {
                changes.add("changed " + e.getKey() + " (" + old + " -> " + e.getValue() + ")");
            }
        }
        for (String key : before.entries.keySet()) {
            if (!entries.containsKey(key)) {
                changes.add("removed " + key);
            }
        }
        return changes;
    }
}
