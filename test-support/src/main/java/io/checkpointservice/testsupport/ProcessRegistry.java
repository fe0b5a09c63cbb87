package io.checkpointservice.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process a {@link JavaProcess} started, so that none outlives the JVM that started it: a
 * test or benchmark kills its own processes when it ends; the shutdown hook kills whatever is
 * left (a test JVM that is itself stopped, a test that hung and was interrupted, a benchmark fork
 * that died without its tear-down).
 */
public final class ProcessRegistry {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::killAll, "process-registry-cleanup"));
    }

    private ProcessRegistry() {
    }

    static void started(Process process) {
        LIVE.add(process);
    }

    static void ended(Process process) {
        LIVE.remove(process);
    }

    /** SIGKILLs every registered process that is still running, and the processes it started. */
    public static void killAll() {
        for (Process p : LIVE) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly(); // by this process's own PID: SIGKILL
            LIVE.remove(p);
        }
    }
}
