package io.checkpointservice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the directories tests and benchmarks create. */
public final class Directories {

    private Directories() {
    }

    /**
     * Deletes {@code directory} and everything in it; nothing happens when it does not exist.
     *
     * @throws UncheckedIOException when anything in it cannot be deleted
     */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + directory, e);
        }
    }

    /**
     * {@link #deleteRecursively}, best effort: for temporary directories whose leftovers harm
     * nothing. What cannot be deleted is left and the rest is still deleted.
     *
     * @return whether the directory is gone
     */
    public static boolean deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left behind, see above
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // left behind, see above
        }
        return !Files.exists(directory);
    }
}
