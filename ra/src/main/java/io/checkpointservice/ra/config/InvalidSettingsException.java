package io.checkpointservice.ra.config;

import java.util.List;

/** One or more settings are invalid; the message lists each with what to change. */
public class InvalidSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("invalid checkpoint adapter settings (set them as config properties or as -D"
                + ConfigValues.SYSTEM_PROPERTY_PREFIX + "<name> system properties): "
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return each problem, as the message lists them */
    public List<String> problems() {
        return problems;
    }
}
