package io.checkpointservice.replica.it;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.testsupport.Payloads;

/**
 * Writes one segment version after version, as fast as the store takes them, in an app node
 * that the test kills at a random moment ({@code TornWriteIT}). The bytes of version v are
 * {@link Payloads#forVersion}(v, ...), so whatever a later load returns can be checked against
 * its version number alone.
 *
 * <p>Progress goes to stdout (the node's log file), one whole line per event, written with a
 * single system call before the next step: {@code WRITING version=v} just before
 * {@code write}, {@code WROTE version=v} once {@code write} returned. A SIGKILL of the process
 * leaves what was written to the file in the kernel, so after the kill the log tells the test
 * the newest version whose write had returned, and whether the kill fell inside a write.
 */
final class VersionedWriteLoop {

    static final String WRITING = "WRITING version=";
    static final String WROTE = "WROTE version=";
    static final String FAILED = "WRITE LOOP FAILED: ";

    private VersionedWriteLoop() {
    }

    /**
     * Loads the segment (taking it over), then starts writing from the version after it.
     *
     * @return the first version the loop writes
     */
    static long start(CheckpointService service, String namespace, String name, int minSize, int maxSize) {
        long first = service.load(namespace, name).map(Checkpoint::version).orElse(0L) + 1;
        Thread loop = new Thread(() -> run(service, namespace, name, first, minSize, maxSize), "write-loop");
        loop.setDaemon(true);
        loop.start();
        return first;
    }

    private static void run(CheckpointService service, String namespace, String name, long first,
                            int minSize, int maxSize) {
        long next = first;
        try {
            while (true) {
                byte[] state = Payloads.forVersion(next, minSize, maxSize);
                report(WRITING + next);
                long written = service.write(namespace, name, state);
                if (written != next) {
                    // The bytes were generated for another version: the test could not check them.
                    report(FAILED + "write returned version " + written + " for the bytes of version " + next);
                    return;
                }
                report(WROTE + written);
                next++;
            }
        } catch (RuntimeException e) {
            report(FAILED + e);
        }
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
