package io.checkpointservice.console;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;

/** The JSON of {@code api/status}, which the status page polls. */
public final class StatusJson {

    private StatusJson() {
    }

    /**
     * @param status the nodes now and the verdict
     * @param history the chart's samples
     * @param limit the readiness limit for segments below R
     * @return {@code {time, ready, live, notReady[], unreadable[], belowReplicaCountLimitSeconds, nodes[...]}}
     */
    public static JsonObject of(Status status, History history, Duration limit) {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        for (NodeView node : status.reading().nodes()) {
            nodes.add(node(node, history));
        }
        return Json.createObjectBuilder()
                .add("time", status.time())
                .add("ready", status.ready())
                .add("live", status.live())
                .add("notReady", Json.createArrayBuilder(status.notReady()))
                .add("unreadable", Json.createArrayBuilder(status.reading().unreadable()))
                .add("belowReplicaCountLimitSeconds", limit.toSeconds())
                .add("nodes", nodes)
                .build();
    }

    private static JsonObjectBuilder node(NodeView node, History history) {
        JsonArrayBuilder members = Json.createArrayBuilder();
        for (NodeView.Member member : node.members()) {
            members.add(Json.createObjectBuilder().add("name", member.name()).add("reachable", member.reachable())
                    .add("sinceTime", member.sinceTime()));
        }
        JsonArrayBuilder samples = Json.createArrayBuilder();
        for (History.Sample sample : history.of(node.nodeName())) {
            samples.add(Json.createObjectBuilder().add("time", sample.time())
                    .add("backlogSegments", sample.backlogSegments())
                    .add("lagP50Millis", sample.lagP50Millis()).add("lagP99Millis", sample.lagP99Millis())
                    .add("underReplicatedSegments", sample.underReplicatedSegments())
                    .add("members", sample.members()));
        }
        return Json.createObjectBuilder()
                .add("nodeName", node.nodeName())
                .add("replicaCount", node.replicaCount())
                .add("peersExpected", node.peersExpected())
                .add("clusterMembers", Json.createArrayBuilder(node.clusterMembers()))
                .add("members", members)
                .add("localSegments", node.localSegments())
                .add("localBytes", node.localBytes())
                .add("replicaSegments", node.replicaSegments())
                .add("replicaBytes", node.replicaBytes())
                .add("backlogSegments", node.backlogSegments())
                .add("backlogOldestWaitMillis", node.backlogOldestWaitMillis())
                .add("publishedCount", node.publishedCount())
                .add("publishedBytes", node.publishedBytes())
                .add("publicationsPerSecond", node.publicationsPerSecond())
                .add("publishedBytesPerSecond", node.publishedBytesPerSecond())
                .add("replicationLagP50Millis", node.replicationLagP50Millis())
                .add("replicationLagP95Millis", node.replicationLagP95Millis())
                .add("replicationLagP99Millis", node.replicationLagP99Millis())
                .add("failedPublicationCount", node.failedPublicationCount())
                .add("lastPublicationError", node.lastPublicationError())
                .add("lastPublicationErrorTime", node.lastPublicationErrorTime())
                .add("takeOverCount", node.takeOverCount())
                .add("fencedWriteCount", node.fencedWriteCount())
                .add("loadsLocalCount", node.loadsLocalCount())
                .add("loadsFromReplicaCount", node.loadsFromReplicaCount())
                .add("loadsFromGlobalStoreCount", node.loadsFromGlobalStoreCount())
                .add("loadsAbsentCount", node.loadsAbsentCount())
                .add("loadsUnavailableCount", node.loadsUnavailableCount())
                .add("underReplicatedSegments", node.underReplicatedSegments())
                .add("underReplicatedSampleTime", node.underReplicatedSampleTime())
                .add("history", samples);
    }

    /** @return {@code describe}'s answer as JSON */
    public static JsonObject of(String node, NodeReader.SegmentView segment) {
        return Json.createObjectBuilder()
                .add("node", node)
                .add("segment", segment.segment())
                .add("state", segment.state())
                .add("version", segment.version())
                .add("sizeBytes", segment.sizeBytes())
                .add("writtenTime", segment.writtenTime())
                .add("writer", segment.writer())
                .add("epoch", segment.epoch())
                .add("dataWriter", segment.dataWriter())
                .add("owners", Json.createArrayBuilder(segment.owners()))
                .add("atReplicaCount", segment.atReplicaCount())
                .build();
    }
}
