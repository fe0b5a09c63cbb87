package io.checkpointservice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns JMH result files ({@code -rf csv -rff FILE}) into the ratio tables of
 * docs/PERFORMANCE.md: each product figure next to the baseline measured in the same run, the
 * ratio and pass/miss against the target.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkpointservice.bench.Report results.csv [more.csv ...]</pre>
 */
public final class Report {

    /** One row of a JMH CSV result file. */
    record Row(String benchmark, String label, double score, String unit, Map<String, String> params) {

        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private final List<Row> rows;

    Report(List<Row> rows) {
        this.rows = rows;
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: Report results.csv [more.csv ...]   (JMH's -rf csv -rff results.csv)");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String file : args) {
            rows.addAll(parse(Path.of(file)));
        }
        System.out.print(new Report(rows).render());
    }

    static List<Row> parse(Path csv) {
        try {
            return parse(Files.readAllLines(csv, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = splitCsv(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            String full = cells.get(0);
            String label = "";
            int colon = full.lastIndexOf(':');
            if (colon > 0) {
                label = full.substring(colon + 1);
                full = full.substring(0, colon);
            }
            // JMH before 1.35 separated secondary results with a middle dot.
            int dot = full.indexOf('\u00b7');
            if (dot > 0) {
                label = full.substring(dot + 1);
                full = full.substring(0, dot);
            }
            String benchmark = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new TreeMap<>();
            for (int i = 7; i < header.size() && i < cells.size(); i++) {
                if (header.get(i).startsWith("Param: ") && !cells.get(i).isEmpty()) {
                    params.put(header.get(i).substring("Param: ".length()), cells.get(i));
                }
            }
            rows.add(new Row(benchmark, label, Double.parseDouble(cells.get(4)), cells.get(6), params));
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** @return the score of the first row matching, if any */
    Optional<Row> find(String benchmark, String label, Map<String, String> params) {
        return rows.stream()
                .filter(r -> r.benchmark().equals(benchmark) && r.label().equals(label))
                .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey()))))
                .findFirst();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        p1(out);
        p3(out);
        p4(out);
        p2(out);
        p2Paired(out);
        p1Durability(out);
        p2Durability(out);
        return out.toString();
    }

    private void p1(StringBuilder out) {
        if (rows.stream().noneMatch(r -> r.benchmark().startsWith("WriteLatencyBenchmark.") && productDefaults(r))) {
            return;
        }
        out.append("\n### P1 write latency, 64 KiB (us; ratio = baseline / product)\n\n");
        out.append("| product | p50 | p99 | baseline | p50 | p99 | ratio p50 | ratio p99 | target | result |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<String[]> baselines = new ArrayList<>();
        find("WriteLatencyBenchmark.infinispanPut", "p0.50", Map.of()).ifPresent(r ->
                baselines.add(new String[] {"WriteLatencyBenchmark.infinispanPut", "Infinispan DIST_SYNC put, numOwners "
                        + r.param("numOwners")}));
        if (find("WriteLatencyBenchmark.postgresUpsert", "p0.50", Map.of()).isPresent()) {
            baselines.add(new String[] {"WriteLatencyBenchmark.postgresUpsert", "PostgreSQL upsert (synchronous_commit on)"});
        }
        floorRow(out, "WriteLatencyBenchmark.floorCopy", "floor: copy over the previous version's array, no store, no cluster");
        floorRow(out, "WriteLatencyBenchmark.floorCopyFresh", "reference: copy into a new array (clone)");
        floorRow(out, "WriteLatencyBenchmark.floorCopyAndChecksum", "reference: clone + CRC32C on the writer's thread");
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("memory", 100.0);
        targets.put("disk-none", 10.0);
        targets.put("disk-fsync", Double.NaN);
        for (Map.Entry<String, Double> storage : targets.entrySet()) {
            Map<String, String> params = Map.of("storage", storage.getKey());
            Optional<Row> p50 = findWithReplication("p0.50", params);
            Optional<Row> p99 = findWithReplication("p0.99", params);
            Optional<Row> alone50 = find("WriteLatencyBenchmark.checkpointWrite", "p0.50",
                    Map.of("storage", storage.getKey(), "replication", "alone"));
            alone50.ifPresent(a -> out.append(String.format(Locale.ROOT,
                    "| diagnostic: write, %s, node alone (no replica, R=0) | %s | %s | - | - | - | - | - | - | - |%n",
                    storage.getKey(), num(a.score()), find("WriteLatencyBenchmark.checkpointWrite", "p0.99",
                            Map.of("storage", storage.getKey(), "replication", "alone")).map(r -> num(r.score())).orElse("-"))));
            if (p50.isEmpty()) {
                continue;
            }
            if (baselines.isEmpty()) {
                out.append(String.format(Locale.ROOT, "| write, %s | %s | %s | (no baseline in these results) | - | - | - | - | - | - |%n",
                        storage.getKey(), num(p50.get().score()), p99.map(r -> num(r.score())).orElse("-")));
            }
            for (String[] baseline : baselines) {
                double b50 = find(baseline[0], "p0.50", Map.of()).get().score();
                double b99 = find(baseline[0], "p0.99", Map.of()).get().score();
                double r50 = b50 / p50.get().score();
                double r99 = p99.map(r -> b99 / r.score()).orElse(Double.NaN);
                boolean infinispan = baseline[0].endsWith("infinispanPut");
                double target = infinispan ? storage.getValue() : Double.NaN;
                out.append(String.format(Locale.ROOT, "| write, %s | %s | %s | %s | %s | %s | %sx | %sx | %s | %s |%n",
                        storage.getKey(), num(p50.get().score()), p99.map(r -> num(r.score())).orElse("-"),
                        baseline[1], num(b50), num(b99), num(r50), num(r99),
                        Double.isNaN(target) ? "-" : ">= " + num(target) + "x",
                        Double.isNaN(target) ? "-" : verdict(r50 >= target, r99 >= target)));
            }
        }
    }

    /** @return the product row with replication to replicas (runs without that parameter had only that) */
    private Optional<Row> findWithReplication(String label, Map<String, String> params) {
        return rows.stream()
                .filter(r -> r.benchmark().equals("WriteLatencyBenchmark.checkpointWrite") && r.label().equals(label))
                .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey()))))
                .filter(r -> r.param("replication").isEmpty() || r.param("replication").equals("cluster"))
                .filter(Report::productDefaults)
                .findFirst();
    }

    private static String verdict(boolean median, boolean p99) {
        if (median && p99) {
            return "pass";
        }
        if (median) {
            return "pass at p50, miss at p99";
        }
        return p99 ? "miss at p50, pass at p99" : "miss";
    }

    private void p3(StringBuilder out) {
        Optional<Row> lag50 = find("ReplicationLagBenchmark.writeUntilReplicated", "p0.50", Map.of());
        if (lag50.isEmpty()) {
            return;
        }
        Row lag99 = find("ReplicationLagBenchmark.writeUntilReplicated", "p0.99", Map.of()).orElseThrow();
        out.append("\n### P3 replication lag, 4 KiB at ").append(lag50.get().param("writesPerSecond"))
                .append(" writes/s offered (us; ratio = product / baseline)\n\n");
        out.append("| measure | p50 | p99 | p99.9 | baseline | p50 | p99 | ratio p50 | ratio p99 |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        Optional<Row> put50 = find("ReplicationLagBenchmark.infinispanPut", "p0.50", Map.of());
        Optional<Row> put99 = find("ReplicationLagBenchmark.infinispanPut", "p0.99", Map.of());
        String lag999 = find("ReplicationLagBenchmark.writeUntilReplicated", "p0.999", Map.of())
                .map(r -> num(r.score())).orElse("-");
        out.append(String.format(Locale.ROOT, "| write -> awaitReplicated true (R=2) | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                num(lag50.get().score()), num(lag99.score()), lag999,
                put50.map(r -> "raw DIST_SYNC put, numOwners " + r.param("numOwners")).orElse("-"),
                put50.map(r -> num(r.score())).orElse("-"), put99.map(r -> num(r.score())).orElse("-"),
                put50.map(r -> num(lag50.get().score() / r.score()) + "x").orElse("-"),
                put99.map(r -> num(lag99.score() / r.score()) + "x").orElse("-")));
    }

    private void p4(StringBuilder out) {
        List<Row> restores = rows.stream()
                .filter(r -> r.benchmark().equals("RestoreBenchmark.restore") && r.label().equals("p0.50")).toList();
        if (restores.isEmpty()) {
            return;
        }
        out.append("\n### P4 restore from replicas (ms; ratio = product / baseline)\n\n");
        out.append("| size | segments stored | load p50 | load p99 | raw gets p50 | raw gets p99 | ratio p50 | MiB/s (load p50) |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r50 : restores) {
            Map<String, String> params = Map.of("sizeBytes", r50.param("sizeBytes"), "segmentsStored", r50.param("segmentsStored"));
            Optional<Row> r99 = find("RestoreBenchmark.restore", "p0.99", params);
            Optional<Row> g50 = find("RestoreBenchmark.infinispanGet", "p0.50", params);
            Optional<Row> g99 = find("RestoreBenchmark.infinispanGet", "p0.99", params);
            double mib = Long.parseLong(r50.param("sizeBytes")) / (1024.0 * 1024.0);
            out.append(String.format(Locale.ROOT, "| %s MiB | %s | %s | %s | %s | %s | %s | %s |%n",
                    num(mib), r50.param("segmentsStored"), num(r50.score()), r99.map(r -> num(r.score())).orElse("-"),
                    g50.map(r -> num(r.score())).orElse("-"), g99.map(r -> num(r.score())).orElse("-"),
                    g50.map(r -> num(r50.score() / r.score()) + "x").orElse("-"),
                    num(mib / (r50.score() / 1000.0))));
        }
    }

    private void p2(StringBuilder out) {
        Map<String, String> products = new LinkedHashMap<>();
        products.put("ThroughputBenchmark.replicateBatch", "awaitReplicated per segment");
        products.put("ThroughputBenchmark.replicateBatchAwaitAll", "one awaitAllReplicated");
        List<Row> measured = rows.stream().filter(r -> products.containsKey(r.benchmark()) && r.label().isEmpty()).toList();
        if (measured.isEmpty()) {
            return;
        }
        out.append("\n### P2 sustained replication throughput, 1 MiB segments (MiB/s; ratio = product / baseline)\n\n");
        out.append("| baseline | baseline MiB/s | product, batch awaited with | product MiB/s | ratio | target | result |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Row product : measured) {
            // A result without a replicaCount parameter ran the default R = 2.
            String replicaCount = product.param("replicaCount").isEmpty() ? "2" : product.param("replicaCount");
            double productRate = mibPerSecond(product);
            rows.stream().filter(r -> r.benchmark().startsWith("ThroughputBenchmark.infinispanPut") && r.label().isEmpty())
                    .forEach(b -> {
                        double baseline = mibPerSecond(b);
                        double ratio = productRate / baseline;
                        boolean sameCopies = Integer.parseInt(b.param("numOwners")) == Integer.parseInt(replicaCount) + 1;
                        out.append(String.format(Locale.ROOT, "| raw put, numOwners %s, %s | %s | R=%s (%s owners), %s | %s | %s%% | %s | %s |%n",
                                b.param("numOwners"), b.benchmark().endsWith("TwoThreads") ? "2 threads" : "1 thread",
                                num(baseline), replicaCount, Integer.parseInt(replicaCount) + 1, products.get(product.benchmark()),
                                num(productRate), num(100 * ratio), ">= 80%",
                                (ratio >= 0.8 ? "pass" : "miss") + (sameCopies ? ", same copies" : "")));
                    });
        }
    }

    /**
     * P2 from {@code PairedThroughputBenchmark}: product and raw batches taking turns on one
     * cluster, their times summed per kind; a ratio of throughputs is the inverse ratio of the
     * times, as every kind moved the same batches.
     */
    private void p2Paired(StringBuilder out) {
        List<Row> rounds = rows.stream()
                .filter(r -> r.benchmark().equals("PairedThroughputBenchmark.round") && r.label().equals("rounds"))
                .filter(Report::productDefaults).toList();
        if (rounds.isEmpty()) {
            return;
        }
        out.append("\n### P2 paired: product and raw put batches taking turns on one cluster (MiB/s; ratio = product / baseline)\n\n");
        out.append("| R (owners) | raw numOwners | baseline | baseline MiB/s | product, batch awaited with | product MiB/s | ratio | target | result |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        Map<String, String> products = new LinkedHashMap<>();
        products.put("awaitEachNanos", BatchKind.AWAIT_EACH.label);
        products.put("awaitAllNanos", BatchKind.AWAIT_ALL.label);
        Map<String, String> baselines = new LinkedHashMap<>();
        baselines.put("putNanos", BatchKind.PUT.label);
        baselines.put("putTwoThreadsNanos", BatchKind.PUT_TWO_THREADS.label);
        for (Row count : rounds) {
            Map<String, String> params = count.params();
            double mib = count.score() * Integer.parseInt(count.param("segments"))
                    * (Long.parseLong(count.param("sizeBytes")) / (1024.0 * 1024.0));
            int owners = Integer.parseInt(count.param("replicaCount")) + 1;
            boolean sameCopies = Integer.parseInt(count.param("numOwners")) == owners;
            for (Map.Entry<String, String> product : products.entrySet()) {
                double productNanos = find("PairedThroughputBenchmark.round", product.getKey(), params).orElseThrow().score();
                for (Map.Entry<String, String> baseline : baselines.entrySet()) {
                    double baselineNanos = find("PairedThroughputBenchmark.round", baseline.getKey(), params).orElseThrow().score();
                    double ratio = baselineNanos / productNanos;
                    out.append(String.format(Locale.ROOT, "| %s (%d) | %s | %s | %s | %s | %s | %s%% | %s | %s |%n",
                            count.param("replicaCount"), owners, count.param("numOwners"), baseline.getValue(),
                            num(mib / (baselineNanos / 1e9)), product.getValue(), num(mib / (productNanos / 1e9)),
                            num(100 * ratio), ">= 80%", (ratio >= 0.8 ? "pass" : "miss") + (sameCopies ? ", same copies" : "")));
                }
            }
        }
    }

    /** @return whether the row ran the product's persistence for its storage (no durability parameter, or "default") */
    private static boolean productDefaults(Row row) {
        return row.param("durability").isEmpty() || row.param("durability").equals("default");
    }

    /**
     * P1 with and without persistence: the write latency of each durability against the same
     * storage's {@code none} in the same results (the target: unchanged within the run's noise).
     */
    private void p1Durability(StringBuilder out) {
        List<Row> writes = rows.stream()
                .filter(r -> r.benchmark().equals("WriteLatencyBenchmark.checkpointWrite") && r.label().equals("p0.50"))
                .filter(r -> !productDefaults(r)).toList();
        if (writes.isEmpty()) {
            return;
        }
        out.append("\n### P1 with persistence and global store (us; ratio = with / without, same storage, same run)\n\n");
        out.append("| storage | persistence | p50 | p99 | without: p50 | p99 | ratio p50 | ratio p99 |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row p50 : writes) {
            Map<String, String> params = Map.of("storage", p50.param("storage"), "durability", p50.param("durability"));
            Optional<Row> p99 = find("WriteLatencyBenchmark.checkpointWrite", "p0.99", params);
            Map<String, String> without = Map.of("storage", p50.param("storage"), "durability", "none");
            Optional<Row> b50 = find("WriteLatencyBenchmark.checkpointWrite", "p0.50", without);
            Optional<Row> b99 = find("WriteLatencyBenchmark.checkpointWrite", "p0.99", without);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", p50.param("storage"),
                    p50.param("durability"), num(p50.score()), p99.map(r -> num(r.score())).orElse("-"),
                    b50.map(r -> num(r.score())).orElse("-"), b99.map(r -> num(r.score())).orElse("-"),
                    b50.map(r -> num(p50.score() / r.score()) + "x").orElse("-"),
                    b99.flatMap(b -> p99.map(r -> num(r.score() / b.score()) + "x")).orElse("-")));
        }
    }

    /**
     * P2 with and without persistence: each fork's product-to-raw ratio (paired, as P2 is judged),
     * then that ratio against the same storage's {@code none} fork's (target: at least 70%).
     */
    private void p2Durability(StringBuilder out) {
        List<Row> rounds = rows.stream()
                .filter(r -> r.benchmark().equals("PairedThroughputBenchmark.round") && r.label().equals("rounds"))
                .filter(r -> !productDefaults(r)).toList();
        if (rounds.isEmpty()) {
            return;
        }
        out.append("\n### P2 paired with persistence and global store (ratio = product / raw put in the same fork; "
                + "relative = that ratio / the same storage's ratio without persistence)\n\n");
        out.append("| storage | persistence | R | raw numOwners | product, batch awaited with | product MiB/s | raw put 1 / 2 threads MiB/s "
                + "| ratio to 1 / 2 threads | relative to without | target | result |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, String> products = new LinkedHashMap<>();
        products.put("awaitEachNanos", BatchKind.AWAIT_EACH.label);
        products.put("awaitAllNanos", BatchKind.AWAIT_ALL.label);
        for (Row count : rounds) {
            Map<String, String> params = count.params();
            double mib = count.score() * Integer.parseInt(count.param("segments"))
                    * (Long.parseLong(count.param("sizeBytes")) / (1024.0 * 1024.0));
            Map<String, String> without = new TreeMap<>(params);
            without.put("durability", "none");
            for (Map.Entry<String, String> product : products.entrySet()) {
                double ratio1 = pairedRatio(params, product.getKey(), "putNanos");
                double ratio2 = pairedRatio(params, product.getKey(), "putTwoThreadsNanos");
                boolean baseline = count.param("durability").equals("none");
                double relative1 = baseline ? Double.NaN : ratio1 / pairedRatio(without, product.getKey(), "putNanos");
                double relative2 = baseline ? Double.NaN : ratio2 / pairedRatio(without, product.getKey(), "putTwoThreadsNanos");
                double productNanos = find("PairedThroughputBenchmark.round", product.getKey(), params).orElseThrow().score();
                double put1 = find("PairedThroughputBenchmark.round", "putNanos", params).orElseThrow().score();
                double put2 = find("PairedThroughputBenchmark.round", "putTwoThreadsNanos", params).orElseThrow().score();
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s / %s | %s%% / %s%% | %s | %s | %s |%n",
                        count.param("storage"), count.param("durability"), count.param("replicaCount"), count.param("numOwners"),
                        product.getValue(), num(mib / (productNanos / 1e9)), num(mib / (put1 / 1e9)), num(mib / (put2 / 1e9)),
                        num(100 * ratio1), num(100 * ratio2),
                        baseline ? "baseline" : num(100 * relative1) + "% / " + num(100 * relative2) + "%",
                        baseline ? "-" : ">= 70%",
                        baseline ? "-" : (Math.min(relative1, relative2) >= 0.7 ? "pass" : "miss")));
            }
        }
    }

    /** @return the throughput of {@code productKind} over that of {@code baselineKind}, in the fork of {@code params} */
    private double pairedRatio(Map<String, String> params, String productKind, String baselineKind) {
        double productNanos = find("PairedThroughputBenchmark.round", productKind, params).map(Row::score).orElse(Double.NaN);
        double baselineNanos = find("PairedThroughputBenchmark.round", baselineKind, params).map(Row::score).orElse(Double.NaN);
        return baselineNanos / productNanos;
    }

    private static double mibPerSecond(Row batch) {
        double mib = Integer.parseInt(batch.param("segments")) * (Long.parseLong(batch.param("sizeBytes")) / (1024.0 * 1024.0));
        if (!batch.unit().equals("ms/op")) {
            throw new IllegalArgumentException("expected ms/op for " + batch.benchmark() + ", got " + batch.unit());
        }
        return mib / (batch.score() / 1000.0);
    }

    /** @return a number with 3 significant digits at most, no exponent */
    static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private void floorRow(StringBuilder out, String benchmark, String label) {
        find(benchmark, "p0.50", Map.of()).ifPresent(f -> out.append(String.format(Locale.ROOT,
                "| %s | %s | %s | - | - | - | - | - | - | - |%n", label, num(f.score()),
                find(benchmark, "p0.99", Map.of()).map(r -> num(r.score())).orElse("-"))));
    }
}
