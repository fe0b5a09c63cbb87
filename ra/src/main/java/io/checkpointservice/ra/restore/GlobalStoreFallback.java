package io.checkpointservice.ra.restore;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStoreException;
import io.checkpointservice.ra.store.Checksums;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The load's second source: when no replica can give the record's version, the global store's
 * copy of exactly that version (the same version, data epoch and publishing node, checked against
 * the record's size and CRC32C). Only the source changes: the loader stores it and takes the
 * segment over through the record as for a replica's copy (G5, G6).
 */
final class GlobalStoreFallback {

    private static final Logger LOG = Logger.getLogger(GlobalStoreFallback.class.getName());

    private final GlobalStore store;

    GlobalStoreFallback(GlobalStore store) {
        this.store = store;
    }

    /**
     * @param unreachable why the replicas could not give it; thrown, with the store's reason
     *     added, when the store cannot give it either
     * @return the version's bytes
     * @throws SegmentUnavailableException when the store holds no intact copy of that version or
     *     cannot be read now: the segment exists, so never "absent" (G8)
     */
    byte[] fetch(String key, String name, SegmentRecord record, SegmentUnavailableException unreachable) {
        if (!store.configured()) {
            throw unreachable;
        }
        Optional<byte[]> copy;
        try {
            copy = store.get(key, record);
        } catch (GlobalStoreException e) {
            unreachable.addSuppressed(e);
            throw new SegmentUnavailableException(unreachable.getMessage() + "; the global store cannot be read "
                    + "either: " + e.getMessage(), unreachable);
        }
        // The store checked its copy against its own header and the record; checked here again
        // because what reaches the application is this loader's promise (G7).
        if (copy.isEmpty() || copy.get().length != record.size() || Checksums.crc32c(copy.get()) != record.checksum()) {
            throw new SegmentUnavailableException(unreachable.getMessage() + "; the global store holds no intact "
                    + "copy of v" + record.version(), unreachable);
        }
        LOG.info(() -> "'" + key + "' v" + record.version() + " loaded from the global store " + store.describe()
                + ": no replica could give it (" + unreachable.getMessage() + ")");
        return copy.get();
    }
}
