package io.checkpointservice.ra.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration setting, declared once in {@link Settings}: the config property's name, the
 * values it accepts, its default, what it means and where it is set. Parsing, the
 * {@code -Dcheckpoint.<name>} override, the start-up check and the README's configuration table
 * all read this declaration, so none of them can disagree with another.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

    /** Which JCA bean carries the setting as a config property. */
    public enum Scope {
        /** The resource adapter: one value per node, which {@code -Dcheckpoint.<name>} overrides. */
        ADAPTER,
        /**
         * Each connection factory: no system property overrides it, since a node-wide value would
         * give every factory of the node the same value (for the namespace: merge the segments of
         * applications their configuration keeps apart).
         */
        CONNECTION_FACTORY
    }

    private final String name;
    private final Scope scope;
    private final Kind<T> kind;
    private final T defaultValue;
    private final String defaultText;
    private final String meaning;
    private final boolean secret;

    private Setting(String name, Scope scope, Kind<T> kind, T defaultValue, String defaultText, String meaning,
                    boolean secret) {
        this.name = Objects.requireNonNull(name);
        this.scope = Objects.requireNonNull(scope);
        this.kind = Objects.requireNonNull(kind);
        this.defaultValue = defaultValue;
        this.defaultText = Objects.requireNonNull(defaultText);
        this.meaning = Objects.requireNonNull(meaning);
        this.secret = secret;
    }

    /**
     * @param defaultValue the value when none is configured; null when the default depends on the
     *     node (then say which in {@link #defaultText(String)}) or there is none
     * @param meaning what the setting does, as the README's table says it (Markdown)
     */
    static <T> Setting<T> adapter(String name, Kind<T> kind, T defaultValue, String meaning) {
        return new Setting<>(name, Scope.ADAPTER, kind, defaultValue, shown(defaultValue), meaning, false);
    }

    /** @see #adapter */
    static <T> Setting<T> connectionFactory(String name, Kind<T> kind, T defaultValue, String meaning) {
        return new Setting<>(name, Scope.CONNECTION_FACTORY, kind, defaultValue, shown(defaultValue), meaning, false);
    }

    /** @return this setting with the README's default column saying {@code text} (Markdown) */
    Setting<T> defaultText(String text) {
        return new Setting<>(name, scope, kind, defaultValue, text, meaning, secret);
    }

    /** @return this setting marked secret: the deployment tools hide its value */
    Setting<T> secret() {
        return new Setting<>(name, scope, kind, defaultValue, defaultText, meaning, true);
    }

    private static String shown(Object defaultValue) {
        return defaultValue == null ? "none" : "`" + Kind.show(defaultValue) + "`";
    }

    /**
     * The value of this setting among {@code raw}, the configured values by setting name.
     *
     * @param problems what is wrong with the value is added here, so that one refusal names
     *     every bad setting
     * @return the parsed value; the default when it is not set (null) or invalid
     */
    T from(Map<String, String> raw, List<String> problems) {
        String text = raw.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return defaultValue;
        }
    }

    /**
     * @param text a configured value; surrounding blanks are ignored, as for every config value
     * @throws IllegalArgumentException naming the setting and saying what is wrong
     */
    public T parse(String text) {
        return kind.parser().parse(name, text.trim());
    }

    /** @return the config property's name, also the system property's after {@code checkpoint.} */
    public String name() {
        return name;
    }

    public Scope scope() {
        return scope;
    }

    /** @return whether {@code -Dcheckpoint.<name>} wins over the configured value */
    public boolean overridable() {
        return scope == Scope.ADAPTER;
    }

    /** @return whether the value must never be shown (logs, messages, management tools) */
    public boolean isSecret() {
        return secret;
    }

    /** @return the value when none is configured; null when it depends on the node or there is none */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the default as the README's table says it (Markdown) */
    public String defaultText() {
        return defaultText;
    }

    /** @return the accepted values as the README's table says them (Markdown) */
    public String values() {
        return kind.values();
    }

    /** @return what the setting does, as the README's table says it (Markdown) */
    public String meaning() {
        return meaning;
    }

    @Override
    public String toString() {
        return name;
    }
}
