package io.checkpointservice.ra.config;

import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentNames;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What text a {@link Setting} accepts and the value it becomes.
 *
 * @param values the accepted values as the README's table shows them
 * @param parser turns the (trimmed) text into a value, or throws an IllegalArgumentException whose
 *     message names the setting and says what is wrong
 * @param <T> the value's type
 */
record Kind<T>(String values, Parser<T> parser) {

    /** @see Kind#parser() */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String name, String text);
    }

    private static final String WORD = "[A-Za-z0-9._-]{1,64}";

    static Kind<Integer> wholeNumber(int min, int max) {
        return new Kind<>("`" + min + "` to `" + max + "`", (name, text) -> {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
            }
            return value;
        });
    }

    static Kind<Float> number(int min, int max) {
        return new Kind<>("`" + min + "` to `" + max + "`, decimals allowed", (name, text) -> {
            float value;
            try {
                value = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not a number");
            }
            if (!(value >= min && value <= max)) { // NaN is outside too
                throw new IllegalArgumentException(name + " " + text + " is outside " + min + ".." + max);
            }
            return value;
        });
    }

    /** One of the constants of {@code type}, named in lower case, any case accepted. */
    static <E extends Enum<E>> Kind<E> oneOf(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Kind::show).toList();
        return new Kind<>(names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")), (name, text) -> {
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not one of: " + String.join(", ", names));
            }
        });
    }

    /** A name that is safe in logs, file names and JGroups: one word of at most 64 characters. */
    static Kind<String> word() {
        return new Kind<>("1 to 64 of `A-Z a-z 0-9 . _ -`", (name, text) -> {
            if (!text.matches(WORD)) {
                throw new IllegalArgumentException(name + " '" + text + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
            }
            return text;
        });
    }

    /** A connection factory's namespace: the API's own rule, so a factory never accepts what a name refuses. */
    static Kind<String> namespace() {
        return new Kind<>("1 to " + SegmentNames.MAX_NAMESPACE_LENGTH + " of `A-Z a-z 0-9 . _ -`, not `.` or `..`",
                (name, text) -> {
                    try {
                        return SegmentNames.requireValidNamespace(text);
                    } catch (InvalidSegmentNameException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                });
    }

    /** Any text, checked where it is used (an address, a secret, a file). */
    static Kind<String> text(String values) {
        return new Kind<>(values, (name, text) -> text);
    }

    static Kind<Path> path() {
        return new Kind<>("a directory path", (name, text) -> {
            try {
                return Path.of(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not a valid path: " + e.getMessage());
            }
        });
    }

    /**
     * Where the global store is: empty for none; a {@code file:} URL of an absolute directory path;
     * {@code datasource:} + the JNDI name of a DataSource the application server manages; or a
     * {@code jdbc:postgresql:} URL. Other schemes are refused by name, so a URL of a backend that
     * does not exist fails at start instead of being taken for another. A password in a JDBC URL is
     * refused: the URL is logged, the password belongs in {@code globalStorePasswordFile}.
     */
    static Kind<URI> globalStoreUrl() {
        return new Kind<>("empty; `file:` + an absolute directory path; `datasource:` + a JNDI name; "
                + "`jdbc:postgresql://host:port/database`", (name, text) -> {
            if (text.isEmpty()) {
                return null;
            }
            URI url;
            try {
                url = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not a URL: " + e.getReason()
                        + "; use file:/absolute/path/of/a/shared/directory, datasource:<JNDI name> or "
                        + "jdbc:postgresql://host:port/database");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "file" -> directoryUrl(name, text, url);
                case "datasource" -> dataSourceUrl(name, text, url);
                case "jdbc" -> postgresUrl(name, text, url);
                default -> throw new IllegalArgumentException(name + " '" + text + "': only file:, datasource: and "
                        + "jdbc:postgresql: URLs are supported (a directory every replica node mounts, e.g. "
                        + "file:/mnt/checkpoint-global; a DataSource of the application server, e.g. "
                        + "datasource:java:jboss/datasources/CheckpointDS; a PostgreSQL database, e.g. "
                        + "jdbc:postgresql://db.example:5432/checkpoints); "
                        + (scheme.isEmpty() ? "add the scheme" : "scheme '" + url.getScheme() + ":' is not"));
            };
        });
    }

    private static URI directoryUrl(String name, String text, URI url) {
        if (url.getPath() == null || !url.getPath().startsWith("/") || url.getQuery() != null
                || url.getFragment() != null || (url.getAuthority() != null && !url.getAuthority().isEmpty())) {
            throw new IllegalArgumentException(name + " '" + text + "' must be file: followed by an absolute "
                    + "path, without host, query or fragment, e.g. file:/mnt/checkpoint-global");
        }
        return url;
    }

    private static URI dataSourceUrl(String name, String text, URI url) {
        String jndiName = url.getSchemeSpecificPart();
        if (jndiName == null || jndiName.isBlank() || url.getFragment() != null) {
            throw new IllegalArgumentException(name + " '" + text + "' must be datasource: followed by the JNDI "
                    + "name of a DataSource, e.g. datasource:java:jboss/datasources/CheckpointDS");
        }
        return url;
    }

    private static URI postgresUrl(String name, String text, URI url) {
        String rest = url.getSchemeSpecificPart();
        if (rest == null || !rest.startsWith("postgresql://") || rest.length() == "postgresql://".length()) {
            throw new IllegalArgumentException(name + " '" + text + "': the only JDBC database is PostgreSQL, "
                    + "as jdbc:postgresql://host:port/database");
        }
        int query = text.indexOf('?');
        if (query >= 0) {
            for (String parameter : text.substring(query + 1).split("&")) {
                if (parameter.toLowerCase(Locale.ROOT).contains("password")) {
                    throw new IllegalArgumentException(name + " '" + text.substring(0, query) + "?...': no "
                            + "password in the URL, which is logged; put it in a file named by "
                            + "globalStorePasswordFile");
                }
            }
        }
        return url;
    }

    /** Comma-separated {@code host[port]}; empty entries are skipped. */
    static Kind<List<String>> hosts() {
        return new Kind<>("`host[port]`, comma-separated", (name, text) -> {
            List<String> hosts = new ArrayList<>();
            List<String> bad = new ArrayList<>();
            for (String entry : text.split(",")) {
                String host = entry.trim();
                if (!host.isEmpty()) {
                    (host.matches("[A-Za-z0-9.:_-]+\\[\\d{1,5}]") ? hosts : bad).add(host);
                }
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException(bad.stream()
                        .map(host -> name + " entry '" + host + "' is not host[port], e.g. 127.0.0.1[26200]")
                        .collect(Collectors.joining("; ")));
            }
            return List.copyOf(hosts);
        });
    }

    /** A multicast address written as one: text shaped like a host name is refused, not looked up. */
    static Kind<String> multicastAddress() {
        return new Kind<>("an IPv4 (`224.0.0.0` to `239.255.255.255`) or IPv6 (`ff00::/8`) multicast address",
                (name, text) -> {
                    try {
                        if (text.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")
                                && InetAddress.getByName(text).isMulticastAddress()) {
                            return text;
                        }
                    } catch (UnknownHostException e) {
                        // Not an address: reported below.
                    }
                    throw new IllegalArgumentException(name + " '" + text + "' is not a multicast address, "
                            + "e.g. 239.6.7.9");
                });
    }

    /** @return how a value appears in the README and in messages: constants in lower case */
    static String show(Object value) {
        return value instanceof Enum<?> constant ? constant.name().toLowerCase(Locale.ROOT) : String.valueOf(value);
    }
}
