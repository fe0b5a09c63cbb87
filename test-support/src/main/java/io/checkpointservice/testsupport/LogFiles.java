package io.checkpointservice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Server logs in failure messages: the end of a log file, which is where a failure shows. */
public final class LogFiles {

    private LogFiles() {
    }

    /**
     * @param lines how many lines from the end
     * @return the last {@code lines} lines of {@code log}, or a note that it does not exist
     * @throws UncheckedIOException when it exists but cannot be read
     */
    public static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
