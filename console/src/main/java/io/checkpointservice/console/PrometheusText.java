package io.checkpointservice.console;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The nodes' counters in the Prometheus text exposition format (version 0.0.4), one series per
 * node (label {@code node}). Counters end in {@code _total}, times are in seconds and sizes in
 * bytes, as Prometheus' naming conventions ask.
 */
public final class PrometheusText {

    /** The exposition format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** @return every metric of every node read, plus {@code checkpoint_ready} of this server */
    public static String of(Status status) {
        StringBuilder out = new StringBuilder();
        List<NodeView> nodes = status.reading().nodes();
        family(out, "checkpoint_ready", "gauge", "1 when readiness is UP on this server, else 0");
        out.append("checkpoint_ready ").append(status.ready() ? 1 : 0).append('\n');
        gauge(out, nodes, "checkpoint_cluster_members", "members of the node's current cluster view",
                n -> n.clusterMembers().size());
        gauge(out, nodes, "checkpoint_peers_expected", "1 when the settings name peers", n -> n.peersExpected() ? 1 : 0);
        gauge(out, nodes, "checkpoint_replica_count", "R: copies each segment should have off its writer",
                NodeView::replicaCount);
        gauge(out, nodes, "checkpoint_local_segments", "segments in the node's local store", NodeView::localSegments);
        gauge(out, nodes, "checkpoint_local_bytes", "bytes in the node's local store", NodeView::localBytes);
        gauge(out, nodes, "checkpoint_replica_segments", "versions whose chunks the node holds as an owner",
                NodeView::replicaSegments);
        gauge(out, nodes, "checkpoint_replica_bytes", "bytes of chunks the node holds as an owner",
                NodeView::replicaBytes);
        gauge(out, nodes, "checkpoint_backlog_segments", "segments written here, waiting to be published",
                NodeView::backlogSegments);
        gauge(out, nodes, "checkpoint_backlog_oldest_wait_seconds", "how long the oldest of them has waited",
                n -> n.backlogOldestWaitMillis() / 1000.0);
        counter(out, nodes, "checkpoint_published_total", "versions the node published", NodeView::publishedCount);
        counter(out, nodes, "checkpoint_published_bytes_total", "bytes of the versions the node published",
                NodeView::publishedBytes);
        gauge(out, nodes, "checkpoint_publications_per_second", "publications per second over the last minute",
                NodeView::publicationsPerSecond);
        family(out, "checkpoint_replication_lag_seconds", "gauge",
                "local write to published record over the last minute, by quantile");
        for (NodeView n : nodes) {
            quantile(out, n, "0.5", n.replicationLagP50Millis());
            quantile(out, n, "0.95", n.replicationLagP95Millis());
            quantile(out, n, "0.99", n.replicationLagP99Millis());
        }
        counter(out, nodes, "checkpoint_failed_publications_total", "publication attempts that failed (retried)",
                NodeView::failedPublicationCount);
        counter(out, nodes, "checkpoint_take_overs_total", "segments the node took over from another writer",
                NodeView::takeOverCount);
        counter(out, nodes, "checkpoint_fenced_writes_total", "writes refused with StaleWriterException",
                NodeView::fencedWriteCount);
        family(out, "checkpoint_loads_total", "counter", "loads by how they ended");
        for (NodeView n : nodes) {
            load(out, n, "local", n.loadsLocalCount());
            load(out, n, "replica", n.loadsFromReplicaCount());
            load(out, n, "global_store", n.loadsFromGlobalStoreCount());
            load(out, n, "absent", n.loadsAbsentCount());
            load(out, n, "unavailable", n.loadsUnavailableCount());
        }
        gauge(out, nodes, "checkpoint_under_replicated_segments",
                "segments the node writes with fewer than R copies on other members", NodeView::underReplicatedSegments);
        return out.toString();
    }

    private static void gauge(StringBuilder out, List<NodeView> nodes, String name, String help,
                              ToDoubleFunction<NodeView> value) {
        series(out, nodes, name, "gauge", help, value);
    }

    private static void counter(StringBuilder out, List<NodeView> nodes, String name, String help,
                                ToDoubleFunction<NodeView> value) {
        series(out, nodes, name, "counter", help, value);
    }

    private static void series(StringBuilder out, List<NodeView> nodes, String name, String type, String help,
                               ToDoubleFunction<NodeView> value) {
        family(out, name, type, help);
        for (NodeView n : nodes) {
            out.append(name).append("{node=\"").append(n.nodeName()).append("\"} ")
                    .append(number(value.applyAsDouble(n))).append('\n');
        }
    }

    private static void quantile(StringBuilder out, NodeView n, String quantile, long millis) {
        out.append("checkpoint_replication_lag_seconds{node=\"").append(n.nodeName()).append("\",quantile=\"")
                .append(quantile).append("\"} ").append(number(millis / 1000.0)).append('\n');
    }

    private static void load(StringBuilder out, NodeView n, String outcome, long count) {
        out.append("checkpoint_loads_total{node=\"").append(n.nodeName()).append("\",outcome=\"").append(outcome)
                .append("\"} ").append(count).append('\n');
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Whole numbers without a decimal point (counters read as integers), others as Java prints them. */
    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
