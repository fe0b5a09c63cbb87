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
    void aWritersOwnRecordDoesNotRepeatItsNameOrTheUsualChunkSize() {
        SegmentRecord record = new SegmentRecord(7, 2, 2, HOST, 65_536, -42, AT, HOST,
                SegmentRecord.USUAL_CHUNK_SIZE, false);
        String encoded = record.encode();

        assertEquals("3|7|2|2|65536|-42|1763900000123||L|" + HOST + "||", encoded);
        assertEquals(record, SegmentRecord.decode(encoded));
        assertEquals(encoded, SegmentRecord.decode(encoded).encode(), "encoding is deterministic (compare-and-set)");
    }

    @Test
    void fieldsThatDifferFromTheWriterAreSpelledOut() {
        SegmentRecord takenOver = new SegmentRecord(7, 2, 3, "node-b", 10, 5, AT, "node-a", 4_096, false, "node-c");
        String encoded = takenOver.encode();

        assertTrue(encoded.endsWith("|4096|L|node-b|node-a|node-c"), encoded);
        assertEquals(takenOver, SegmentRecord.decode(encoded));
    }

    @Test
    void claimsAndTombstonesRoundTrip() {
        SegmentRecord claim = SegmentRecord.claim(4, "node-a", 9, AT);
        assertEquals(claim, SegmentRecord.decode(claim.encode()));
        assertEquals(0, SegmentRecord.decode(claim.encode()).chunkSize(), "a claim's chunk size 0 is not the usual one");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThrows(IllegalStateException.class, () -> SegmentRecord.decode("9|7|2|2|1|1|1||L|a||"));
        assertThrows(IllegalStateException.class, // the previous release's format: records are never persisted
                () -> SegmentRecord.decode("2|7|2|2|65536|-42|1763900000123|1048576|L|node-a|node-a|node-a"));
        assertThrows(IllegalStateException.class, () -> SegmentRecord.decode("3|7|2"));
    }
}
