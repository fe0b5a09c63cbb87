package io.checkpointservice.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The command line of a JVM to start as its own process: this JVM's java executable, JVM options
 * in the order given, then either a main class on a class path or an executable jar, then the
 * program's arguments. A launcher (such as {@code ip netns exec <namespace>}) may come first.
 *
 * <pre>{@code
 * List<String> command = JavaCommand.create().maxHeap("256m").systemProperty("a", "b")
 *         .jar(Path.of("target/app.jar")).toList();
 * }</pre>
 */
public final class JavaCommand {

    private final List<String> launcher = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> program = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();

    private JavaCommand() {
    }

    /** @return an empty command that runs this JVM's own java executable */
    public static JavaCommand create() {
        return new JavaCommand();
    }

    /** @return the java executable of the running JVM */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** What runs the JVM, e.g. {@code ip netns exec <namespace>}; empty (the default) to run it directly. */
    public JavaCommand launcher(Collection<String> words) {
        launcher.clear();
        launcher.addAll(words);
        return this;
    }

    /** {@code -Xmx<size>}. */
    public JavaCommand maxHeap(String size) {
        return jvmOptions("-Xmx" + size);
    }

    public JavaCommand jvmOptions(String... options) {
        return jvmOptions(List.of(options));
    }

    public JavaCommand jvmOptions(Collection<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** {@code -D<key>=<value>}. */
    public JavaCommand systemProperty(String key, String value) {
        return jvmOptions("-D" + key + "=" + value);
    }

    /** {@code -D<prefix><key>=<value>} for every entry, in the map's order. */
    public JavaCommand systemProperties(String prefix, Map<String, String> properties) {
        properties.forEach((key, value) -> systemProperty(prefix + key, value));
        return this;
    }

    /** Runs {@code mainClass} from {@code classPath} ({@code -cp}). */
    public JavaCommand mainClass(String classPath, String mainClass) {
        program.clear();
        program.addAll(List.of("-cp", classPath, mainClass));
        return this;
    }

    /** Runs {@code mainClass} on this JVM's own class path. */
    public JavaCommand mainClass(String mainClass) {
        return mainClass(System.getProperty("java.class.path"), mainClass);
    }

    /** Runs an executable jar ({@code -jar}). */
    public JavaCommand jar(Path jar) {
        program.clear();
        program.addAll(List.of("-jar", jar.toString()));
        return this;
    }

    /** Arguments of the program, after the main class or jar. */
    public JavaCommand arguments(String... words) {
        arguments.addAll(List.of(words));
        return this;
    }

    /** @return the whole command line */
    public List<String> toList() {
        if (program.isEmpty()) {
            throw new IllegalStateException("neither a main class nor a jar to run: " + jvmOptions);
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(program);
        command.addAll(arguments);
        return command;
    }
}
