package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStoreException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.infinispan.Cache;

/**
 * Brings the global store's records into the cluster when a node starts: a cluster whose nodes
 * all lost their memory and disks knows its segments again, and each record then points at a
 * version whose chunks no replica holds, so {@code load} takes it from the global store.
 *
 * <p>The same rule as the record journal's ({@link RecordJournal#offer}): a record is set only where
 * the cluster has none or an older one by {@link RecordMergePolicy#PRECEDENCE}, by compare-and-set,
 * so a running cluster's newer records are never replaced and a node starting into a running
 * cluster changes nothing. Only the copies' headers are read, one segment directory at a time.
 */
final class GlobalRecovery {

    private static final Logger LOG = Logger.getLogger(GlobalRecovery.class.getName());

    private GlobalRecovery() {
    }

    /**
     * @return how many records were brought into the cluster
     * @throws GlobalStoreException when the store cannot be read: the node does not start, because a
     *     cluster that lost its disks would otherwise answer "absent" for segments the store holds (G8)
     */
    static int restoreInto(Cache<String, String> records, GlobalStore store) {
        AtomicInteger offered = new AtomicInteger();
        AtomicInteger restored = new AtomicInteger();
        store.forEachNewestRecord((key, record) -> {
            offered.incrementAndGet();
            if (RecordJournal.offer(records, key, record.encoded(), record)) {
                restored.incrementAndGet();
            }
        });
        LOG.info(() -> "global store " + store.describe() + ": " + offered.get() + " segments, " + restored.get()
                + " records brought into the cluster");
        return restored.get();
    }
}
