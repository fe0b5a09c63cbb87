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
        SegmentRecord record = SegmentRecord.builder().version(7).dataEpoch(2).epoch(2).writer(HOST)
                .size(65_536).checksum(-42).writtenAt(AT).origin(HOST).build();
        String encoded = record.encode();

        assertEquals("5|7|2|2|1ekg|" + Integer.toUnsignedString(-42, 36) + "|" + Long.toString(AT.toEpochMilli(), 36)
                + "||||" + HOST, encoded);
        assertEquals("5|7|2|2|1ekg|1z141xy|miboimpn||||" + HOST, encoded, "spelled out once, to be read in a log");
        assertEquals(record, SegmentRecord.decode(encoded));
        assertEquals(encoded, SegmentRecord.decode(encoded).encode(), "encoding is deterministic (compare-and-set)");
    }

    @Test
    void fieldsThatDifferFromTheWriterAreSpelledOut() {
        SegmentRecord takenOver = SegmentRecord.builder().version(7).dataEpoch(2).epoch(3).writer("node-b")
                .size(10).checksum(5).writtenAt(AT).origin("node-a").chunkSize(4_096).dataWriter("node-c").build();
        String encoded = takenOver.encode();

        assertTrue(encoded.endsWith("|" + Integer.toString(4_096, 36) + "|||node-b|node-a|node-c"), encoded);
        assertEquals(takenOver, SegmentRecord.decode(encoded));
    }

    @Test
    void anOriginOrADataWriterAloneIsSpelledOutWithoutTheOther() {
        SegmentRecord restored = SegmentRecord.builder().version(7).dataEpoch(2).epoch(3).writer("node-b")
                .size(10).checksum(5).writtenAt(AT).origin("node-a").chunkSize(4_096).dataWriter("node-b").build();
        SegmentRecord dataOnly = SegmentRecord.builder().version(7).dataEpoch(2).epoch(3).writer("node-b")
                .size(10).checksum(5).writtenAt(AT).origin("node-b").chunkSize(4_096).dataWriter("node-c").build();

        assertTrue(restored.encode().endsWith("|node-b|node-a"), restored.encode());
        assertTrue(dataOnly.encode().endsWith("|node-b||node-c"), dataOnly.encode());
        assertEquals(restored, SegmentRecord.decode(restored.encode()));
        assertEquals(dataOnly, SegmentRecord.decode(dataOnly.encode()));
    }

    @Test
    void aPlacementIsSpelledOutBeforeTheWriterAndKeptByATakeOver() {
        SegmentRecord placed = SegmentRecord.builder().version(7).dataEpoch(2).epoch(2).writer("node-a")
                .size(10).checksum(5)
                .writtenAt(AT).origin("node-a").chunkSize(4_096).dataWriter("node-a").placement(40).build();
        String encoded = placed.encode();

        assertTrue(encoded.endsWith("|" + Integer.toString(40, 36) + "|node-a"), encoded);
        assertEquals(placed, SegmentRecord.decode(encoded));
        assertEquals(40, placed.takenOverBy("node-b", 3).placement(), "the chunks keep their keys when the segment changes hands");
        assertThrows(IllegalArgumentException.class,
                () -> SegmentRecord.builder().version(7).dataEpoch(2).epoch(2).writer("a")
                        .size(10).checksum(5)
                        .writtenAt(AT).origin("a").chunkSize(4_096).dataWriter("a").placement(-1).build());
    }

    @Test
    void extremeValuesRoundTrip() {
        SegmentRecord extreme = SegmentRecord.builder().version(Long.MAX_VALUE).dataEpoch(Long.MAX_VALUE - 1).epoch(Long.MAX_VALUE).writer("w")
                .size(Long.MAX_VALUE).checksum(Integer.MIN_VALUE)
                .writtenAt(Instant.ofEpochMilli(-1)).origin("w").chunkSize(1).deleted(true).dataWriter("w").placement(Integer.MAX_VALUE).build();
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
