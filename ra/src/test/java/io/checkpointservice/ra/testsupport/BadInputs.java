package io.checkpointservice.ra.testsupport;

import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentTooLargeException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The bad-input table (G9), shared by the service tests and the connection handle tests so that
 * both layers are held to the same list. Every test using it runs with
 * {@code maxSegmentBytes = }{@value #MAX_SEGMENT_BYTES}.
 */
public final class BadInputs {

    /** The maxSegmentBytes every bad-input test configures. */
    public static final int MAX_SEGMENT_BYTES = 1024;

    private static final byte[] SMALL = {1, 2, 3};

    private BadInputs() {
    }

    /** One refused write: what is passed and what must be thrown. */
    public record BadWrite(String label, String name, byte[] state, Class<? extends Throwable> expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** One accepted edge case. */
    public record EdgeWrite(String label, String name, byte[] state) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** Invalid names, each with the label the test report shows. */
    public static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("slash only", "/"),
                Arguments.of("trailing slash", "a/"),
                Arguments.of("leading slash", "/a"),
                Arguments.of("double slash", "a//b"),
                Arguments.of("dot", "."),
                Arguments.of("dot-dot", ".."),
                Arguments.of("dot-dot inside", "a/../b"),
                Arguments.of("dot inside", "a/./b"),
                Arguments.of("path traversal", "../etc/passwd"),
                Arguments.of("NUL character", "seg\u0000ment"),
                Arguments.of("space", "my segment"),
                Arguments.of("tab", "my\tsegment"),
                Arguments.of("newline", "my\nsegment"),
                Arguments.of("backslash", "a\\b"),
                Arguments.of("backslash traversal", "..\\..\\windows"),
                Arguments.of("colon", "c:segment"),
                Arguments.of("asterisk", "seg*"),
                Arguments.of("question mark", "seg?"),
                Arguments.of("percent-encoded dots", "%2e%2e"),
                Arguments.of("e acute", "caf\u00e9"),
                Arguments.of("emoji", "state-\uD83D\uDE00"),
                Arguments.of("Cyrillic", "\u0441\u0435\u0433\u043c\u0435\u043d\u0442"),
                Arguments.of("fullwidth solidus", "a\uFF0Fb"),
                Arguments.of("201 characters", "n".repeat(201)),
                Arguments.of("201 characters in words", ("abcdefghi/".repeat(20) + "x").substring(0, 201)));
    }

    /** Every refused write: each invalid name with valid state, then valid names with bad state. */
    public static Stream<Arguments> invalidWrites() {
        Stream<BadWrite> badNames = invalidNames().map(a -> new BadWrite("name: " + a.get()[0],
                (String) a.get()[1], SMALL, InvalidSegmentNameException.class));
        Stream<BadWrite> badStates = Stream.of(
                new BadWrite("state: null", "valid/name", null, NullPointerException.class),
                new BadWrite("state: maxSegmentBytes + 1", "valid/name", new byte[MAX_SEGMENT_BYTES + 1],
                        SegmentTooLargeException.class),
                new BadWrite("state: 10 x maxSegmentBytes", "valid/name", new byte[10 * MAX_SEGMENT_BYTES],
                        SegmentTooLargeException.class),
                new BadWrite("name null and state null", null, null, InvalidSegmentNameException.class),
                new BadWrite("name invalid and state too large", "../x", new byte[MAX_SEGMENT_BYTES + 1],
                        InvalidSegmentNameException.class));
        return Stream.concat(badNames, badStates).map(Arguments::of);
    }

    /** Inputs at the edge of the rules that must be accepted and round-trip. */
    public static Stream<Arguments> validEdgeWrites() {
        return Stream.of(
                new EdgeWrite("name of 200 characters", "n".repeat(200), SMALL),
                new EdgeWrite("name of 200 characters in words", ("abcdefghi/".repeat(20)).substring(0, 199) + "z", SMALL),
                new EdgeWrite("single character", "a", SMALL),
                new EdgeWrite("every allowed character", "AZaz09._-/Zz.-_9", SMALL),
                new EdgeWrite("three dots are a word, not a reserved one", "a/.../b", SMALL),
                new EdgeWrite("hidden-file-like word", ".hidden/..x/x..", SMALL),
                new EdgeWrite("state of exactly maxSegmentBytes", "big", filled(MAX_SEGMENT_BYTES)),
                new EdgeWrite("empty state", "empty", new byte[0])).map(Arguments::of);
    }

    /** Invalid awaitReplicated arguments besides the name: version and timeout. */
    public static Stream<Arguments> invalidAwaitArguments() {
        return Stream.of(
                Arguments.of("version 0", 0L, Duration.ZERO),
                Arguments.of("version -1", -1L, Duration.ZERO),
                Arguments.of("version Long.MIN_VALUE", Long.MIN_VALUE, Duration.ofSeconds(1)),
                Arguments.of("timeout null", 1L, null),
                Arguments.of("timeout -1 ms", 1L, Duration.ofMillis(-1)),
                Arguments.of("timeout -1 ns", 1L, Duration.ofNanos(-1)));
    }

    private static byte[] filled(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        return data;
    }
}
