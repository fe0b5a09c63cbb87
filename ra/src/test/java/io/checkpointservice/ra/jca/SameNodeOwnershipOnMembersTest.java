package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.StaleWriterException;
import jakarta.resource.ResourceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node alone, with its replication workers running: loading a segment this node itself
 * wrote must never fence this node (G6 fences the previous writer only when it is another node).
 */
class SameNodeOwnershipOnMembersTest {

    @TempDir
    static Path storageDirectory;

    private static CheckpointResourceAdapter adapter;
    private static CheckpointConnectionFactory connectionFactory;

    @BeforeAll
    static void startAdapter() throws ResourceException {
        adapter = Adapters.started(storageDirectory);
        connectionFactory = (CheckpointConnectionFactory) Adapters.factory(adapter, "owner").createConnectionFactory();
    }

    @AfterAll
    static void stopAdapter() {
        adapter.stop();
    }

    @Test
    void writeAndDeleteAfterLoadingOwnSegmentNeverFenceThisNode() {
        List<String> failures = new ArrayList<>();
        try (CheckpointConnection c = connectionFactory.getConnection()) {
            for (int i = 0; i < 500; i++) {
                String name = "segment-" + i;
                try {
                    c.write(name, new byte[] {1});
                    c.load(name); // races with the replication worker publishing v1
                    c.write(name, new byte[] {2});
                    c.delete(name);
                } catch (StaleWriterException e) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())), failures.size()
                + " of 500 write-load-write-delete sequences on a single node were refused as stale"
                + " (first three shown): the node fenced itself");
    }

    @Test
    void loadingOwnSegmentAgainNeverLosesIt() {
        List<String> failures = new ArrayList<>();
        try (CheckpointConnection c = connectionFactory.getConnection()) {
            for (int i = 0; i < 500; i++) {
                String name = "kept-" + i;
                c.write(name, new byte[] {1});
                c.write(name, new byte[] {2});
                for (int load = 1; load <= 3; load++) {
                    if (c.load(name).isEmpty()) {
                        failures.add(name + ": load " + load + " answered empty");
                        break;
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())), failures.size()
                + " of 500 segments written on this node, then loaded up to three times, were lost"
                + " (first three shown): the only copy was deleted by a load");
    }
}
