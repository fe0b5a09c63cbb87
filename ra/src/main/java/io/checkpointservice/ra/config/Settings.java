package io.checkpointservice.ra.config;

import static io.checkpointservice.ra.config.Kind.globalStoreUrl;
import static io.checkpointservice.ra.config.Kind.hosts;
import static io.checkpointservice.ra.config.Kind.multicastAddress;
import static io.checkpointservice.ra.config.Kind.namespace;
import static io.checkpointservice.ra.config.Kind.number;
import static io.checkpointservice.ra.config.Kind.oneOf;
import static io.checkpointservice.ra.config.Kind.path;
import static io.checkpointservice.ra.config.Kind.text;
import static io.checkpointservice.ra.config.Kind.wholeNumber;
import static io.checkpointservice.ra.config.Kind.word;
import static io.checkpointservice.ra.config.Setting.adapter;
import static io.checkpointservice.ra.config.Setting.connectionFactory;

import io.checkpointservice.ra.config.ClusterSettings.Discovery;
import io.checkpointservice.ra.store.SyncPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the checkpoint service, each declared once, in the order of the README's
 * configuration table ({@link ConfigurationTable} prints that table from here; a test fails when
 * the README differs). To add a setting: declare it here, add its {@code @ConfigProperty} field
 * with getter and setter to the adapter (or factory), read it in {@link AdapterSettings} or
 * {@link ClusterSettings}, and paste the printed table into the README.
 */
public final class Settings {

    /** Filled by {@link #declare} as the constants below are initialized, so it must come first. */
    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    /** Largest accepted maxSegmentBytes: what one Java array holds, less headroom. */
    public static final int MAX_SEGMENT_BYTES_LIMIT = Integer.MAX_VALUE - 64;
    /** Sanity bound on replicaCount: more copies than this is a typo, not a plan. */
    public static final int MAX_REPLICA_COUNT = 16;
    /** Sanity bound on replicationWorkers: each one is a thread the server lends the adapter. */
    public static final int MAX_REPLICATION_WORKERS = 64;
    /** Sanity bound on retainVersions: each one is a whole copy of the segment kept in the store. */
    public static final int MAX_RETAIN_VERSIONS = 100;

    /**
     * How long the backlog must stay above {@code backlogWarnSegments} before the warning: a burst
     * of writes fills it for a moment on a healthy node, a node that cannot publish keeps it full.
     */
    public static final int BACKLOG_WARN_AFTER_SECONDS = 10;

    public static final Setting<String> NODE_NAME = declare(adapter("nodeName", word(), null,
            "this node's name; unique in the cluster")
            .defaultText("`jboss.node.name` (WildFly), else `com.sun.aas.instanceName` (Payara; for a domain's own server `server`, the domain's name), else host name"));

    public static final Setting<StorageMode> STORAGE_MODE = declare(adapter("storageMode", oneOf(StorageMode.class),
            StorageMode.DISK,
            "`disk`: one file per segment, survives a restart; `memory`: fastest, lost with the process"));

    public static final Setting<Path> STORAGE_DIRECTORY = declare(adapter("storageDirectory", path(), null,
            "directory of disk mode")
            .defaultText("`${jboss.server.data.dir}/checkpoint` (WildFly), `${com.sun.aas.instanceRoot}/checkpoint` (Payara); replica node: `./checkpoint-data/<node>`"));

    public static final Setting<SyncPolicy> SYNC_POLICY = declare(adapter("syncPolicy", oneOf(SyncPolicy.class),
            SyncPolicy.FSYNC,
            "disk durability when `write` returns: `fsync` (file and directory forced to the device) or `none` "
                    + "(page cache: survives a process crash, not a power loss)"));

    /** 64 MiB: the largest segment the design promises to carry. */
    public static final Setting<Integer> MAX_SEGMENT_BYTES = declare(adapter("maxSegmentBytes",
            wholeNumber(0, MAX_SEGMENT_BYTES_LIMIT), 64 * 1024 * 1024,
            "largest state a `write` accepts, in bytes")
            .defaultText("`67108864` (64 MiB)"));

    /** R = 2: a segment survives its writer and one more node. */
    public static final Setting<Integer> REPLICA_COUNT = declare(adapter("replicaCount",
            wholeNumber(0, MAX_REPLICA_COUNT), 2,
            "R: nodes other than the writer that hold every segment; `awaitReplicated` waits for R"));

    /**
     * 4: each publish waits for the cluster twice (its chunks, 4 in flight, then the record), so a
     * few workers in parallel keep the network busy while one segment waits; more only add
     * threads once the cores or the network are saturated (docs/PERFORMANCE.md, P2/P3).
     */
    public static final Setting<Integer> REPLICATION_WORKERS = declare(adapter("replicationWorkers",
            wholeNumber(1, MAX_REPLICATION_WORKERS), 4,
            "segments this node publishes to its replicas in parallel (worker threads on the adapter's "
                    + "WorkManager); more help when many segments change at once and the network has room. Segments "
                    + "the application writes again before their last version was published (it writes faster than "
                    + "they replicate) take at most a quarter of the workers (at least one), so replication they "
                    + "cannot use does not take the application's CPU; see [docs/PERFORMANCE.md](docs/PERFORMANCE.md)"));

    public static final Setting<String> CLUSTER_NAME = declare(adapter("clusterName", word(), "checkpoint-service",
            "name of the adapter's own JGroups cluster; the same on every node of one service"));

    public static final Setting<String> BIND_ADDRESS = declare(adapter("bindAddress",
            text("an address of this host"), "127.0.0.1",
            "address the cluster channel binds to"));

    public static final Setting<Integer> BIND_PORT = declare(adapter("bindPort",
            wholeNumber(1, 65_535 - ClusterSettings.FAILURE_DETECTION_PORT_OFFSET), null,
            "TCP port of the cluster channel (failure detection uses port + "
                    + ClusterSettings.FAILURE_DETECTION_PORT_OFFSET + "). Keep both below the host's ephemeral "
                    + "port range (Linux: `net.ipv4.ip_local_port_range`, 32768-60999 by default), where an "
                    + "outgoing connection may hold the port when the node starts; the adapter logs a warning "
                    + "when either lies in it")
            .defaultText("`" + ClusterSettings.DEFAULT_BASE_PORT + "` + `jboss.socket.binding.port-offset` (Payara: `"
                    + ClusterSettings.DEFAULT_BASE_PORT + "`; instances on one host each set `checkpoint.bindPort`, see Deploying to Payara)"));

    public static final Setting<Discovery> DISCOVERY = declare(adapter("discovery", oneOf(Discovery.class),
            Discovery.STATIC,
            "`static` (TCPPING over `initialHosts`) or `multicast` (MPING to `multicastAddress`)"));

    public static final Setting<List<String>> INITIAL_HOSTS = declare(adapter("initialHosts", hosts(), null,
            "static discovery: the members to contact")
            .defaultText("this node only"));

    public static final Setting<String> MULTICAST_ADDRESS = declare(adapter("multicastAddress", multicastAddress(),
            "239.6.7.9",
            "multicast discovery: the group (port 46656) discovery requests go to; the same on every node of "
                    + "one cluster, another one keeps clusters on one network from hearing each other's requests"));

    public static final Setting<String> SITE_ID = declare(adapter("siteId", text("any text"), null,
            "topology: copies are spread over sites first"));

    public static final Setting<String> RACK_ID = declare(adapter("rackId", text("any text"), null,
            "topology: then over racks"));

    public static final Setting<String> MACHINE_ID = declare(adapter("machineId", text("any text"), null,
            "topology: then over machines"));

    public static final Setting<Float> CAPACITY_FACTOR = declare(adapter("capacityFactor", number(0, 1000), 1.0f,
            "this node's share of replica copies; `0` holds none (such a node must not be the first to start: "
                    + "it waits until a node with capacity has joined)"));

    /** JGroups' own default is 8 s; 2 s keeps several heartbeats within one timeout. */
    public static final Setting<Integer> HEARTBEAT_INTERVAL_MILLIS = declare(adapter("heartbeatIntervalMillis",
            wholeNumber(100, 60_000), 2_000,
            "how often (ms) each member tells the others it is alive (JGroups FD_ALL3); less than "
                    + "`failureDetectionTimeoutMillis`"));

    /**
     * 10 s, not JGroups' 40 s: failover waits for it. Lower suspects nodes that a garbage
     * collection or an overloaded host only paused, and each false suspicion costs a view change
     * and a rebalance.
     */
    public static final Setting<Integer> FAILURE_DETECTION_TIMEOUT_MILLIS = declare(adapter(
            "failureDetectionTimeoutMillis", wholeNumber(500, 300_000), 10_000,
            "a member not heard from for this long (ms) is suspected (FD_ALL3). With `suspectVerifyMillis` it "
                    + "bounds how long a frozen node or one cut off by the network stays a member, which is the "
                    + "failover time in that case (a crashed process is suspected at once, when its failure "
                    + "detection socket closes). Lower fails over sooner but may remove nodes that a long "
                    + "garbage collection or an overloaded host only paused"));

    public static final Setting<Integer> SUSPECT_VERIFY_MILLIS = declare(adapter("suspectVerifyMillis",
            wholeNumber(100, 60_000), 1_000,
            "how long (ms) a suspected member has to answer before it is removed from the cluster "
                    + "(VERIFY_SUSPECT2)"));

    public static final Setting<Integer> CHUNK_SWEEP_SECONDS = declare(adapter("chunkSweepSeconds",
            wholeNumber(1, 86_400), 600,
            "how often (seconds) each node removes replica chunks no record can point at again: a publication "
                    + "cut short by its writer's crash once another node took the segment over, a superseded "
                    + "version whose removal failed; each node also sweeps after every merge of a network split"));

    /**
     * 7 days: far longer than any failover, split or restart that may still need the tombstone,
     * short enough that a service deleting many segments keeps its memory and disks flat.
     */
    public static final Setting<Integer> TOMBSTONE_GRACE_SECONDS = declare(adapter("tombstoneGraceSeconds",
            wholeNumber(1, 315_360_000), 604_800,
            "how long (seconds) the cluster keeps a deleted segment's tombstone (and the claim a load of an "
                    + "absent segment leaves) before every node forgets it, in memory and on disk; until then "
                    + "the tombstone fences the segment's earlier writers and keeps older copies from coming back. "
                    + "See [Compaction](#compaction)"));

    /**
     * 1: the newest version only, as a checkpoint needs; more is an application's choice to go back
     * to an earlier state, paid for in copies kept.
     */
    public static final Setting<Integer> RETAIN_VERSIONS = declare(adapter("retainVersions",
            wholeNumber(1, MAX_RETAIN_VERSIONS), 1,
            "how many published versions of each segment are kept, the newest included: in the global store "
                    + "when `globalStore` is set, else on the replicas (each older version kept costs its chunks on "
                    + "R + 1 nodes and about 40 bytes in every node's record of the segment). `versions(name)` lists "
                    + "them, newest first, and `load(name, version)` reads one without taking the segment over; a "
                    + "delete removes them all. The same on every node; see [Retained versions](#retained-versions)"));

    public static final Setting<Integer> STOP_DRAIN_MILLIS = declare(adapter("stopDrainMillis",
            wholeNumber(0, 600_000), 5_000,
            "graceful stop: how long (ms) the node keeps publishing versions not yet replicated before it "
                    + "leaves the cluster; versions still pending then have no copy on another node"));

    public static final Setting<Integer> STOP_WORKERS_MILLIS = declare(adapter("stopWorkersMillis",
            wholeNumber(0, 60_000), 2_000,
            "graceful stop: how long (ms) to wait, after that, for the replication workers to end"));

    public static final Setting<Integer> STOP_REMOVALS_MILLIS = declare(adapter("stopRemovalsMillis",
            wholeNumber(0, 60_000), 2_000,
            "graceful stop: how long (ms) to wait for the removal of superseded chunks before leaving the "
                    + "cluster; chunks still there are removed by a later sweep (`chunkSweepSeconds`)"));

    public static final Setting<URI> GLOBAL_STORE = declare(adapter("globalStore", globalStoreUrl(), null,
            "optional store every replica node reaches, written in the background by a replica node (never on "
                    + "`write`'s path) with the newest published version of each segment (and the older ones "
                    + "`retainVersions` keeps): `load` falls back to it "
                    + "when no replica is reachable, and a cluster whose nodes lost memory and disks recovers from "
                    + "it; the same on every node, reached at start or the node does not start. `file:/path`: a "
                    + "shared directory (e.g. an NFS mount), checked writable. `datasource:<JNDI name>`: a "
                    + "PostgreSQL DataSource the application server manages (e.g. "
                    + "`datasource:java:jboss/datasources/CheckpointDS`). `jdbc:postgresql://host:port/database`: "
                    + "a process that connects itself (a replica node, whose jar holds the driver), with "
                    + "`globalStoreUser` and `globalStorePasswordFile`. A database store keeps one table, "
                    + "`checkpoint_global_store`, created if missing. Empty: none; see [Global store](#global-store)"));

    public static final Setting<String> GLOBAL_STORE_USER = declare(adapter("globalStoreUser",
            text("a database user name"), null,
            "`jdbc:` global store only: the database user (none: the driver takes the process's user name)"));

    public static final Setting<String> GLOBAL_STORE_PASSWORD_FILE = declare(adapter("globalStorePasswordFile",
            text("a file path"), null,
            "`jdbc:` global store only: file holding the database user's password (trailing newline ignored); "
                    + "read at start, never logged; keep it `chmod 600`"));

    /**
     * 1,000: far above what a healthy node holds (a few segments per worker while they publish),
     * far below a node that cannot reach its replicas for a while under a steady write load.
     */
    public static final Setting<Integer> BACKLOG_WARN_SEGMENTS = declare(adapter("backlogWarnSegments",
            wholeNumber(1, 100_000_000), 1_000,
            "segments waiting to be replicated (written here, not yet published) above which the node logs a "
                    + "warning once they stay above it for " + BACKLOG_WARN_AFTER_SECONDS
                    + " s, repeated while it lasts (after 1, 2, 4 ... minutes, at most hourly), and an INFO line "
                    + "when the backlog is back below it; see [Monitoring](#monitoring)"));

    /**
     * 60 s: a member's crash is detected and its copies restored by state transfer within seconds
     * when enough members remain; a minute later the cluster is short of members.
     */
    public static final Setting<Integer> UNDER_REPLICATED_WARN_SECONDS = declare(adapter("underReplicatedWarnSeconds",
            wholeNumber(1, 86_400), 60,
            "how long (seconds) segments this node writes may have fewer than R copies off this node before it "
                    + "logs a warning, repeated while it lasts (after 1, 2, 4 ... minutes, at most hourly), and an "
                    + "INFO line when every one is back at R copies; see [Monitoring](#monitoring) (`UnderReplicatedSegments`)"));

    public static final Setting<String> CLUSTER_SECRET = declare(adapter("clusterSecret",
            text("at least " + ClusterSecret.MIN_LENGTH + " characters"), null,
            "shared secret of the cluster, the same on every node: all cluster traffic is then encrypted and "
                    + "authenticated (AES-256-GCM, key derived from it and `clusterName`); required unless "
                    + "`bindAddress` is loopback; prefer `clusterSecretFile` (system properties show in process "
                    + "listings)")
            .secret());

    public static final Setting<String> CLUSTER_SECRET_FILE = declare(adapter("clusterSecretFile",
            text("a file path"), null,
            "file holding the cluster secret (trailing newline ignored), instead of `clusterSecret`; keep it "
                    + "`chmod 600`"));

    public static final Setting<String> NAMESPACE = declare(connectionFactory("namespace", namespace(), "default",
            "prefix of every segment name written through the factory; per factory only: unlike the adapter's "
                    + "settings it has no `-Dcheckpoint.namespace` override, which would merge the namespaces of "
                    + "all factories of a node"));

    /** Every setting, in the README's order. */
    public static final List<Setting<?>> ALL = List.copyOf(DECLARED);

    private Settings() {
    }

    private static <T> Setting<T> declare(Setting<T> setting) {
        if (DECLARED.stream().anyMatch(s -> s.name().equals(setting.name()))) {
            throw new IllegalStateException("setting " + setting.name() + " is declared twice");
        }
        DECLARED.add(setting);
        return setting;
    }

    /** @return the settings of {@code scope}, in the README's order */
    public static List<Setting<?>> of(Setting.Scope scope) {
        return ALL.stream().filter(s -> s.scope() == scope).toList();
    }
}
