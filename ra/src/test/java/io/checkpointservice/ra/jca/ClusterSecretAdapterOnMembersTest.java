package io.checkpointservice.ra.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.ra.testsupport.SystemProperties;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter's clusterSecret / clusterSecretFile properties and the refusal of clear traffic off loopback. */
class ClusterSecretAdapterOnMembersTest {

    @TempDir
    Path tempDir;

    @Test
    void nonLoopbackBindAddressWithoutSecretStopsTheStartSayingWhatToSet() {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        adapter.setBindAddress("10.255.255.1"); // refused while parsing: nothing binds or sends to it
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> adapter.start(new TestBootstrapContext()), "clear cluster traffic beyond loopback must be refused");
        assertTrue(e.getMessage().contains("bindAddress 10.255.255.1 is not loopback: set clusterSecret or "
                + "clusterSecretFile"), e.getMessage());
        adapter.stop();
    }

    @Test
    void secretFileGivenAsSystemPropertySecuresTheClusterAndTheAdapterServes() throws Exception {
        Path secret = Files.writeString(tempDir.resolve("cluster.secret"), "file-secret-0123456789abcdef\n");
        SystemProperties.with("checkpoint.clusterSecretFile", secret.toString(), () -> {
            CheckpointResourceAdapter adapter = Adapters.started(tempDir.resolve("store"));
            try {
                CheckpointConnectionFactory cf = (CheckpointConnectionFactory) Adapters.factory(adapter, "app")
                        .createConnectionFactory();
                try (CheckpointConnection c = cf.getConnection()) {
                    c.write("job", new byte[] {7});
                    assertArrayEquals(new byte[] {7}, c.load("job").orElseThrow().state(), "the secured node serves");
                }
            } finally {
                adapter.stop();
            }
        });
    }

    @Test
    void tooShortSecretStopsTheStartWithoutShowingIt() {
        CheckpointResourceAdapter adapter = Adapters.configured(tempDir);
        adapter.setClusterSecret("tooShort-7f3a");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> adapter.start(new TestBootstrapContext()));
        assertTrue(e.getMessage().contains("clusterSecret is shorter than 16 characters"), e.getMessage());
        assertTrue(!e.getMessage().contains("tooShort-7f3a"), "the secret must not be shown: " + e.getMessage());
        adapter.stop();
    }
}
