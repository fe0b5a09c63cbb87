package io.checkpointservice.replica.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.InvalidSegmentNameException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.cluster.RecordMergeHold;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.service.SegmentKey;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * An application node for the multi-process tests: a {@link CheckpointNode} started from the
 * same {@code -Dcheckpoint.<name>} system properties the adapter reads, with replication workers
 * on daemon threads, and a small HTTP control server on 127.0.0.1 that lets the test drive it.
 *
 * <p>Control port: {@code -Dit.controlPort} (default 0, any free port), on
 * {@code -Dit.controlAddress} (default 127.0.0.1; a node in a network namespace of its own is
 * reached on its namespace's address). Once everything runs it prints
 * {@code READY controlPort=<port> node=<name> pid=<pid>}.
 *
 * <p>Endpoints (query parameters {@code ns} (default "it") and {@code name}); every reply is
 * {@code key=value} lines:
 * <ul>
 *   <li>{@code POST /write?name=&size=&seed=} or with the bytes as body: 200 {@code version, size,
 *       sha256, crc32c}</li>
 *   <li>{@code GET /load?name=}: 200 {@code membersBefore} (the size of this node's view when the
 *       load began), {@code version, size, sha256, crc32c, originNode, writtenAt}; 404 when the
 *       segment is absent (empty)</li>
 *   <li>{@code GET /versions?name=}: 200 {@code versions} (the kept published versions, newest
 *       first, comma-separated; empty when none)</li>
 *   <li>{@code GET /loadVersion?name=&version=}: 200 {@code version, originNode, size, sha256,
 *       crc32c} of that kept version (reads only); 404 when it is not kept</li>
 *   <li>{@code POST /await?name=&version=&timeoutMs=}: 200 {@code replicated=true|false}</li>
 *   <li>{@code POST /delete?name=}: 200 {@code deleted=true|false}</li>
 *   <li>{@code GET /members}: 200 {@code members=a,b,c}, {@code count}</li>
 *   <li>{@code GET /record?name=}: this node's copy of the cluster record: 200 {@code version, epoch,
 *       writer, dataEpoch, dataWriter, checksum, deleted}; 404 when it has none</li>
 *   <li>{@code POST /partition?from=a,b}: drop every cluster message from those members (a network
 *       split, see {@link ChannelSplitter}); {@code POST /heal}: let them through again</li>
 *   <li>{@code POST /recordMergeHold?action=arm|release|status}: the test-only {@link RecordMergeHold}
 *       (needs {@code -Dcheckpoint.test.recordMergeHold=true}); 200 {@code held} (record merges
 *       held since armed)</li>
 *   <li>{@code POST /writeLoop?name=&minSize=&maxSize=}: starts a thread that writes version after
 *       version of {@link Payloads#forVersion} as fast as it can, until the process dies; see
 *       {@link VersionedWriteLoop}. 200 {@code next} (the first version it writes)</li>
 *   <li>{@code POST /heap}: runs a full GC and answers {@code usedBytes} (heap used after it),
 *       {@code committedBytes}, {@code maxBytes}, {@code threads}</li>
 *   <li>{@code POST /shutdown}: answers, then stops the node gracefully (drain, leave the cluster,
 *       close the store) and exits with status 0</li>
 * </ul>
 * Failures: 409 {@link StaleWriterException}, 503 {@link SegmentUnavailableException}, 400 bad
 * input, 500 anything else; with {@code exception} (class name) and {@code message}.
 */
public final class AppNodeMain {

    static final String READY = "READY";

    private AppNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        exitWithParent(Long.getLong("it.parentPid", -1));
        AdapterSettings settings = AdapterSettings.fromSystemProperties("memory");
        ClusterSettings clusterSettings = ClusterSettings.fromSystemProperties();
        PlainNodeThreads threads = new PlainNodeThreads(settings.nodeName());
        CheckpointNode node = CheckpointNode.start(settings, clusterSettings, threads);

        int port = Integer.getInteger("it.controlPort", 0);
        String controlAddress = System.getProperty("it.controlAddress");
        HttpServer server = HttpServer.create(new InetSocketAddress(controlAddress == null
                ? InetAddress.getLoopbackAddress() : InetAddress.getByName(controlAddress), port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        CheckpointService service = node.service();
        server.createContext("/write", exchange -> handle(exchange, q -> {
            byte[] state = q.containsKey("size")
                    ? Payloads.generate(Integer.parseInt(q.get("size")), Long.parseLong(q.getOrDefault("seed", "0")))
                    : exchange.getRequestBody().readAllBytes();
            Map<String, String> reply = new LinkedHashMap<>();
            describe(state, reply); // before the write, so the reply leaves right after it (races stay tight)
            long version = service.write(ns(q), q.get("name"), state);
            reply.put("version", Long.toString(version));
            return reply;
        }));
        server.createContext("/load", exchange -> handle(exchange, q -> {
            int membersBefore = node.cluster().members().size();
            Optional<Checkpoint> loaded = service.load(ns(q), q.get("name"));
            if (loaded.isEmpty()) {
                throw new Absent();
            }
            Checkpoint c = loaded.get();
            Map<String, String> reply = new LinkedHashMap<>();
            reply.put("membersBefore", Integer.toString(membersBefore));
            reply.put("version", Long.toString(c.version()));
            reply.put("originNode", c.originNode());
            reply.put("writtenAt", c.writtenAt().toString());
            describe(c.state(), reply);
            return reply;
        }));
        server.createContext("/versions", exchange -> handle(exchange, q -> Map.of("versions",
                service.versions(ns(q), q.get("name")).stream().map(String::valueOf)
                        .collect(Collectors.joining(",")))));
        server.createContext("/loadVersion", exchange -> handle(exchange, q -> {
            Checkpoint c = service.load(ns(q), q.get("name"), Long.parseLong(q.get("version")))
                    .orElseThrow(Absent::new);
            Map<String, String> reply = new LinkedHashMap<>();
            reply.put("version", Long.toString(c.version()));
            reply.put("originNode", c.originNode());
            describe(c.state(), reply);
            return reply;
        }));
        server.createContext("/await", exchange -> handle(exchange, q -> {
            boolean replicated = service.awaitReplicated(ns(q), q.get("name"), Long.parseLong(q.get("version")),
                    Duration.ofMillis(Long.parseLong(q.getOrDefault("timeoutMs", "30000"))));
            return Map.of("replicated", Boolean.toString(replicated));
        }));
        server.createContext("/delete", exchange -> handle(exchange, q ->
                Map.of("deleted", Boolean.toString(service.delete(ns(q), q.get("name"))))));
        server.createContext("/members", exchange -> handle(exchange, q -> {
            Map<String, String> reply = new LinkedHashMap<>();
            reply.put("members", String.join(",", node.cluster().members()));
            reply.put("count", Integer.toString(node.cluster().members().size()));
            return reply;
        }));
        ChannelSplitter splitter = new ChannelSplitter(node.cluster());
        server.createContext("/partition", exchange -> handle(exchange, q -> {
            try {
                return Map.of("ignored", String.join(",", splitter.isolateFrom(Set.of(q.get("from").split(",")))));
            } catch (Exception e) {
                throw new IllegalStateException("cannot split: " + e, e);
            }
        }));
        server.createContext("/heal", exchange -> handle(exchange, q -> {
            splitter.heal();
            return Map.of("healed", "true");
        }));
        server.createContext("/recordMergeHold", exchange -> handle(exchange, q -> {
            switch (q.getOrDefault("action", "status")) {
                case "arm" -> RecordMergeHold.arm();
                case "release" -> RecordMergeHold.release();
                case "status" -> { }
                default -> throw new IllegalArgumentException("action must be arm, release or status");
            }
            return Map.of("held", Integer.toString(RecordMergeHold.held()));
        }));
        server.createContext("/record", exchange -> handle(exchange, q -> {
            SegmentRecord record = node.cluster().directory().get(new SegmentKey(ns(q), q.get("name")).key())
                    .orElseThrow(Absent::new);
            Map<String, String> reply = new LinkedHashMap<>();
            reply.put("version", Long.toString(record.version()));
            reply.put("epoch", Long.toString(record.epoch()));
            reply.put("writer", record.writer());
            reply.put("dataEpoch", Long.toString(record.dataEpoch()));
            reply.put("dataWriter", record.dataWriter());
            reply.put("checksum", Integer.toString(record.checksum()));
            reply.put("deleted", Boolean.toString(record.deleted()));
            return reply;
        }));
        server.createContext("/writeLoop", exchange -> handle(exchange, q -> {
            long next = VersionedWriteLoop.start(service, ns(q), q.get("name"),
                    Integer.parseInt(q.get("minSize")), Integer.parseInt(q.get("maxSize")));
            return Map.of("next", Long.toString(next));
        }));
        server.createContext("/heap", exchange -> handle(exchange, q -> HeapSample.afterFullGc()));
        server.createContext("/shutdown", exchange -> handle(exchange, q -> {
            Thread stopper = new Thread(() -> {
                ClusterProcess.sleep(100); // lets the reply leave first
                node.close();
                threads.close();
                System.out.println("STOPPED gracefully");
                System.out.flush();
                System.exit(0);
            }, "graceful-stop");
            stopper.start();
            return Map.of("stopping", "true");
        }));
        server.start();
        System.out.println(READY + " controlPort=" + server.getAddress().getPort() + " node=" + settings.nodeName()
                + " pid=" + ProcessHandle.current().pid() + " members=" + node.cluster().members());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    /**
     * Halts this node when the test JVM that started it is gone, so that a test JVM killed
     * without running its shutdown hook leaves no node behind.
     */
    private static void exitWithParent(long parentPid) {
        if (parentPid < 0) {
            return;
        }
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("test JVM " + parentPid + " is gone: halting");
            Runtime.getRuntime().halt(3);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static String ns(Map<String, String> query) {
        return query.getOrDefault("ns", "it");
    }

    private static void describe(byte[] state, Map<String, String> reply) {
        reply.put("size", Integer.toString(state.length));
        reply.put("sha256", Payloads.sha256(state));
        reply.put("crc32c", Payloads.crc32c(state));
    }

    /** Thrown by a handler to answer 404: the segment is absent. */
    private static final class Absent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Absent() {
            super("absent", null, false, false);
        }
    }

    @FunctionalInterface
    private interface Handler {
        Map<String, String> handle(Map<String, String> query) throws IOException;
    }

    private static void handle(HttpExchange exchange, Handler handler) throws IOException {
        int status;
        Map<String, String> reply;
        try {
            reply = handler.handle(query(exchange));
            status = 200;
        } catch (Absent e) {
            status = 404;
            reply = Map.of("empty", "true");
        } catch (Throwable e) {
            status = statusOf(e);
            reply = new LinkedHashMap<>();
            reply.put("exception", e.getClass().getName());
            reply.put("message", String.valueOf(e.getMessage()).replace('\n', ' '));
            if (status == 500) {
                System.err.println("control request " + exchange.getRequestURI() + " failed:");
                e.printStackTrace();
            }
        }
        StringBuilder body = new StringBuilder();
        reply.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int statusOf(Throwable e) {
        if (e instanceof StaleWriterException) {
            return 409;
        }
        if (e instanceof SegmentUnavailableException) {
            return 503;
        }
        if (e instanceof InvalidSegmentNameException || e instanceof SegmentTooLargeException
                || e instanceof IllegalArgumentException || e instanceof NullPointerException) {
            return 400;
        }
        return 500;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
