package io.checkpointservice.ra.jca;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Describes the "EIS" behind a connection: this node's checkpoint service. */
final class CheckpointManagedConnectionMetaData implements ManagedConnectionMetaData {

    @Override
    public String getEISProductName() {
        return "Checkpoint Service";
    }

    @Override
    public String getEISProductVersion() {
        return "0.1";
    }

    /** No limit: handles are cheap views on one shared service. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return null;
    }
}
