package io.checkpointservice.bench;

import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.testsupport.Payloads;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1: the write latency an application sees, for a 64 KiB segment, against the two ways it could
 * otherwise keep that state safe, each measured in the same run:
 *
 * <ul>
 *   <li>{@link #checkpointWrite}: {@code CheckpointService.write} (what a connection handle calls),
 *       memory store, disk store with syncPolicy none, and disk with fsync, on a node of a
 *       3-member cluster (this JVM + 2 storage-only replica processes, R = 2) whose replicator
 *       publishes in the background meanwhile;</li>
 *   <li>{@link #infinispanPut}: a raw Infinispan DIST_SYNC put (numOwners 2) of the same bytes from
 *       the same JVM, on a cache defined on the same 3 members and the same JGroups channel;</li>
 *   <li>{@link #postgresUpsert}: a row upserted per write in PostgreSQL on 127.0.0.1 (skipped with
 *       a message when no server is running: see {@code bench/setup-postgres.sh});</li>
 *   <li>{@link #floorCopy}, {@link #floorCopyFresh} and {@link #floorCopyAndChecksum}: no
 *       baselines but references, without any cluster: the copy a memory-store write needs, made
 *       over the previous version's array as the store does; the same copy into a new array; and
 *       that plus a checksum on the writer's thread, which the memory store avoids.</li>
 * </ul>
 *
 * <p>Each benchmark runs in its own fork with its own cluster; all write to 16 keys in turn, so
 * that the baseline's keys spread over primary owners like the product's segments do.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.net.preferIPv4Stack=true"})
public class WriteLatencyBenchmark {

    static final int KEYS = 16;

    /** Bytes per write; 64 KiB is the target's size. */
    @State(Scope.Benchmark)
    public static class Sized {
        @Param({"65536"})
        public int sizeBytes;
        byte[] payload;
        /** One array per key, as the memory store keeps them: the floor's copy goes over them. */
        byte[][] reused;
        final String[] names = Payloads.names("p1", KEYS);
        int next;

        @Setup(Level.Trial)
        public void payload() {
            payload = Payloads.generate(sizeBytes, 42);
            reused = new byte[KEYS][sizeBytes];
        }

        String nextName() {
            next = (next + 1) % KEYS;
            return names[next];
        }
    }

    /** The product: a checkpoint node in this JVM with 2 replica processes. */
    @State(Scope.Benchmark)
    public static class Product extends ClusterState {
        @Param({"memory", "disk-none"})
        public String storage;
        /**
         * {@code cluster}: the node with 2 replica processes, R = 2 (the target's set-up).
         * {@code alone}: a diagnostic: the same node with no replica and R = 0, so no replication
         * work competes with the writer for the cores.
         */
        @Param({"cluster"})
        public String replication;
        /**
         * {@code default}: the product's persistence for the storage (disk: record and chunk
         * journals on every node; memory: none). The persistence figures set it to {@code none},
         * {@code journals}, {@code global} or {@code journals+global} ({@link LoopbackCluster.Spec#durability}).
         */
        @Param({"default"})
        public String durability;

        @Setup(Level.Trial)
        public void start() {
            LoopbackCluster.Spec spec = LoopbackCluster.Spec.defaults().storage(storage);
            if (!"default".equals(durability)) {
                spec = spec.durability(durability);
            }
            startCluster("alone".equals(replication) ? spec.alone() : spec);
            System.out.println("P1 product on " + cluster);
        }

        @Override
        protected void beforeClose() {
            System.out.println("P1 replicator backlog at the end: " + service.replicator().backlog());
        }
    }

    /** The Infinispan baseline: a raw DIST_SYNC cache on the same kind of cluster. */
    @State(Scope.Benchmark)
    public static class RawInfinispan extends ClusterState {
        @Param({"2"})
        public int numOwners;
        Cache<String, byte[]> cache;

        @Setup(Level.Trial)
        public void start() {
            cache = startRawCluster(numOwners);
            System.out.println("P1 baseline: raw DIST_SYNC cache, numOwners " + numOwners + ", on " + cluster);
        }
    }

    /** The shared-storage baseline. */
    @State(Scope.Benchmark)
    public static class Postgres {
        PostgresBaseline database;
        long version;

        @Setup(Level.Trial)
        public void connect() {
            database = PostgresBaseline.connect();
        }

        @TearDown(Level.Trial)
        public void close() {
            database.close();
        }
    }

    @Benchmark
    public long checkpointWrite(Product product, Sized sized) {
        return product.service.write(LoopbackCluster.NAMESPACE, sized.nextName(), sized.payload);
    }

    /**
     * Reference, not a baseline: the work no memory-store write can skip, one copy of the caller's
     * array (the application may reuse it once {@code write} returns), made as the store makes it:
     * over the array that held the segment's previous version. The product's write minus this is
     * its own overhead.
     */
    @Benchmark
    public byte[] floorCopy(Sized sized) {
        byte[] target = sized.reused[sized.next];
        System.arraycopy(sized.payload, 0, target, 0, target.length);
        sized.nextName();
        return target;
    }

    /** Reference: the same copy into a newly allocated array, which the memory store avoids. */
    @Benchmark
    public byte[] floorCopyFresh(Sized sized) {
        return sized.payload.clone();
    }

    /**
     * Reference: a fresh copy plus its CRC32C on the writer's thread; the memory store leaves the
     * checksum to the first reader (docs/PERFORMANCE.md, P1).
     */
    @Benchmark
    public int floorCopyAndChecksum(Sized sized) {
        byte[] copy = sized.payload.clone();
        return Checksums.crc32c(copy) ^ copy.length;
    }

    @Benchmark
    public byte[] infinispanPut(RawInfinispan raw, Sized sized) {
        return raw.cache.put(sized.nextName(), sized.payload);
    }

    @Benchmark
    public long postgresUpsert(Postgres postgres, Sized sized) {
        postgres.database.upsert(sized.nextName(), ++postgres.version, sized.payload);
        return postgres.version;
    }
}
