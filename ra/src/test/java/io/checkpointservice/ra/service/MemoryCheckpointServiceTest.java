package io.checkpointservice.ra.service;

import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.MemoryStore;
import java.nio.file.Path;

/** The service contract over the memory store. */
class MemoryCheckpointServiceTest extends CheckpointServiceContractTest {

    @Override
    StorageMode storageMode() {
        return StorageMode.MEMORY;
    }

    @Override
    LocalStore openStore(Path directory) {
        return new MemoryStore();
    }
}
