package io.checkpointservice.it.ha;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * What {@code GET /checkpoint-example/api/status} of the example EAR answers (ear-example's
 * {@code StatusServlet}), parsed on the client. The endpoint answers a flat JSON object whose
 * values are numbers, strings, booleans or null; {@link #parse} reads it with Jakarta JSON
 * Processing (Parsson on the test class path) and refuses a missing key or a value of another type.
 *
 * @param node the node running the job ({@code jboss.node.name})
 * @param position items processed, null while the job is restoring its state
 * @param digest the digest at {@code position}, null while restoring
 * @param checkpointVersion newest checkpoint version written or restored, 0 if none
 * @param checkpointPosition the position that checkpoint holds
 * @param lastAwaitedVersion newest version {@code awaitReplicated} confirmed, 0 if none
 * @param lastAwaitedPosition the position that confirmed checkpoint holds
 * @param replicationPending the last barrier timed out
 * @param resumedFrom the checkpoint version restored at start, null on a fresh start (position 0)
 * @param resumedPosition the position restored, 0 on a fresh start
 * @param restoredOrigin the node that wrote the restored checkpoint, null on a fresh start
 * @param restoreMillis how long the job's {@code load} took, null while restoring
 * @param restoreAttempts how many {@code load} calls the restore took, null while restoring
 * @param startedAt when this job instance started (epoch ms): identifies the instance
 * @param problem why the job is not moving on, or null
 * @param json the answer as received
 */
record JobStatusView(String node, Long position, String digest, long checkpointVersion, long checkpointPosition,
        long lastAwaitedVersion, long lastAwaitedPosition, boolean replicationPending, Long resumedFrom,
        long resumedPosition, String restoredOrigin, Double restoreMillis, Long restoreAttempts, long startedAt,
        String problem, String json) {

    /** @return true once the job has its state (restored or fresh) and processes items */
    boolean running() {
        return position != null;
    }

    /** @return node and start time: what distinguishes one start of the job from another */
    String instance() {
        return node + "@" + startedAt;
    }

    /**
     * @param json one answer of the status URL
     * @return its fields
     * @throws IllegalArgumentException when it is not a JSON object with every key, each of its type
     */
    static JobStatusView parse(String json) {
        JsonObject m;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            m = reader.readObject();
        } catch (JsonException e) {
            throw new IllegalArgumentException("status is not a JSON object (" + e.getMessage() + "): " + json, e);
        }
        return new JobStatusView(string(m, "node", json), optionalLong(m, "position", json), optionalString(m, "digest", json),
                number(m, "checkpointVersion", json), number(m, "checkpointPosition", json),
                number(m, "lastAwaitedVersion", json), number(m, "lastAwaitedPosition", json),
                bool(m, "replicationPending", json), optionalLong(m, "resumedFrom", json),
                number(m, "resumedPosition", json), optionalString(m, "restoredOrigin", json),
                optionalDouble(m, "restoreMillis", json), optionalLong(m, "restoreAttempts", json),
                number(m, "startedAt", json), optionalString(m, "problem", json), json);
    }

    /** @return the value of {@code key}, null for JSON null */
    private static JsonValue required(JsonObject m, String key, String json) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("status has no key '" + key + "': " + json);
        }
        JsonValue v = m.get(key);
        return v.getValueType() == JsonValue.ValueType.NULL ? null : v;
    }

    private static String string(JsonObject m, String key, String json) {
        String s = optionalString(m, key, json);
        if (s == null) {
            throw new IllegalArgumentException("status key '" + key + "' is null: " + json);
        }
        return s;
    }

    private static String optionalString(JsonObject m, String key, String json) {
        JsonValue v = required(m, key, json);
        if (v != null && !(v instanceof JsonString)) {
            throw new IllegalArgumentException("status key '" + key + "' is not a string: " + json);
        }
        return v == null ? null : ((JsonString) v).getString();
    }

    private static long number(JsonObject m, String key, String json) {
        Long v = optionalLong(m, key, json);
        if (v == null) {
            throw new IllegalArgumentException("status key '" + key + "' is null: " + json);
        }
        return v;
    }

    private static Long optionalLong(JsonObject m, String key, String json) {
        JsonValue v = required(m, key, json);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonNumber) || !((JsonNumber) v).isIntegral()) {
            throw new IllegalArgumentException("status key '" + key + "' is not an integer: " + json);
        }
        return ((JsonNumber) v).longValue();
    }

    private static Double optionalDouble(JsonObject m, String key, String json) {
        JsonValue v = required(m, key, json);
        if (v != null && !(v instanceof JsonNumber)) {
            throw new IllegalArgumentException("status key '" + key + "' is not a number: " + json);
        }
        return v == null ? null : ((JsonNumber) v).doubleValue();
    }

    private static boolean bool(JsonObject m, String key, String json) {
        JsonValue v = required(m, key, json);
        if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            throw new IllegalArgumentException("status key '" + key + "' is not a boolean: " + json);
        }
        return v == JsonValue.TRUE;
    }
}
