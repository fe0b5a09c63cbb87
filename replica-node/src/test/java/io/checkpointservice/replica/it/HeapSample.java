package io.checkpointservice.replica.it;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/** The heap of this JVM right after a full collection: what it really retains. */
final class HeapSample {

    private HeapSample() {
    }

    /**
     * Runs {@code System.gc()} twice (with the serial collector every node uses, each is a full,
     * stop-the-world collection; the second one catches what finalization released).
     *
     * @return usedBytes, committedBytes, maxBytes, threads
     */
    static Map<String, String> afterFullGc() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("usedBytes", Long.toString(heap.getUsed()));
        reply.put("committedBytes", Long.toString(heap.getCommitted()));
        reply.put("maxBytes", Long.toString(heap.getMax()));
        reply.put("threads", Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount()));
        return reply;
    }
}
