package io.checkpointservice.payara;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.it.support.PortableLookup;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.util.Optional;

/** An EJB using the adapter the portable way: the resource reference, mapped by glassfish-web.xml. */
@Stateless
public class CheckpointEjb {

    @Resource(name = PortableLookup.RESOURCE_NAME)
    private CheckpointConnectionFactory factory;

    public long write(String name, byte[] state) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.write(name, state);
        }
    }

    public Optional<Checkpoint> load(String name) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.load(name);
        }
    }

    public boolean delete(String name) {
        try (CheckpointConnection connection = factory.getConnection()) {
            return connection.delete(name);
        }
    }

    /** @return a connection the caller closes; for the bad-input tests */
    public CheckpointConnection open() {
        return factory.getConnection();
    }
}
