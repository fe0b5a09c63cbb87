package io.checkpointservice.it.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The HA tests' reading of the example's status JSON, without a server (a unit test). */
class JobStatusViewTest {

    /** A resumed job, as ear-example's StatusServlet writes it. */
    private static final String RESUMED = """
            {"node":"ha-2","position":5240,"digest":"9f0e","checkpointVersion":52,"checkpointPosition":5200,
             "lastAwaitedVersion":48,"lastAwaitedPosition":4800,"replicationPending":false,
             "resumedFrom":47,"resumedPosition":4700,"restoredOrigin":"ha-1","restoreMillis":12.3,
             "restoreAttempts":1,"startedAt":1763900000000,"restoredAt":1763900000150,"problem":null}""";

    /** A job that is still restoring: what it does not know yet is null. */
    private static final String STARTING = """
            {"node":"ha-1","position":null,"digest":null,"checkpointVersion":0,"checkpointPosition":0,
             "lastAwaitedVersion":0,"lastAwaitedPosition":0,"replicationPending":true,
             "resumedFrom":null,"resumedPosition":0,"restoredOrigin":null,"restoreMillis":null,
             "restoreAttempts":null,"restoredAt":null,"startedAt":1763900000000,"problem":"waiting for \\"x\\""}""";

    @Test
    void readsEveryFieldOfAResumedJob() {
        JobStatusView s = JobStatusView.parse(RESUMED);
        assertEquals("ha-2", s.node());
        assertEquals(5240L, s.position());
        assertEquals("9f0e", s.digest());
        assertEquals(52, s.checkpointVersion());
        assertEquals(5200, s.checkpointPosition());
        assertEquals(48, s.lastAwaitedVersion());
        assertEquals(4800, s.lastAwaitedPosition());
        assertFalse(s.replicationPending());
        assertEquals(47L, s.resumedFrom());
        assertEquals(4700, s.resumedPosition());
        assertEquals("ha-1", s.restoredOrigin());
        assertEquals(12.3, s.restoreMillis());
        assertEquals(1L, s.restoreAttempts());
        assertEquals(1763900000000L, s.startedAt());
        assertNull(s.problem());
        assertEquals(RESUMED, s.json());
        assertTrue(s.running());
        assertEquals("ha-2@1763900000000", s.instance());
    }

    @Test
    void readsNullsOfAStartingJob() {
        JobStatusView s = JobStatusView.parse(STARTING);
        assertNull(s.position());
        assertNull(s.digest());
        assertNull(s.resumedFrom());
        assertNull(s.restoredOrigin());
        assertNull(s.restoreMillis());
        assertNull(s.restoreAttempts());
        assertTrue(s.replicationPending());
        assertEquals("waiting for \"x\"", s.problem());
        assertFalse(s.running());
    }

    @Test
    void refusesAnythingElseWithTheAnswerInTheMessage() {
        assertRefused("not json", "not a JSON object");
        assertRefused("[1, 2]", "not a JSON object");
        assertRefused(RESUMED.replace("\"startedAt\":1763900000000,", ""), "no key 'startedAt'");
        assertRefused(RESUMED.replace("\"node\":\"ha-2\"", "\"node\":null"), "'node' is null");
        assertRefused(RESUMED.replace("\"position\":5240", "\"position\":\"5240\""), "'position' is not an integer");
        assertRefused(RESUMED.replace("\"position\":5240", "\"position\":5240.5"), "'position' is not an integer");
        assertRefused(RESUMED.replace("\"replicationPending\":false", "\"replicationPending\":0"),
                "'replicationPending' is not a boolean");
        assertRefused(RESUMED.replace("\"digest\":\"9f0e\"", "\"digest\":7"), "'digest' is not a string");
        assertRefused(RESUMED.replace("\"restoreMillis\":12.3", "\"restoreMillis\":\"12.3\""),
                "'restoreMillis' is not a number");
    }

    private static void assertRefused(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobStatusView.parse(json), json);
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(json),
                () -> "message should say '" + expected + "' and quote the answer: " + e.getMessage());
    }
}
