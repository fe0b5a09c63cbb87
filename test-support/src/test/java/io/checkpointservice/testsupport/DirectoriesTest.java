package io.checkpointservice.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @TempDir
    Path directory;

    @Test
    void deletesATreeAndAcceptsOneThatIsNotThere() throws Exception {
        Path tree = directory.resolve("tree");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/file"), "x");
        Files.writeString(tree.resolve("top"), "y");

        Directories.deleteRecursively(tree);
        assertFalse(Files.exists(tree));

        Directories.deleteRecursively(tree); // already gone: nothing to do
        assertTrue(Directories.deleteQuietly(tree));
    }
}
