package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The record's string form: what every node holds and what the conditional replace compares. */
class SegmentRecordEncodingTest {

    private static final Instant AT = Instant.ofEpochMilli(1_763_900_000_123L);
    private static final String HOST = "app-server-3.prod.example.com";

    @Test
    void aWritersOwnRecordDoesNotRepeatItsNameOrTheUsualChunkSizeAndWritesNumbersInBase36() {
        SegmentRecord record = new SegmentRecord(7, 2, 2, HOST, 65_536, -42, AT, HOST,
                SegmentRecord.USUAL_CHUNK_SIZE, false);
        String encoded = record.encode();

        assertEquals("5|7|2|2|1ekg|" + Integer.toUnsignedString(-42, 36) + "|" + Long.toString(AT.toEpochMilli(), 36)
                + "||||" + HOST, encoded);
        assertEquals("5|7|2|2|1ekg|1z141xy|miboimpn||||" + HOST, encoded, "spelled out once, to be read in a log");
        assertEquals(record, SegmentRecord.decode(encoded));
        assertEquals(encoded, SegmentRecord.decode(encoded).encode(), "encoding is deterministic (compare-and-set)");
    }

    @Test
    void fieldsThatDifferFromTheWriterAreSpelledOut() {
        SegmentRecord takenOver = new SegmentRecord(7, 2, 3, "node-b", 10, 5, AT, "node-a", 4_096, false, "node-c");
        String encoded = takenOver.encode();

        assertTrue(encoded.endsWith("|" + Integer.toString(4_096, 36) + "|||node-b|node-a|node-c"), encoded);
        assertEquals(takenOver, SegmentRecord.decode(encoded));
    }

    @Test
    void anOriginOrADataWriterAloneIsSpelledOutWithoutTheOther() {
        SegmentRecord restored = new SegmentRecord(7, 2, 3, "node-b", 10, 5, AT, "node-a", 4_096, false, "node-b");
        SegmentRecord dataOnly = new SegmentRecord(7, 2, 3, "node-b", 10, 5, AT, "node-b", 4_096, false, "node-c");

        assertTrue(restored.encode().endsWith("|node-b|node-a"), restored.encode());
        assertTrue(dataOnly.encode().endsWith("|node-b||node-c"), dataOnly.encode());
        assertEquals(restored, SegmentRecord.decode(restored.encode()));
        assertEquals(dataOnly, SegmentRecord.decode(dataOnly.encode()));
    }

    @Test
    void aPlacementIsSpelledOutBeforeTheWriterAndKeptByATakeOver() {
        SegmentRecord placed = new SegmentRecord(7, 2, 2, "node-a", 10, 5, AT, "node-a", 4_096, false, "node-a", 40);
        String encoded = placed.encode();

        assertTrue(encoded.endsWith("|" + Integer.toString(40, 36) + "|node-a"), encoded);
        assertEquals(placed, SegmentRecord.decode(encoded));
        assertEquals(40, placed.takenOverBy("node-b", 3).placement(), "the chunks keep their keys when the segment changes hands");
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentRecord(7, 2, 2, "a", 10, 5, AT, "a", 4_096, false, "a", -1));
    }

    @Test
    void extremeValuesRoundTrip() {
        SegmentRecord extreme = new SegmentRecord(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE, "w",
                Long.MAX_VALUE, Integer.MIN_VALUE, Instant.ofEpochMilli(-1), "w", 1, true, "w", Integer.MAX_VALUE);
        assertEquals(extreme, SegmentRecord.decode(extreme.encode()));
        assertEquals(extreme.encode(), SegmentRecord.decode(extreme.encode()).encode());
    }

    @Test
    void claimsAndTombstonesRoundTrip() {
        SegmentRecord claim = SegmentRecord.claim(4, "node-a", 9, AT);
        assertEquals(claim, SegmentRecord.decode(claim.encode()));
        assertEquals(0, SegmentRecord.decode(claim.encode()).chunkSize(), "a claim's chunk size 0 is not the usual one");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThrows(IllegalStateException.class, () -> SegmentRecord.decode("9|7|2|2|1|1|1||||a"));
        assertThrows(IllegalStateException.class, // other formats: records are never persisted
                () -> SegmentRecord.decode("3|7|2|2|65536|-42|1763900000123||L|node-a||"));
        assertThrows(IllegalStateException.class, () -> SegmentRecord.decode("4|7|2|2|1ekg|1z141xy|miboimpn|||a"));
        assertThrows(IllegalStateException.class, () -> SegmentRecord.decode("5|7|2"));
    }
}
