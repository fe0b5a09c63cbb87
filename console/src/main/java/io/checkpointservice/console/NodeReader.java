package io.checkpointservice.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;

/**
 * Reads the checkpoint nodes' MXBeans ({@code io.checkpointservice:type=CheckpointNode,name=*})
 * from an MBeanServer by name and open types only, so the console needs none of the adapter's
 * classes and works with any adapter version that has these attributes.
 */
public final class NodeReader {

    static final String DOMAIN = "io.checkpointservice";
    private static final ObjectName PATTERN = objectName(DOMAIN + ":type=CheckpointNode,name=*");
    private static final String[] ATTRIBUTES = {
        "NodeName", "ReplicaCount", "PeersExpected", "ClusterMembers", "Members",
        "LocalSegments", "LocalBytes", "ReplicaSegments", "ReplicaBytes",
        "BacklogSegments", "BacklogOldestWaitMillis", "PublishedCount", "PublishedBytes",
        "PublicationsPerSecond", "PublishedBytesPerSecond",
        "ReplicationLagP50Millis", "ReplicationLagP95Millis", "ReplicationLagP99Millis",
        "FailedPublicationCount", "LastPublicationError", "LastPublicationErrorTime",
        "TakeOverCount", "FencedWriteCount",
        "LoadsLocalCount", "LoadsFromReplicaCount", "LoadsFromGlobalStoreCount", "LoadsAbsentCount",
        "LoadsUnavailableCount", "UnderReplicatedSegments", "UnderReplicatedSampleTime"};

    /** The adapter's nodeName syntax: it is the MBean's name key, unquoted. */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final MBeanServer server;

    /** @param server where the adapter registers its MXBeans: the platform MBeanServer */
    public NodeReader(MBeanServer server) {
        this.server = server;
    }

    /**
     * @return every node registered now, by name; a node whose MBean cannot be read is left out
     *     of this list and named in {@link Reading#unreadable()}
     */
    public Reading read() {
        Set<ObjectName> names = server.queryNames(PATTERN, null);
        List<NodeView> nodes = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (ObjectName name : names) {
            try {
                nodes.add(read(name));
            } catch (InstanceNotFoundException e) {
                // The node stopped between the query and the read: it is gone, not broken.
            } catch (JMException | RuntimeException e) {
                unreadable.add(name.getKeyProperty("name") + ": " + e);
            }
        }
        nodes.sort(Comparator.comparing(NodeView::nodeName));
        return new Reading(List.copyOf(nodes), List.copyOf(unreadable));
    }

    /**
     * @param node a node's name
     * @param segment {@code namespace/name}
     * @return the node's {@code describe(segment)}: the items of its CompositeData
     * @throws IllegalArgumentException when no such node runs here, or the segment name is invalid
     */
    public SegmentView describe(String node, String segment) {
        if (node == null || !NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("node must be a node name (1 to 64 of A-Z a-z 0-9 . _ -), not '"
                    + node + "'");
        }
        ObjectName name = objectName(DOMAIN + ":type=CheckpointNode,name=" + node);
        try {
            CompositeData data = (CompositeData) server.invoke(name, "describe", new Object[] {segment},
                    new String[] {String.class.getName()});
            return new SegmentView((String) data.get("segment"), (String) data.get("state"), (long) data.get("version"),
                    (long) data.get("sizeBytes"), (long) data.get("writtenTime"), (String) data.get("writer"),
                    (long) data.get("epoch"), (String) data.get("dataWriter"),
                    List.of((String[]) data.get("owners")), (boolean) data.get("atReplicaCount"));
        } catch (InstanceNotFoundException e) {
            throw new IllegalArgumentException("no checkpoint node named '" + node + "' runs in this server", e);
        } catch (RuntimeMBeanException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new IllegalArgumentException(invalid.getMessage(), invalid);
            }
            throw e;
        } catch (JMException e) {
            throw new IllegalStateException("describe(" + segment + ") on " + node + " failed: " + e, e);
        }
    }

    private NodeView read(ObjectName name) throws JMException {
        AttributeList list = server.getAttributes(name, ATTRIBUTES);
        Object[] values = new Object[ATTRIBUTES.length];
        for (Attribute attribute : list.asList()) {
            values[Arrays.asList(ATTRIBUTES).indexOf(attribute.getName())] = attribute.getValue();
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new JMException("attribute " + ATTRIBUTES[i] + " of " + name + " cannot be read");
            }
        }
        int i = 0;
        return new NodeView((String) values[i++], (int) values[i++], (boolean) values[i++],
                List.of((String[]) values[i++]), members((CompositeData[]) values[i++]),
                (long) values[i++], (long) values[i++], (long) values[i++], (long) values[i++],
                (int) values[i++], (long) values[i++], (long) values[i++], (long) values[i++],
                (double) values[i++], (double) values[i++],
                (long) values[i++], (long) values[i++], (long) values[i++],
                (long) values[i++], (String) values[i++], (long) values[i++],
                (long) values[i++], (long) values[i++],
                (long) values[i++], (long) values[i++], (long) values[i++], (long) values[i++], (long) values[i++],
                (int) values[i++], (long) values[i]);
    }

    private static List<NodeView.Member> members(CompositeData[] rows) {
        List<NodeView.Member> members = new ArrayList<>();
        for (CompositeData row : rows) {
            members.add(new NodeView.Member((String) row.get("name"), (boolean) row.get("reachable"),
                    (long) row.get("sinceTime")));
        }
        members.sort(Comparator.comparing(NodeView.Member::name));
        return List.copyOf(members);
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an ObjectName: " + name, e);
        }
    }

    /**
     * @param nodes the nodes read, by name
     * @param unreadable nodes registered but whose MBean failed, each with its error
     */
    public record Reading(List<NodeView> nodes, List<String> unreadable) {
    }

    /** What {@code describe(segment)} answered; {@code owners} are the live owners of the published version. */
    public record SegmentView(String segment, String state, long version, long sizeBytes, long writtenTime,
                              String writer, long epoch, String dataWriter, List<String> owners,
                              boolean atReplicaCount) {
    }
}
