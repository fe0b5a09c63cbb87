package io.checkpointservice.ra.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * JCA's rules, checked on the adapter's sources: no thread but the application server's (its
 * WorkManager, its BootstrapContext's timers), and no private reflection into other classes.
 * {@link PlainNodeThreads}, for JVMs without a server, is the one class that creates threads.
 */
class AdapterCreatesNoThreadsTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern THREAD_MAKING = Pattern.compile(
            "new Thread\\(|Executors\\.|new ScheduledThreadPoolExecutor|new ThreadPoolExecutor|new ForkJoinPool"
                    + "|new Timer\\(|\\.runAsync\\(|\\.supplyAsync\\(|Thread\\.ofPlatform|Thread\\.ofVirtual|Thread\\.startVirtualThread");
    private static final Pattern PRIVATE_REFLECTION = Pattern.compile("privateLookupIn|setAccessible\\(");

    @Test
    void onlyThePlainJvmThreadsCreateThreads() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the ra module: " + SOURCES.toAbsolutePath());
        assertEquals(List.of("PlainNodeThreads.java"), filesMatching(THREAD_MAKING),
                "the adapter runs its work on NodeThreads, never on threads of its own");
    }

    @Test
    void noPrivateReflection() throws IOException {
        assertEquals(List.of(), filesMatching(PRIVATE_REFLECTION), "the adapter uses only supported, public paths");
    }

    private static List<String> filesMatching(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> pattern.matcher(read(f)).find())
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
