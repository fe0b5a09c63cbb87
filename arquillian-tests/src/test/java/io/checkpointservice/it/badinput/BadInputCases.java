package io.checkpointservice.it.badinput;

import static io.checkpointservice.it.badinput.Expect.that;
import static io.checkpointservice.it.badinput.Expect.thrown;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentTooLargeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bad-input table (G9): one row per case, run inside WildFly by {@link BadInputServlet} and
 * named in the report by {@link BadInputIT}. Each row says which exception type it expects and
 * what its message must name; the runner adds to every row that the victims ({@link Victims})
 * keep version and bytes and that the storage directory has no new, changed or missing file.
 *
 * <p>The rules the name rows probe are those of {@link io.checkpointservice.api.SegmentNames}:
 * 1 to 200 characters of {@code A-Z a-z 0-9 . _ -}, words split by {@code /}, no empty,
 * {@code .} or {@code ..} word. The namespace is put in front by the connection factory; a name
 * cannot leave it.
 */
public final class BadInputCases {

    /** node-1 runs with -Dcheckpoint.maxSegmentBytes=16777216 (pom.xml, node-1.jvm.args). */
    static final int MAX_SEGMENT_BYTES = 16 * 1024 * 1024;

    private static final String NULL_NAME = "segment name is null";
    private static final String EMPTY_NAME = "segment name is empty";
    private static final String EMPTY_WORD = "has an empty word";
    private static final String DOT_DOT = "has a '..' word";
    private static final String DOT = "has a '.' word";
    private static final String CLOSED = "the connection is closed";
    private static final byte[] SOME_STATE = "state that must never be stored".getBytes(StandardCharsets.UTF_8);

    private static final String DESTROYED = "the application server cleaned up its physical connection";

    private static final Map<String, BadInputCase> TABLE = new LinkedHashMap<>();
    /** Rows that need a held connection whose physical connection WildFly destroyed first. */
    private static final Map<String, BadInputCase> AFTER_DESTROY = new LinkedHashMap<>();

    static {
        // ---- invalid names on write: rejected before anything is stored --------------------
        invalidWrite("write: null name", null, NULL_NAME);
        invalidWrite("write: empty name", "", EMPTY_NAME);
        invalidWrite("write: 201 characters (limit 200)", "x".repeat(201), "201 characters, more than the limit of 200");
        invalidWrite("write: 100000 characters", "y".repeat(100_000), "100000 characters, more than the limit of 200");
        invalidWrite("write: 201 characters of valid words", ("abcd/".repeat(41)).substring(0, 201), "201 characters");
        invalidWrite("write: ../etc/passwd", "../etc/passwd", DOT_DOT);
        invalidWrite("write: ..", "..", DOT_DOT);
        invalidWrite("write: .", ".", DOT);
        invalidWrite("write: traversal to a victim a/../../victim", "a/../../" + Victims.SHARED_NAME, DOT_DOT);
        invalidWrite("write: victim/..", Victims.SMALL + "/..", DOT_DOT);
        invalidWrite("write: a/./b", "a/./b", DOT);
        invalidWrite("write: leading slash /absolute", "/absolute", EMPTY_WORD);
        invalidWrite("write: trailing slash", "trailing/", EMPTY_WORD);
        invalidWrite("write: double slash a//b", "a//b", EMPTY_WORD);
        invalidWrite("write: single slash", "/", EMPTY_WORD);
        invalidWrite("write: backslash", "back\\slash", "U+005C");
        invalidWrite("write: Windows traversal ..\\..\\x", "..\\..\\x", "U+005C");
        invalidWrite("write: drive letter C:", "C:", "U+003A");
        invalidWrite("write: NUL byte", "nul\u0000byte", "U+0000");
        invalidWrite("write: NUL after a valid name (C string cut)", Victims.SMALL + "\u0000", "U+0000");
        invalidWrite("write: newline", "new\nline", "U+000A");
        invalidWrite("write: tab", "tab\tname", "U+0009");
        invalidWrite("write: DEL control character", "del\u007f", "U+007F");
        invalidWrite("write: lone high surrogate", "a\uD800b", "U+D800");
        invalidWrite("write: lone low surrogate", "\uDC00", "U+DC00");
        invalidWrite("write: emoji (surrogate pair)", "smile\uD83D\uDE00", "U+D83D");
        invalidWrite("write: non-ASCII letter", "\u00fcmlaut", "U+00FC");
        invalidWrite("write: fullwidth solidus look-alike", "a\uFF0Fb", "U+FF0F");
        invalidWrite("write: division slash look-alike", "a\u2215..\u2215b", "U+2215");
        invalidWrite("write: URL-encoded traversal %2e%2e/x", "%2e%2e/x", "U+0025");
        invalidWrite("write: space", "space in name", "U+0020");
        invalidWrite("write: home directory ~/x", "~/x", "U+007E");
        invalidWrite("write: glob *", "*", "U+002A");

        // ---- invalid names on the other operations -----------------------------------------
        add("load: null name", c -> thrown(InvalidSegmentNameException.class, NULL_NAME, () -> c.connection().load(null)));
        add("load: ../ traversal", c -> thrown(InvalidSegmentNameException.class, DOT_DOT,
                () -> c.connection().load("../" + Victims.SHARED_NAME)));
        add("load: NUL byte", c -> thrown(InvalidSegmentNameException.class, "U+0000",
                () -> c.connection().load(Victims.SMALL + "\u0000x")));
        add("delete: null name", c -> thrown(InvalidSegmentNameException.class, NULL_NAME, () -> c.connection().delete(null)));
        add("delete: traversal onto a victim", c -> thrown(InvalidSegmentNameException.class, DOT_DOT,
                () -> c.connection().delete("x/../" + Victims.SMALL)));
        add("delete: 201 characters", c -> thrown(InvalidSegmentNameException.class, "201 characters",
                () -> c.connection().delete("d".repeat(201))));
        add("awaitReplicated: null name", c -> thrown(InvalidSegmentNameException.class, NULL_NAME,
                () -> c.connection().awaitReplicated(null, 1, Duration.ZERO)));
        add("awaitReplicated: empty word", c -> thrown(InvalidSegmentNameException.class, EMPTY_WORD,
                () -> c.connection().awaitReplicated("a//b", 1, Duration.ZERO)));

        // ---- state ------------------------------------------------------------------------
        add("write: null state (new segment)", c -> thrown(NullPointerException.class, "is null",
                () -> c.connection().write(c.scratchName("null-state"), null)));
        add("write: null state over an existing victim", c -> thrown(NullPointerException.class, "is null",
                () -> c.connection().write(Victims.SMALL, null)));
        add("write: maxSegmentBytes + 1 (new segment)", c -> {
            SegmentTooLargeException e = thrown(SegmentTooLargeException.class, "more than maxSegmentBytes=" + MAX_SEGMENT_BYTES,
                    () -> c.connection().write(c.scratchName("too-large"), new byte[MAX_SEGMENT_BYTES + 1]));
            that(e.size() == MAX_SEGMENT_BYTES + 1L && e.limit() == MAX_SEGMENT_BYTES,
                    "expected size() " + (MAX_SEGMENT_BYTES + 1) + " and limit() " + MAX_SEGMENT_BYTES + ", got "
                            + e.size() + " and " + e.limit());
        });
        add("write: maxSegmentBytes + 1 over an existing victim", c -> thrown(SegmentTooLargeException.class,
                "more than maxSegmentBytes", () -> c.connection().write(Victims.LARGE, new byte[MAX_SEGMENT_BYTES + 1])));
        add("write: twice maxSegmentBytes", c -> thrown(SegmentTooLargeException.class, (2L * MAX_SEGMENT_BYTES) + " bytes",
                () -> c.connection().write(c.scratchName("twice-too-large"), new byte[2 * MAX_SEGMENT_BYTES])));

        // ---- awaitReplicated arguments ------------------------------------------------------
        add("awaitReplicated: version 0", c -> thrown(IllegalArgumentException.class, "version must be positive",
                () -> c.connection().awaitReplicated(Victims.SMALL, 0, Duration.ZERO)));
        add("awaitReplicated: version -1", c -> thrown(IllegalArgumentException.class, "version must be positive",
                () -> c.connection().awaitReplicated(Victims.SMALL, -1, Duration.ZERO)));
        add("awaitReplicated: version Long.MIN_VALUE", c -> thrown(IllegalArgumentException.class, "version must be positive",
                () -> c.connection().awaitReplicated(Victims.SMALL, Long.MIN_VALUE, Duration.ofSeconds(1))));
        add("awaitReplicated: null timeout", c -> thrown(IllegalArgumentException.class, "timeout must be zero or positive",
                () -> c.connection().awaitReplicated(Victims.SMALL, 1, null)));
        add("awaitReplicated: negative timeout", c -> thrown(IllegalArgumentException.class, "timeout must be zero or positive",
                () -> c.connection().awaitReplicated(Victims.SMALL, 1, Duration.ofMillis(-1))));
        add("awaitReplicated: a version never written is false, not an error", c -> {
            long future = c.victims().get(false, Victims.SMALL).version() + 1000;
            that(!c.connection().awaitReplicated(Victims.SMALL, future, Duration.ZERO),
                    "expected awaitReplicated of version " + future + ", never written, to be false");
        });

        // ---- awaitAllReplicated arguments: every entry is checked before anything is awaited --
        add("awaitAllReplicated: null map", c -> thrown(IllegalArgumentException.class, "versions must not be null",
                () -> c.connection().awaitAllReplicated(null, Duration.ZERO)));
        add("awaitAllReplicated: a null name beside a valid one", c -> thrown(InvalidSegmentNameException.class, NULL_NAME,
                () -> c.connection().awaitAllReplicated(withVictimAnd(null, 1L), Duration.ofMinutes(1))));
        add("awaitAllReplicated: an empty word beside a valid name", c -> thrown(InvalidSegmentNameException.class, EMPTY_WORD,
                () -> c.connection().awaitAllReplicated(withVictimAnd("a//b", 1L), Duration.ofMinutes(1))));
        add("awaitAllReplicated: version 0", c -> thrown(IllegalArgumentException.class, "must be positive",
                () -> c.connection().awaitAllReplicated(withVictimAnd("other", 0L), Duration.ofMinutes(1))));
        add("awaitAllReplicated: null version", c -> thrown(IllegalArgumentException.class, "must be positive (a value returned by write), was null",
                () -> c.connection().awaitAllReplicated(withVictimAnd("other", null), Duration.ofMinutes(1))));
        add("awaitAllReplicated: negative timeout", c -> thrown(IllegalArgumentException.class, "timeout must be zero or positive",
                () -> c.connection().awaitAllReplicated(Map.of(Victims.SMALL, 1L), Duration.ofMillis(-1))));
        add("awaitAllReplicated: a version never written is false, not an error", c -> {
            long held = c.victims().get(false, Victims.SMALL).version();
            Map<String, Long> versions = withVictimAnd(Victims.SMALL + "-never-written", 1L);
            versions.put(Victims.SMALL, held);
            that(!c.connection().awaitAllReplicated(versions, Duration.ZERO),
                    "expected awaitAllReplicated of a segment never written, beside v" + held + " of a victim, to be false");
        });

        // ---- a closed connection: every method, whatever its arguments ----------------------
        add("closed connection: write", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().write(c.scratchName("closed-write"), SOME_STATE)));
        add("closed connection: write over a victim", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().write(Victims.SMALL, SOME_STATE)));
        add("closed connection: load", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().load(Victims.SMALL)));
        add("closed connection: delete of a victim", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().delete(Victims.SMALL)));
        add("closed connection: awaitReplicated", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().awaitReplicated(Victims.SMALL, 1, Duration.ZERO)));
        add("closed connection: awaitAllReplicated", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().awaitAllReplicated(Map.of(Victims.SMALL, 1L), Duration.ZERO)));
        add("closed connection: invalid arguments still say closed", c -> thrown(IllegalStateException.class, CLOSED,
                () -> c.closedConnection().write(null, null)));
        add("closed connection: closed again by many threads, then used", c -> {
            CheckpointConnection connection = c.connection();
            ConcurrentClose.closeFromManyThreads(connection, 16);
            thrown(IllegalStateException.class, CLOSED, () -> connection.delete(Victims.SMALL));
        });
        add("closed connection: close while 8 threads write and load", ConcurrentClose::closeWhileThreadsWriteAndLoad);

        // ---- namespaces: a name cannot reach another namespace's segment --------------------
        add("namespace: ../other/victim from default is rejected (load)", c -> thrown(InvalidSegmentNameException.class,
                DOT_DOT, () -> c.connection().load("../other/" + Victims.SHARED_NAME)));
        add("namespace: ../other/victim from default is rejected (write)", c -> thrown(InvalidSegmentNameException.class,
                DOT_DOT, () -> c.connection().write("../other/" + Victims.SHARED_NAME, SOME_STATE)));
        add("namespace: ../other/victim from default is rejected (delete)", c -> thrown(InvalidSegmentNameException.class,
                DOT_DOT, () -> c.connection().delete("../other/" + Victims.SHARED_NAME)));
        add("namespace: /other/victim (absolute) is rejected", c -> thrown(InvalidSegmentNameException.class,
                EMPTY_WORD, () -> c.connection().load("/other/" + Victims.SHARED_NAME)));
        add("namespace: other/victim from default is absent, not other's segment", c -> {
            Optional<Checkpoint> loaded = c.connection().load("other/" + Victims.SHARED_NAME);
            that(loaded.isEmpty(), "expected load(\"other/victim\") in namespace default to be empty (it is "
                    + "default/other/victim), got " + loaded.map(BadInputCases::describe).orElse(""));
            that(!c.connection().delete("other/" + Victims.SHARED_NAME),
                    "expected delete(\"other/victim\") in namespace default to return false");
            long otherVersion = c.victims().get(true, Victims.SHARED_NAME).version();
            that(!c.connection().awaitReplicated("other/" + Victims.SHARED_NAME, otherVersion, Duration.ZERO),
                    "expected awaitReplicated(\"other/victim\", v" + otherVersion + ") in namespace default to be false");
        });
        add("namespace: write other/victim from default creates default/other/victim only", c -> {
            String name = "other/" + Victims.SHARED_NAME;
            c.deleteAfterwards(name);
            long version = c.connection().write(name, SOME_STATE);
            Checkpoint own = c.connection().load(name).orElseThrow(
                    () -> new AssertionError("expected default/" + name + " after writing it"));
            that(own.version() == version && Arrays.equals(own.state(), SOME_STATE),
                    "expected default/" + name + " v" + version + " with the written bytes, got " + describe(own));
            // The runner checks that other/victim kept its version and bytes.
        });
        add("namespace: same simple name, each factory sees its own", c -> {
            Checkpoint mine = c.connection().load(Victims.SHARED_NAME).orElseThrow(
                    () -> new AssertionError("expected default/victim"));
            Checkpoint theirs = c.otherConnection().load(Victims.SHARED_NAME).orElseThrow(
                    () -> new AssertionError("expected other/victim"));
            that(Arrays.equals(mine.state(), c.victims().get(false, Victims.SHARED_NAME).state()),
                    "expected default's victim bytes through java:/eis/checkpoint, got " + describe(mine));
            that(Arrays.equals(theirs.state(), c.victims().get(true, Victims.SHARED_NAME).state()),
                    "expected other's victim bytes through java:/eis/checkpoint-other, got " + describe(theirs));
            that(Victims.SHARED_NAME.equals(mine.name()) && Victims.SHARED_NAME.equals(theirs.name()),
                    "expected name() without namespace, got '" + mine.name() + "' and '" + theirs.name() + "'");
        });
    }

    static {
        // ---- a handle whose physical connection the pool destroyed (flush-all-connection-in-pool)
        afterDestroy("destroyed physical connection: write", c -> thrown(IllegalStateException.class, DESTROYED,
                () -> c.heldConnection().write(c.scratchName("destroyed-write"), SOME_STATE)));
        afterDestroy("destroyed physical connection: write over a victim", c -> thrown(IllegalStateException.class,
                DESTROYED, () -> c.heldConnection().write(Victims.SMALL, SOME_STATE)));
        afterDestroy("destroyed physical connection: load", c -> thrown(IllegalStateException.class, DESTROYED,
                () -> c.heldConnection().load(Victims.SMALL)));
        afterDestroy("destroyed physical connection: delete of a victim", c -> thrown(IllegalStateException.class,
                DESTROYED, () -> c.heldConnection().delete(Victims.SMALL)));
        afterDestroy("destroyed physical connection: awaitReplicated", c -> thrown(IllegalStateException.class,
                DESTROYED, () -> c.heldConnection().awaitReplicated(Victims.SMALL, 1, Duration.ZERO)));
    }

    private BadInputCases() {
    }

    /** @return the row named {@code name} of either list, or null */
    public static BadInputCase row(String name) {
        BadInputCase row = TABLE.get(name);
        return row != null ? row : AFTER_DESTROY.get(name);
    }

    /** @return the names of the rows that run after the pool destroyed a held connection's physical connection */
    public static List<String> namesAfterDestroy() {
        return List.copyOf(AFTER_DESTROY.keySet());
    }

    /** @return the names of the rows, for the parameterized test on the client */
    public static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }

    private static void invalidWrite(String name, String segmentName, String messagePart) {
        add(name, c -> thrown(InvalidSegmentNameException.class, messagePart, () -> c.connection().write(segmentName, SOME_STATE)));
    }

    private static void afterDestroy(String name, BadInputCase.Body body) {
        if (TABLE.containsKey(name) || AFTER_DESTROY.putIfAbsent(name, new BadInputCase(name, body)) != null) {
            throw new IllegalStateException("two rows named '" + name + "'");
        }
    }

    private static void add(String name, BadInputCase.Body body) {
        if (TABLE.putIfAbsent(name, new BadInputCase(name, body)) != null) {
            throw new IllegalStateException("two rows named '" + name + "'");
        }
    }

    /** @return a mutable map with a valid entry for the small victim and the given one, which may hold nulls */
    private static Map<String, Long> withVictimAnd(String name, Long version) {
        Map<String, Long> versions = new LinkedHashMap<>();
        versions.put(Victims.SMALL, 1L);
        versions.put(name, version);
        return versions;
    }

    static String describe(Checkpoint checkpoint) {
        return checkpoint.name() + " v" + checkpoint.version() + " (" + checkpoint.state().length + " bytes)";
    }
}
