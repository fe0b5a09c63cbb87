package io.checkpointservice.replica.it;

import io.checkpointservice.testsupport.JavaCommand;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application node ({@link AppNodeMain}) in its own JVM, started from this JVM's own java
 * and classpath, driven through its control port.
 */
public final class NodeProcess extends ClusterProcess {

    private static final Pattern READY = Pattern.compile(AppNodeMain.READY + " controlPort=(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String controlHost;
    private volatile int controlPort = -1;

    /** @param controlHost the address its control server listens on (see {@link #command}) */
    NodeProcess(String name, int clusterPort, Path logFile, String controlHost, List<String> command) {
        super(name, clusterPort, logFile, command);
        this.controlHost = controlHost;
    }

    /**
     * The command line of an app node.
     *
     * @param launcher what runs the JVM, e.g. {@code ip netns exec <namespace>}; empty to run it directly
     * @param controlHost the address its control server listens on
     */
    static List<String> command(List<String> launcher, Map<String, String> checkpointSettings, String heap,
                                String controlHost) {
        return JavaCommand.create()
                .launcher(launcher)
                .maxHeap(heap)
                .jvmOptions(COMMON_JVM_FLAGS)
                .systemProperties("checkpoint.", checkpointSettings)
                .systemProperty("it.controlPort", "0")
                .systemProperty("it.controlAddress", controlHost)
                .systemProperty("it.parentPid", Long.toString(ProcessHandle.current().pid()))
                .mainClass(AppNodeMain.class.getName())
                .toList();
    }

    /** Waits for the READY line and learns the control port. */
    NodeProcess awaitReady(Duration timeout) {
        Matcher m = awaitLogLine(READY, timeout);
        controlPort = Integer.parseInt(m.group(1));
        return this;
    }

    // ---- the control endpoints ----

    /** Writes {@code size} bytes generated from {@code seed}; the write must succeed. */
    public long write(String name, Payloads.Expected payload) {
        Reply reply = tryWrite(name, payload);
        reply.expectStatus(200, "write of '" + name + "' (" + payload + ") on " + name());
        long version = reply.version();
        if (!payload.sha256().equals(reply.get("sha256"))) {
            throw new AssertionError("write on " + name() + " generated other bytes than the test: expected "
                    + payload.sha256() + " but was " + reply.get("sha256"));
        }
        return version;
    }

    /** Writes the given bytes, sent as the request body; the write must succeed. */
    public long write(String name, byte[] bytes) {
        Reply reply = tryWrite(name, bytes);
        reply.expectStatus(200, "write of '" + name + "' (" + bytes.length + " bytes in the body) on " + name());
        if (!Payloads.sha256(bytes).equals(reply.get("sha256"))) {
            throw new AssertionError("write on " + name() + " stored other bytes than the test sent: " + reply);
        }
        return reply.version();
    }

    /** Writes and returns whatever the node answered (used to see a write fail). */
    public Reply tryWrite(String name, Payloads.Expected payload) {
        return post("/write", "name", name, "size", Integer.toString(payload.size()),
                "seed", Long.toString(payload.seed()));
    }

    /** Writes the given bytes as the request body. */
    public Reply tryWrite(String name, byte[] bytes) {
        return send("/write", HttpRequest.BodyPublishers.ofByteArray(bytes), Duration.ofSeconds(60), "name", name);
    }

    /** Loads: 200 with version and hashes, 404 when absent, 503 unavailable, 409 stale writer. */
    public Reply load(String name) {
        return send("/load", HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(120), "name", name);
    }

    /** @return the kept published versions of the segment, newest first (the call must succeed) */
    public List<Long> versions(String name) {
        Reply reply = send("/versions", HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(60), "name", name);
        reply.expectStatus(200, "versions('" + name + "') on " + name());
        String listed = reply.get("versions");
        return listed == null || listed.isEmpty() ? List.of()
                : Arrays.stream(listed.split(",")).map(Long::valueOf).toList();
    }

    /** Loads one kept version (reads only): 200 with version and hashes, 404 when not kept, 503 unavailable. */
    public Reply loadVersion(String name, long version) {
        return send("/loadVersion", HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(120), "name", name,
                "version", Long.toString(version));
    }

    /** awaitReplicated with the given timeout; the call itself must succeed. */
    public boolean awaitReplicated(String name, long version, Duration timeout) {
        Reply reply = send("/await", HttpRequest.BodyPublishers.noBody(), timeout.plusSeconds(30), "name", name,
                "version", Long.toString(version), "timeoutMs", Long.toString(timeout.toMillis()));
        reply.expectStatus(200, "awaitReplicated('" + name + "', v" + version + ") on " + name());
        return Boolean.parseBoolean(reply.get("replicated"));
    }

    public Reply delete(String name) {
        return post("/delete", "name", name);
    }

    /** @return the node names in this node's current cluster view */
    public List<String> members() {
        Reply reply = send("/members", HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(10));
        reply.expectStatus(200, "members of " + name());
        String members = reply.get("members");
        return members == null || members.isEmpty() ? List.of() : Arrays.asList(members.split(","));
    }

    /** Drops every cluster message from the named members (a network split); see ChannelSplitter. */
    public void partitionFrom(String... members) {
        post("/partition", "from", String.join(",", members)).expectStatus(200, "partition of " + name());
    }

    /** Lets cluster messages from every member through again. */
    public void heal() {
        post("/heal").expectStatus(200, "heal of " + name());
    }

    /**
     * Arms, releases or only reads the node's test-only record merge hold (see RecordMergeHold).
     *
     * @return how many record merges it has held since it was armed
     */
    public int recordMergeHold(String action) {
        Reply reply = post("/recordMergeHold", "action", action);
        reply.expectStatus(200, "record merge hold (" + action + ") on " + name());
        return Integer.parseInt(reply.get("held"));
    }

    /** This node's copy of the segment's cluster record: 200 with its fields, 404 when it has none. */
    public Reply record(String name) {
        return send("/record", HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(10), "name", name);
    }

    /**
     * Starts {@link VersionedWriteLoop} on this node: it loads the segment, then writes version
     * after version of {@link Payloads#forVersion} until the process dies.
     *
     * @return the first version the loop writes
     */
    public long startWriteLoop(String name, int minSize, int maxSize) {
        Reply reply = post("/writeLoop", "name", name, "minSize", Integer.toString(minSize),
                "maxSize", Integer.toString(maxSize));
        reply.expectStatus(200, "start of the write loop of '" + name + "' on " + name());
        return Long.parseLong(reply.get("next"));
    }

    /** @return after a full GC: usedBytes, committedBytes, maxBytes, threads (see {@link HeapSample}) */
    public Reply heapAfterGc() {
        return post("/heap");
    }

    /**
     * Graceful stop: the node drains, leaves the cluster and exits; returns once the process is gone.
     *
     * @throws AssertionError when it does not exit with status 0 within the timeout
     */
    public void shutdown(Duration timeout) {
        post("/shutdown").expectStatus(200, "graceful stop of " + name());
        awaitExit(timeout, 0);
    }

    private Reply post(String path, String... params) {
        return send(path, HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(120), params);
    }

    private Reply send(String path, HttpRequest.BodyPublisher body, Duration timeout, String... params) {
        if (controlPort < 0) {
            throw new IllegalStateException(name() + " is not ready");
        }
        StringBuilder uri = new StringBuilder("http://").append(controlHost).append(':').append(controlPort).append(path);
        for (int i = 0; i < params.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(timeout)
                .POST(body)
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return Reply.parse(path + " on " + name(), response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(path + " on " + name() + " (pid " + pid() + ", alive " + isAlive()
                    + ") failed: " + e + "; log " + logFile() + ":\n" + logTail(30), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A control reply: the HTTP status and its key=value lines. */
    public record Reply(String what, int status, Map<String, String> fields) {

        static Reply parse(String what, int status, String body) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : body.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new Reply(what, status, fields);
        }

        public String get(String key) {
            return fields.get(key);
        }

        public long version() {
            return Long.parseLong(fields.get("version"));
        }

        /** @throws AssertionError saying expected vs actual status, with the node's answer */
        public Reply expectStatus(int expected, String context) {
            if (status != expected) {
                throw new AssertionError(context + ": expected status " + expected + " (" + meaning(expected)
                        + ") but was " + status + " (" + meaning(status) + "): " + fields);
            }
            return this;
        }

        static String meaning(int status) {
            return switch (status) {
                case 200 -> "ok";
                case 404 -> "empty: no such segment";
                case 409 -> "StaleWriterException";
                case 503 -> "SegmentUnavailableException";
                case 400 -> "bad input";
                default -> "other failure";
            };
        }

        @Override
        public String toString() {
            return what + " -> " + status + " (" + meaning(status) + ") " + fields;
        }
    }
}
