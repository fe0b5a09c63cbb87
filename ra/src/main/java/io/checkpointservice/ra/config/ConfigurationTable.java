package io.checkpointservice.ra.config;

import java.util.List;

/**
 * The README's configuration table, made from the {@link Settings} declarations. After changing
 * a setting, paste the table into the README: ReadmeConfigurationTableTest fails until the two
 * agree and prints it, and so does {@code java -cp api/target/classes:ra/target/classes
 * io.checkpointservice.ra.config.ConfigurationTable}.
 */
public final class ConfigurationTable {

    /** The table's first two lines. */
    public static final List<String> HEADER = List.of(
            "| property | default | values | meaning |",
            "|---|---|---|---|");

    private ConfigurationTable() {
    }

    /** @return the table's rows, one per setting, in declaration order, without the header */
    public static List<String> rows() {
        return Settings.ALL.stream().map(ConfigurationTable::row).toList();
    }

    /** @return the row of {@code setting}: property, default, values, meaning */
    public static String row(Setting<?> setting) {
        String property = "`" + setting.name() + "`"
                + (setting.scope() == Setting.Scope.CONNECTION_FACTORY ? " (connection factory)" : "");
        return "| " + property + " | " + setting.defaultText() + " | " + setting.values() + " | "
                + setting.meaning() + " |";
    }

    public static void main(String[] args) {
        HEADER.forEach(System.out::println);
        rows().forEach(System.out::println);
    }
}
