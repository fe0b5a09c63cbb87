package io.checkpointservice.ra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is what {@link ConfigurationTable} prints from the
 * declarations: same settings, same order, same default, values and meaning.
 */
class ReadmeConfigurationTableTest {

    private static final Path README = Path.of(System.getProperty("basedir", "."), "..", "README.md");
    private static final List<String> COLUMNS = List.of("default", "values", "meaning");

    @Test
    void readmeTableIsTheTableOfTheDeclaredSettings() throws IOException {
        List<String> readme = readmeTable();
        assertEquals(ConfigurationTable.HEADER, readme.subList(0, Math.min(2, readme.size())),
                "the README's configuration table should start with the header ConfigurationTable prints");
        Map<String, String> documented = byName(readme.subList(2, readme.size()));
        Map<String, String> declared = byName(ConfigurationTable.rows());

        List<String> differences = new ArrayList<>();
        declared.forEach((name, row) -> {
            String readmeRow = documented.get(name);
            if (readmeRow == null) {
                differences.add(name + ": declared, missing from the README");
            } else {
                for (int column = 1; column <= COLUMNS.size(); column++) {
                    String want = cell(row, column);
                    String have = cell(readmeRow, column);
                    if (!want.equals(have)) {
                        differences.add(name + ": " + COLUMNS.get(column - 1) + " is '" + have + "' in the README, '"
                                + want + "' declared");
                    }
                }
            }
        });
        documented.keySet().stream().filter(name -> !declared.containsKey(name))
                .forEach(name -> differences.add(name + ": in the README, not declared in Settings"));
        if (differences.isEmpty() && !List.copyOf(documented.keySet()).equals(List.copyOf(declared.keySet()))) {
            differences.add("order: the README lists " + documented.keySet() + ", Settings " + declared.keySet());
        }
        if (!differences.isEmpty()) {
            fail("README.md's configuration table differs from the declarations in Settings:\n  "
                    + String.join("\n  ", differences) + "\nThe table as declared (ConfigurationTable):\n"
                    + String.join("\n", ConfigurationTable.HEADER) + "\n" + String.join("\n", ConfigurationTable.rows()));
        }
    }

    @Test
    void everySettingIsInTheTableOnce() {
        assertEquals(Settings.ALL.size(), byName(ConfigurationTable.rows()).size(), "one row per setting");
    }

    /** @return the lines of the first table after the "## Configuration" heading */
    private static List<String> readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int section = lines.indexOf("## Configuration");
        assertTrue(section >= 0, README.toAbsolutePath() + " should have a '## Configuration' section");
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(section + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        return table;
    }

    /** @return rows by the setting name in their first cell (its first `quoted` word) */
    private static Map<String, String> byName(List<String> rows) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String row : rows) {
            String property = cell(row, 0);
            int start = property.indexOf('`');
            int end = property.indexOf('`', start + 1);
            byName.put(start >= 0 && end > start ? property.substring(start + 1, end) : property, row);
        }
        return byName;
    }

    private static String cell(String row, int column) {
        String[] cells = row.substring(1).split("\\|", -1);
        return column < cells.length ? cells[column].trim() : "";
    }
}
