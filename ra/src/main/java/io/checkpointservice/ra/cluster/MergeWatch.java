package io.checkpointservice.ra.cluster;

import org.jgroups.Event;
import org.jgroups.MergeView;
import org.jgroups.stack.Protocol;

/**
 * The top of the checkpoint cluster's JGroups stack: closes the {@link MergeGate} when a merged
 * view passes up, before the view reaches Infinispan and so before this node's membership shows
 * the other side's members. Infinispan's own merge notification arrives later (up to a second
 * after the view, measured), too late: a load in between answered from the losing side's records.
 */
public class MergeWatch extends Protocol {

    private volatile MergeGate gate;

    /** Closes {@code gate} on every merged view from now on. */
    void closes(MergeGate gate) {
        this.gate = gate;
    }

    @Override
    public Object up(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE && evt.getArg() instanceof MergeView view) {
            MergeGate target = gate;
            if (target != null) {
                target.mergeBegan(view.getViewId().getId(), view.getSubgroups().toString());
            }
        }
        return up_prot.up(evt);
    }
}
