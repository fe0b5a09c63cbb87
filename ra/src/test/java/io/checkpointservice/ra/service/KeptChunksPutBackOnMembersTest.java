package io.checkpointservice.ra.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.testsupport.LoopbackNodes;
import io.checkpointservice.ra.threads.NodeThreads;
import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.Payloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk mode, a restart of the whole cluster whose writer's disk is gone: the replica chunks come
 * back only from the other nodes' chunk journals, and they are put back in the background after
 * each node's start, not inside it. Real cluster members in this JVM; the put-back task is held
 * back by the threads the nodes are given, so the test sees the cluster before and during it:
 * every start returns while it is held, a load meanwhile answers "unavailable" (never "absent",
 * never other bytes), and once it runs every segment loads with the bytes its writer wrote.
 */
class KeptChunksPutBackOnMembersTest {

    private static final String NS = "app";
    private static final int SEGMENTS = 60;
    /** The task name under which a node puts back its kept chunks (ChunkJournal). */
    private static final String PUT_BACK = "checkpoint-chunk-put-back";
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final LoopbackNodes nodes = new LoopbackNodes("put-back-test", 5, Map.of());

    @TempDir
    Path disks;

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    @Test
    void everyStartReturnsBeforeThePutBackAndLoadsMeanwhileAnswerUnavailableNeverAbsent() throws Exception {
        CheckpointNode a = nodes.start(0, "a", 2, disks.resolve("a"));
        CheckpointNode b = nodes.start(1, "b", 2, disks.resolve("b"));
        CheckpointNode c = nodes.start(2, "c", 2, disks.resolve("c"));
        await("three members").atMost(AWAIT).until(() -> c.cluster().members().size() == 3);
        Map<String, byte[]> written = new LinkedHashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < SEGMENTS; i++) {
            String name = "job-" + i;
            byte[] state = Payloads.generate(2_000 + i * 37, i);
            written.put(name, state);
            versions.put(name, a.service().write(NS, name, state));
        }
        assertTrue(a.service().awaitAllReplicated(NS, versions, AWAIT), "every segment on b and c (R = 2)");
        nodes.stop(a);
        nodes.stop(b);
        nodes.stop(c);
        Directories.deleteRecursively(disks.resolve("a")); // the writer's disk is gone: only b's and c's journals hold the chunks

        HeldPutBack held = new HeldPutBack();
        CheckpointNode c2 = nodes.start(3, "c", 2, disks.resolve("c"), held::around);
        CheckpointNode b2 = nodes.start(4, "b", 2, disks.resolve("b"), held::around);
        await("two members").atMost(AWAIT).until(() -> b2.cluster().members().size() == 2);

        assertEquals(2, held.submitted.get(), "each node handed its put-back to its threads, to run after its start");
        assertFalse(b2.cluster().awaitKeptVersionsPutBack(Duration.ZERO), "b's put-back has not run");
        assertFalse(c2.cluster().awaitKeptVersionsPutBack(Duration.ZERO), "c's put-back has not run");
        for (String name : written.keySet()) {
            assertThrows(SegmentUnavailableException.class, () -> c2.service().load(NS, name),
                    name + ": its record is back, no chunk is: unavailable, not absent");
        }

        held.release.countDown();
        List<String> wrong = new ArrayList<>();
        AtomicInteger unavailable = new AtomicInteger();
        for (Map.Entry<String, byte[]> segment : written.entrySet()) {
            await(segment.getKey() + " loaded on c").atMost(AWAIT).until(() -> {
                Optional<Checkpoint> loaded;
                try {
                    loaded = c2.service().load(NS, segment.getKey());
                } catch (SegmentUnavailableException e) {
                    unavailable.incrementAndGet();
                    return false; // not put back yet
                }
                if (loaded.isEmpty() || !java.util.Arrays.equals(segment.getValue(), loaded.get().state())) {
                    wrong.add(segment.getKey() + (loaded.isEmpty() ? " absent" : " other bytes"));
                }
                return true;
            });
        }
        assertEquals(List.of(), wrong, "a load during or after the put-back answers the writer's bytes or unavailable");
        assertTrue(b2.cluster().awaitKeptVersionsPutBack(AWAIT) && c2.cluster().awaitKeptVersionsPutBack(AWAIT),
                "both put-backs finish");
        for (Map.Entry<String, byte[]> segment : written.entrySet()) {
            assertArrayEquals(segment.getValue(), b2.service().load(NS, segment.getKey()).orElseThrow().state(),
                    segment.getKey() + " on b, taken over from c");
        }
    }

    /** Threads that hold every node's put-back task until {@link #release}, and count them. */
    private static final class HeldPutBack {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger submitted = new AtomicInteger();

        NodeThreads around(NodeThreads threads) {
            return new NodeThreads() {
                @Override
                public void runLongLived(String name, Runnable task, Runnable stop) {
                    if (!name.equals(PUT_BACK)) {
                        threads.runLongLived(name, task, stop);
                        return;
                    }
                    submitted.incrementAndGet();
                    threads.runLongLived(name, () -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        task.run();
                    }, () -> {
                        release.countDown();
                        stop.run();
                    });
                }

                @Override
                public Scheduled runLater(String name, Runnable task, Duration delay) {
                    return threads.runLater(name, task, delay);
                }
            };
        }
    }
}
