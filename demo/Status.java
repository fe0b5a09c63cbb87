import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/** One answer of {@code GET /checkpoint-example/api/status}; see StatusServlet in ear-example/job. */
record Status(String node, Optional<Long> position, String digest, long checkpointVersion, long checkpointPosition,
              long lastAwaitedVersion, long lastAwaitedPosition, boolean replicationPending, Long resumedFrom,
              long resumedPosition, String restoredOrigin, double restoreMillis, int restoreAttempts, long startedAt,
              long restoredAt, String problem, String raw) {

    /** @return true when the job has its state (restored or fresh) and moves on */
    boolean restored() {
        return position.isPresent();
    }

    /** @return true when the job waits for its checkpoint to become reachable */
    boolean waiting() {
        return problem != null && problem.startsWith("waiting");
    }

    /**
     * @return true when the job has begun on this node (restored, or trying to): not so while it is
     *     only "starting", which on Payara is every instance the group's timer does not fire on
     */
    boolean begun() {
        return position.isPresent() || (problem != null && !problem.equals("starting"));
    }

    /**
     * @param json one answer of the status URL: a flat object whose unknown values are null
     * @throws DemoFailure when it is not a JSON object
     */
    static Status parse(String json) {
        JsonObject f;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            f = reader.readObject();
        } catch (JsonException e) {
            throw new DemoFailure("the status is not a JSON object (" + e.getMessage() + "): " + json);
        }
        return new Status(text(f, "node"), Optional.ofNullable(number(f, "position")).map(JsonNumber::longValue),
                text(f, "digest"), orZero(f, "checkpointVersion"), orZero(f, "checkpointPosition"),
                orZero(f, "lastAwaitedVersion"), orZero(f, "lastAwaitedPosition"),
                f.get("replicationPending") == JsonValue.TRUE,
                Optional.ofNullable(number(f, "resumedFrom")).map(JsonNumber::longValue).orElse(null),
                orZero(f, "resumedPosition"), text(f, "restoredOrigin"),
                Optional.ofNullable(number(f, "restoreMillis")).map(JsonNumber::doubleValue).orElse(-1.0),
                (int) orZero(f, "restoreAttempts"), orZero(f, "startedAt"), orZero(f, "restoredAt"), text(f, "problem"),
                json);
    }

    /** @return the string at {@code key}, null when missing or null */
    private static String text(JsonObject fields, String key) {
        return fields.get(key) instanceof JsonString s ? s.getString() : null;
    }

    /** @return the number at {@code key}, null when missing or null */
    private static JsonNumber number(JsonObject fields, String key) {
        return fields.get(key) instanceof JsonNumber n ? n : null;
    }

    private static long orZero(JsonObject fields, String key) {
        JsonNumber n = number(fields, key);
        return n == null ? 0 : n.longValue();
    }
}
