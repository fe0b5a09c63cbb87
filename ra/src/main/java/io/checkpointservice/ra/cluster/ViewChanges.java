package io.checkpointservice.ra.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;

/**
 * Counts the cluster views this node installed since it started: equal counts mean no member
 * joined or left in between, which is what a proof of held copies needs to stay valid.
 */
@Listener(sync = true)
final class ViewChanges {

    private final AtomicLong seen = new AtomicLong();

    /** @return the number of views installed since this listener was added */
    long count() {
        return seen.get();
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        seen.incrementAndGet();
    }
}
