package io.checkpointservice.replica.it;

import io.checkpointservice.ra.cluster.ClusterNode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.NameCache;

/**
 * Cuts this node off from some members, for the network-split tests: inserts JGroups' own
 * {@link DISCARD} right above the transport of the checkpoint cluster's channel and lets it drop
 * every message from those members. Heartbeats (FD_ALL3) stop arriving, VERIFY_SUSPECT2 gets no
 * answer, and each side installs a view without the other: a real split, as a network partition
 * makes it. {@link #heal} lets messages through again and MERGE3 merges the views.
 *
 * <p>Test-only: the product does not expose its channel; the harness reaches it by reflection
 * ({@code ClusterNode.channel()} is package-private on purpose).
 */
final class ChannelSplitter {

    private final JChannel channel;
    private DISCARD discard;

    ChannelSplitter(ClusterNode cluster) {
        this.channel = channelOf(cluster);
    }

    private static JChannel channelOf(ClusterNode cluster) {
        try {
            Method channel = ClusterNode.class.getDeclaredMethod("channel");
            channel.setAccessible(true);
            return (JChannel) channel.invoke(cluster);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the checkpoint cluster's channel", e);
        }
    }

    /**
     * Drops every message from the named members from now on.
     *
     * @param names logical node names; each must be a member of the current view
     * @return the addresses now ignored
     */
    synchronized List<String> isolateFrom(Set<String> names) throws Exception {
        List<Address> addresses = new ArrayList<>();
        for (Address member : channel.getView().getMembers()) {
            if (names.contains(nameOf(member))) {
                addresses.add(member);
            }
        }
        if (addresses.size() != names.size()) {
            throw new IllegalArgumentException("not all of " + names + " are in the view " + channel.getView());
        }
        if (discard == null) {
            discard = new DISCARD();
            discard.setAddress(channel.getAddress());
            channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
        }
        discard.addIgnoredMembers(addresses.toArray(Address[]::new));
        return addresses.stream().map(ChannelSplitter::nameOf).toList();
    }

    /** Lets every message through again. */
    synchronized void heal() {
        if (discard != null) {
            discard.resetIgnoredMembers();
        }
    }

    private static String nameOf(Address address) {
        String name = NameCache.get(address);
        return name != null ? name : address.toString();
    }
}
