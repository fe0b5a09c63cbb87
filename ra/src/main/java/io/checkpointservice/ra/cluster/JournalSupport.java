package io.checkpointservice.ra.cluster;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.functional.FunctionalMap.WriteOnlyMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.marshall.core.MarshallableFunctions;

/**
 * What the journals share: the local cache on Infinispan's soft-index file store that holds a
 * journal, and keeping a journal's write failures away from the cache operation that triggered
 * them (a journal is a second copy on this node's disk, so a full or failing disk costs that
 * copy, never a replication). Failures are logged, at most once a minute per journal.
 */
final class JournalSupport {

    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Logger log;
    private final String journal;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong failed = new AtomicLong();

    JournalSupport(Logger log, String journal) {
        this.log = log;
        this.journal = journal;
    }

    /**
     * Defines a local cache whose entries are kept in Infinispan's soft-index file store under
     * {@code directory} (written through, not only on eviction), with {@code inMemory} of them also
     * in memory.
     */
    static void defineLocalFileCache(DefaultCacheManager manager, String name, Path directory, int inMemory,
                                     int maxFileBytes) {
        manager.defineConfiguration(name, new ConfigurationBuilder()
                .clustering().cacheMode(CacheMode.LOCAL)
                .memory().maxCount(inMemory)
                .persistence().passivation(false)
                .addSoftIndexFileStore()
                .dataLocation(directory.resolve("data").toAbsolutePath().toString())
                .indexLocation(directory.resolve("index").toAbsolutePath().toString())
                .maxFileSize(maxFileBytes)
                .build());
    }

    /**
     * Removes a journal's entry from memory and from its file store without reading it first.
     * A plain remove loads the entry from the store to return it (a 1 MiB read for a chunk), and
     * one with IGNORE_RETURN_VALUES or SKIP_CACHE_LOAD does not reach an entry kept only in the
     * store (most are: a journal keeps few in memory) and leaves it; a write-only functional
     * remove does neither: it marks the entry removed, which deletes it from the store, found or not.
     */
    static <K, V> CompletableFuture<Void> removeWithoutReading(WriteOnlyMap<K, V> journal, K key) {
        return journal.eval(key, MarshallableFunctions.removeConsumer());
    }

    /** @return the write-only view of a journal's cache, for {@link #removeWithoutReading} */
    static <K, V> WriteOnlyMap<K, V> writeOnly(Cache<K, V> journal) {
        return FunctionalMapImpl.create(journal.getAdvancedCache()).toWriteOnlyMap();
    }

    /** @return a stage that completes when {@code write} does, successfully even when it failed */
    CompletionStage<Void> absorb(CompletionStage<?> write) {
        return write.handle((ignored, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                long last = lastLogged.get();
                long now = System.nanoTime();
                if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                    log.warning(journal + ": " + failed.get() + " write(s) to this node's disk failed, the last: "
                            + e.getMessage() + "; the cluster's copies are unaffected, this node's disk copy is missing");
                }
            }
            return null;
        });
    }
}
