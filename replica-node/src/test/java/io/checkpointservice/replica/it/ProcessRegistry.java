package io.checkpointservice.replica.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process the tests started, so none outlives the test JVM: {@link TestCluster#close}
 * kills a test's own processes; the shutdown hook kills whatever is left (a test JVM that is
 * itself stopped, a test that hung and was interrupted).
 */
final class ProcessRegistry {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::killAll, "it-process-cleanup"));
    }

    private ProcessRegistry() {
    }

    static void started(Process process) {
        LIVE.add(process);
    }

    static void ended(Process process) {
        LIVE.remove(process);
    }

    /** SIGKILLs every registered process that is still running. */
    static void killAll() {
        for (Process p : LIVE) {
            p.destroyForcibly(); // by this process's own PID: SIGKILL
            LIVE.remove(p);
        }
    }
}
