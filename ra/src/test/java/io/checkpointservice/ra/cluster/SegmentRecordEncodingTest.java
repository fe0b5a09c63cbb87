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

    @Test
    void keptVersionsFollowTheRecordNewestFirstAndSurviveATakeOver() {
        SegmentRecord v5 = SegmentRecord.builder().version(5).epoch(2).writer("node-a").size(10).checksum(-7)
                .writtenAt(AT).placement(3).build();
        SegmentRecord v4 = SegmentRecord.builder().version(4).epoch(1).writer("node-c").size(2_000_000).checksum(9)
                .writtenAt(AT.minusSeconds(1)).origin("node-d").chunkSize(4_096).build();
        SegmentRecord v6 = SegmentRecord.builder().version(6).epoch(2).writer("node-a").size(10).checksum(1)
                .writtenAt(AT.plusSeconds(1)).kept(java.util.List.of(v5, v4)).build();
        String encoded = v6.encode();

        String plain = v6.toBuilder().kept(java.util.List.of()).build().encode();
        assertTrue(encoded.startsWith(plain + "~5,2,a,"), "the record's own fields first, as without kept versions: " + encoded);
        assertTrue(encoded.endsWith("~4,1," + Long.toString(2_000_000, 36) + "," + Integer.toUnsignedString(9, 36) + ","
                + Long.toString(AT.minusSeconds(1).toEpochMilli(), 36) + "," + Integer.toString(4_096, 36) + ",,node-c,node-d"),
                encoded);
        assertEquals(v6, SegmentRecord.decode(encoded));
        assertEquals(encoded, SegmentRecord.decode(encoded).encode(), "deterministic");
        SegmentRecord takenOver = SegmentRecord.decode(encoded).takenOverBy("node-b", 3);
        assertEquals(java.util.List.of(v5, v4), takenOver.kept(), "a take-over keeps the kept versions");
        assertEquals(java.util.List.of(v6.toBuilder().kept(java.util.List.of()).build(), v5, v4).size(),
                v6.publishedVersions().size());
    }

    @Test
    void aPublicationKeepsTheReplacedVersionAndDropsTheOldest() {
        SegmentRecord v1 = SegmentRecord.builder().version(1).epoch(1).writer("node-a").size(1).checksum(1)
                .writtenAt(AT).build();
        SegmentRecord v2 = SegmentRecord.builder().version(2).epoch(1).writer("node-a").size(1).checksum(2)
                .writtenAt(AT).kept(java.util.List.of(v1)).build();
        SegmentRecord v2TakenOver = v2.takenOverBy("node-b", 2);

        assertEquals(java.util.List.of(v2.toBuilder().kept(java.util.List.of()).build()),
                v2TakenOver.keptAfterPublishing(3, 1), "keeping one: the replaced version, as its data alone");
        assertEquals(2, v2TakenOver.keptAfterPublishing(3, 2).size());
        assertEquals("node-a", v2TakenOver.keptAfterPublishing(3, 2).get(0).writer(), "kept as its data writer's");
        assertEquals(java.util.List.of(v1), v2TakenOver.keptAfterPublishing(2, 2),
                "a version of the same number (a take-over by write) is not kept below itself");
        assertTrue(SegmentRecord.claim(3, "node-b", 2, AT).publishedVersions().isEmpty(), "a tombstone keeps nothing");
    }
}
