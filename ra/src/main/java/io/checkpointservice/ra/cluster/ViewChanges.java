package io.checkpointservice.ra.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;

/**
 * Counts the cluster views this node installed since it started: equal counts mean no member
 * joined or left in between, which is what a proof of held copies needs to stay valid. Also keeps
 * the id of the last view Infinispan installed, which {@link MergeGate} waits for after a merge.
 */
@Listener(sync = true)
final class ViewChanges {

    private final AtomicLong seen = new AtomicLong();
    private volatile long installedViewId;

    /** @return the number of views installed since this listener was added */
    long count() {
        return seen.get();
    }

    /** @return the id of the last view Infinispan installed on this node since this listener was added; 0 before */
    long installedViewId() {
        return installedViewId;
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        installedViewId = Math.max(installedViewId, event.getViewId());
        seen.incrementAndGet();
    }

    /** Infinispan reports the view of a healed split as a merge, not as a view change: one all the same. */
    @Merged
    public void merged(MergeEvent event) {
        viewChanged(event);
    }
}
