package io.checkpointservice.replica.it;

import io.checkpointservice.testsupport.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A storage-only replica node: {@code java -jar target/checkpoint-replica-node.jar}, the shaded
 * jar this module builds, exactly as an operator starts it.
 */
public final class ReplicaProcess extends ClusterProcess {

    private static final Pattern READY = Pattern.compile("replica node '[^']+' ready at");

    ReplicaProcess(String name, int clusterPort, Path logFile, List<String> command) {
        super(name, clusterPort, logFile, command);
    }

    /** @return the shaded jar, from failsafe's {@code it.buildDirectory} */
    static Path jar() {
        String buildDirectory = System.getProperty("it.buildDirectory", "target");
        Path jar = Path.of(buildDirectory, "checkpoint-replica-node.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("replica node jar " + jar.toAbsolutePath()
                    + " missing: run the tests with 'mvn verify' so the package phase builds it first");
        }
        return jar;
    }

    static List<String> command(Map<String, String> checkpointSettings, String heap) {
        return JavaCommand.create()
                .maxHeap(heap)
                .jvmOptions(COMMON_JVM_FLAGS)
                .systemProperties("checkpoint.", checkpointSettings)
                .jar(jar().toAbsolutePath())
                .toList();
    }

    ReplicaProcess awaitReady(Duration timeout) {
        awaitLogLine(READY, timeout);
        return this;
    }
}
