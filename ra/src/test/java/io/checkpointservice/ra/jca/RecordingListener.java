package io.checkpointservice.ra.jca;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pool's listener, reduced to writing down what it hears. */
final class RecordingListener implements ConnectionEventListener {

    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void connectionClosed(ConnectionEvent event) {
        events.add(event);
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        events.add(event);
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
        events.add(event);
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
        events.add(event);
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
        events.add(event);
    }

    /** @return every event heard so far, in order */
    List<ConnectionEvent> events() {
        return List.copyOf(events);
    }

    /** @return the CONNECTION_CLOSED events heard so far */
    List<ConnectionEvent> closedEvents() {
        return events.stream().filter(e -> e.getId() == ConnectionEvent.CONNECTION_CLOSED).toList();
    }
}
