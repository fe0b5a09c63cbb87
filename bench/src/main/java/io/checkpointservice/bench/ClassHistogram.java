package io.checkpointservice.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The JVM's live-object class histogram (what {@code jcmd <pid> GC.class_histogram} prints), taken
 * from inside the process, so a probe can show which classes grew between two points without a
 * second tool racing its clean-up. Diagnostic only: each call runs a full GC.
 */
final class ClassHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** instances and bytes per class name */
    private final Map<String, long[]> rows;

    private ClassHistogram(Map<String, long[]> rows) {
        this.rows = rows;
    }

    static ClassHistogram take() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            Map<String, long[]> rows = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            }
            return new ClassHistogram(rows);
        } catch (Exception e) {
            throw new IllegalStateException("cannot take a class histogram: " + e, e);
        }
    }

    /** @return bytes of all live objects */
    long totalBytes() {
        return rows.values().stream().mapToLong(r -> r[1]).sum();
    }

    /** Prints the classes that grew most since {@code before}, per {@code perUnit} (e.g. per segment). */
    void printGrowthSince(ClassHistogram before, int perUnit, int top) {
        long grown = totalBytes() - before.totalBytes();
        System.out.printf(Locale.ROOT, "live objects grew by %,d B (%.1f per unit)%n", grown, grown / (double) perUnit);
        System.out.printf(Locale.ROOT, "| class | instances grown | bytes grown | bytes per unit |%n|---|---|---|---|%n");
        rows.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.rows.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.rows.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f |%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1], e.getValue()[1] / (double) perUnit));
    }
}
