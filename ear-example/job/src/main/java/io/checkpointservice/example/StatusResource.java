package io.checkpointservice.example;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/**
 * {@code GET /checkpoint-example/api/status}: where the job is and what it last checkpointed.
 *
 * <pre>
 * {"node":"node-1","position":1240,"digest":"9f..","checkpointVersion":12,"resumedFrom":5,...}
 * </pre>
 *
 * {@code position} and {@code digest} are the job's live state (one consistent pair);
 * {@code checkpointVersion} and the {@code checkpoint*} fields describe the newest stored
 * checkpoint; {@code resumedFrom} is the checkpoint version the job restored at start, null when
 * it started fresh. Unknown values are null, never left out, so clients can rely on the keys.
 */
@Path("status")
@RequestScoped
public class StatusResource {

    @Inject
    ProgressJob job;

    @Inject
    CheckpointInspector inspector;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject status() {
        JobStatus status = job.status();
        JsonObjectBuilder json = Json.createObjectBuilder();
        json.add("node", System.getProperty("jboss.node.name", "unknown"));
        if (status.state() == null) {
            json.addNull("position").addNull("digest");
        } else {
            json.add("position", status.state().position()).add("digest", status.state().digest());
        }
        addCheckpoint(json);
        if (status.resumedFrom() == null) {
            json.addNull("resumedFrom");
        } else {
            json.add("resumedFrom", status.resumedFrom());
        }
        json.add("resumedPosition", status.resumedPosition());
        if (status.problem() == null) {
            json.addNull("problem");
        } else {
            json.add("problem", status.problem());
        }
        return json.build();
    }

    private void addCheckpoint(JsonObjectBuilder json) {
        try {
            Optional<Checkpoint> latest = inspector.latest();
            if (latest.isPresent()) {
                Checkpoint checkpoint = latest.get();
                json.add("checkpointVersion", checkpoint.version())
                        .add("checkpointPosition", ProgressState.decode(checkpoint.state()).position())
                        .add("checkpointWrittenAt", checkpoint.writtenAt().toString())
                        .add("checkpointOrigin", checkpoint.originNode());
                return;
            }
            json.addNull("checkpointVersion");
        } catch (CheckpointException | IllegalArgumentException e) {
            // The job's own state is still worth reporting when the stored one cannot be read.
            json.addNull("checkpointVersion").add("checkpointError", String.valueOf(e.getMessage()));
        }
        json.addNull("checkpointPosition").addNull("checkpointWrittenAt").addNull("checkpointOrigin");
    }
}
