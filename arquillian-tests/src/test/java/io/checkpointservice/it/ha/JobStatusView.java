package io.checkpointservice.it.ha;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /checkpoint-example/api/status} of the example EAR answers (ear-example's
 * {@code StatusServlet}), parsed on the client. The endpoint answers a flat JSON object whose
 * values are numbers, strings, booleans or null; the client has no JSON implementation on its
 * class path (only the Jakarta EE API), so {@link #parse} reads exactly that shape and refuses
 * anything else.
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

    static JobStatusView parse(String json) {
        Map<String, Object> m = new FlatJson(json).object();
        return new JobStatusView(string(m, "node", json), optionalLong(m, "position", json), optionalString(m, "digest", json),
                number(m, "checkpointVersion", json), number(m, "checkpointPosition", json),
                number(m, "lastAwaitedVersion", json), number(m, "lastAwaitedPosition", json),
                bool(m, "replicationPending", json), optionalLong(m, "resumedFrom", json),
                number(m, "resumedPosition", json), optionalString(m, "restoredOrigin", json),
                optionalDouble(m, "restoreMillis", json), optionalLong(m, "restoreAttempts", json),
                number(m, "startedAt", json), optionalString(m, "problem", json), json);
    }

    private static Object required(Map<String, Object> m, String key, String json) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("status has no key '" + key + "': " + json);
        }
        return m.get(key);
    }

    private static String string(Map<String, Object> m, String key, String json) {
        String s = optionalString(m, key, json);
        if (s == null) {
            throw new IllegalArgumentException("status key '" + key + "' is null: " + json);
        }
        return s;
    }

    private static String optionalString(Map<String, Object> m, String key, String json) {
        Object v = required(m, key, json);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("status key '" + key + "' is not a string: " + json);
        }
        return (String) v;
    }

    private static long number(Map<String, Object> m, String key, String json) {
        Long v = optionalLong(m, key, json);
        if (v == null) {
            throw new IllegalArgumentException("status key '" + key + "' is null: " + json);
        }
        return v;
    }

    private static Long optionalLong(Map<String, Object> m, String key, String json) {
        Object v = required(m, key, json);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Double) || ((Double) v) != Math.rint((Double) v)) {
            throw new IllegalArgumentException("status key '" + key + "' is not an integer: " + json);
        }
        return ((Double) v).longValue();
    }

    private static Double optionalDouble(Map<String, Object> m, String key, String json) {
        Object v = required(m, key, json);
        if (v != null && !(v instanceof Double)) {
            throw new IllegalArgumentException("status key '" + key + "' is not a number: " + json);
        }
        return (Double) v;
    }

    private static boolean bool(Map<String, Object> m, String key, String json) {
        Object v = required(m, key, json);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException("status key '" + key + "' is not a boolean: " + json);
        }
        return (Boolean) v;
    }

    /** A reader of one flat JSON object: string keys; string, number, boolean or null values. */
    private static final class FlatJson {
        private final String text;
        private int at;

        FlatJson(String text) {
            this.text = text;
        }

        Map<String, Object> object() {
            Map<String, Object> result = new LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                at++;
            } else {
                while (true) {
                    String key = string();
                    expect(':');
                    result.put(key, value());
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw error("',' or '}'");
                    }
                }
            }
            if (peek() != 0) {
                throw error("end of input");
            }
            return result;
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            for (String literal : new String[] {"null", "true", "false"}) {
                if (text.startsWith(literal, at)) {
                    at += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw error("a value");
            }
            return Double.valueOf(text.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("'\"'");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return s.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case 'n' -> s.append('\n');
                        case 't' -> s.append('\t');
                        case 'r' -> s.append('\r');
                        case 'b' -> s.append('\b');
                        case 'f' -> s.append('\f');
                        case 'u' -> {
                            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> s.append(e);
                    }
                } else {
                    s.append(c);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                at--;
                throw error("'" + c + "'");
            }
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private char peek() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            return at < text.length() ? text.charAt(at) : 0;
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("expected " + expected + " at offset " + at + " of status: " + text);
        }
    }
}
