package io.checkpointservice.it.ha;

import io.checkpointservice.it.Nodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Polls the example job's status URL on every node of the cluster, all the time (every
 * {@value #POLL_INTERVAL_MILLIS} ms, the nodes in parallel), from before the first node starts until
 * the last one is gone, and checks every answer against what the job and the checkpoint service
 * promise, whatever the test is doing at that moment:
 * <ul>
 *   <li>the digest is the one {@link ExpectedDigests} computes for the position: no item was
 *       skipped, repeated or reordered across restores;</li>
 *   <li>the position is never behind the highest {@code lastAwaitedPosition} any node reported
 *       before (guarantee G4: a checkpoint {@code awaitReplicated} confirmed survives the loss of
 *       its writer and R - 1 other nodes; no scenario loses more);</li>
 *   <li>every start of the job after the first resumed from a checkpoint ({@code resumedFrom}
 *       set): the job never starts again from zero;</li>
 *   <li>within one start of the job, position and confirmed position never go back;</li>
 *   <li>at most one node runs the job at any time (an HA singleton deployment), and a node
 *       answers for itself.</li>
 * </ul>
 * A broken rule is recorded as a violation (with the answer that broke it); the test fails on
 * them. Node that are down or do not run the job answer nothing or 404; both are fine.
 */
final class JobObserver implements AutoCloseable {

    static final String STATUS_PATH = "/checkpoint-example/api/status";
    static final long POLL_INTERVAL_MILLIS = 100;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** One answer (or none) of one node's status URL. */
    record Observation(Nodes node, long sentNanos, long receivedNanos, Instant receivedAt, int code,
            JobStatusView status, String body) {

        /** @return true when the node runs the job and it has its state */
        boolean running() {
            return code == 200 && status != null && status.running();
        }

        @Override
        public String toString() {
            return node.qualifier() + " at " + receivedAt + ": " + (code < 0 ? "no answer (" + body + ")"
                    : code == 200 ? body : "HTTP " + code);
        }
    }

    /** One start of the job on one node, as observed: its first and its latest running answer. */
    static final class JobInstance {
        final String id;
        final Nodes node;
        final Observation first;
        volatile Observation last;

        JobInstance(String id, Nodes node, Observation first) {
            this.id = id;
            this.node = node;
            this.first = first;
            this.last = first;
        }

        @Override
        public String toString() {
            JobStatusView s = first.status();
            return id + " resumedFrom=" + s.resumedFrom() + " resumedPosition=" + s.resumedPosition() + " restoredOrigin="
                    + s.restoredOrigin() + " restoreMillis=" + s.restoreMillis() + " restoreAttempts=" + s.restoreAttempts()
                    + " firstSeenPosition=" + s.position() + " lastSeenPosition=" + last.status().position()
                    + " lastSeenAwaited=" + last.status().lastAwaitedPosition();
        }
    }

    private final List<Nodes> nodes;
    private final ExpectedDigests digests = new ExpectedDigests();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread poller;
    private volatile boolean closed;

    // Guarded by this.
    private final Map<Nodes, Observation> latest = new LinkedHashMap<>();
    private final Map<String, JobInstance> instances = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long maxAwaitedPosition;
    private String maxAwaitedSource = "none yet";
    private long rounds;
    private long answers;

    JobObserver(List<Nodes> nodes) {
        this.nodes = List.copyOf(nodes);
        this.poller = new Thread(this::run, "job-status-poller");
        this.poller.setDaemon(true);
    }

    void start() {
        poller.start();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.interrupt();
        poller.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void run() {
        while (!closed) {
            try {
                pollRound();
                Thread.sleep(POLL_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                synchronized (this) {
                    violations.add("the status poller failed: " + e);
                }
            }
        }
    }

    private void pollRound() throws InterruptedException {
        long sent = System.nanoTime();
        List<CompletableFuture<Observation>> answersOfRound = new ArrayList<>();
        for (Nodes node : nodes) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + STATUS_PATH))
                    .timeout(REQUEST_TIMEOUT).GET().build();
            answersOfRound.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> response != null
                            ? observation(node, sent, response.statusCode(), response.body())
                            : observation(node, sent, -1, String.valueOf(failure))));
        }
        List<Observation> round = new ArrayList<>();
        for (CompletableFuture<Observation> answer : answersOfRound) {
            try {
                round.add(answer.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        record(round);
    }

    private static Observation observation(Nodes node, long sent, int code, String body) {
        JobStatusView status = null;
        String text = body;
        if (code == 200) {
            try {
                status = JobStatusView.parse(body);
            } catch (IllegalArgumentException e) {
                text = body + " (unreadable: " + e.getMessage() + ")";
            }
        }
        return new Observation(node, sent, System.nanoTime(), Instant.now(), code, status, text);
    }

    private synchronized void record(List<Observation> round) {
        rounds++;
        List<Observation> runningNow = new ArrayList<>();
        for (Observation o : round) {
            latest.put(o.node(), o);
            if (o.code() != 200) {
                continue;
            }
            answers++;
            if (o.status() == null) {
                violations.add("unreadable status from " + o);
                continue;
            }
            JobStatusView s = o.status();
            if (!s.node().equals(o.node().qualifier())) {
                violations.add("the status URL of " + o.node().qualifier() + " answered for node '" + s.node() + "': " + o);
            }
            if (!s.running()) {
                continue;
            }
            runningNow.add(o);
            check(o);
        }
        if (runningNow.size() > 1) {
            violations.add("more than one node runs the job at once (HA singleton): " + runningNow);
        }
        notifyAll();
    }

    /** The rules of the class comment, for one answer of a running job. */
    private void check(Observation o) {
        JobStatusView s = o.status();
        long position = s.position();
        String expected = digests.at(position);
        if (!expected.equals(s.digest())) {
            violations.add("digest at position " + position + " is " + s.digest() + ", the chain gives " + expected
                    + ": " + o);
        }
        if (position < maxAwaitedPosition) {
            violations.add("position " + position + " is behind the last confirmed (awaited) position "
                    + maxAwaitedPosition + " (" + maxAwaitedSource + "): " + o);
        }
        if (s.lastAwaitedPosition() > position || s.checkpointPosition() > position) {
            violations.add("checkpointed or confirmed position ahead of the job's position: " + o);
        }
        JobInstance instance = instances.get(s.instance());
        if (instance == null) {
            if (!instances.isEmpty() && s.resumedFrom() == null) {
                violations.add("the job started again from zero (no resumedFrom) on " + s.node() + " after earlier runs "
                        + instances.keySet() + ": " + o);
            }
            if (s.resumedFrom() != null && s.resumedPosition() < maxAwaitedPosition) {
                violations.add("the job resumed at position " + s.resumedPosition() + ", behind the last confirmed "
                        + "(awaited) position " + maxAwaitedPosition + " (" + maxAwaitedSource + "): " + o);
            }
            instances.put(s.instance(), new JobInstance(s.instance(), o.node(), o));
        } else {
            JobStatusView before = instance.last.status();
            if (position < before.position() || s.lastAwaitedPosition() < before.lastAwaitedPosition()
                    || s.checkpointVersion() < before.checkpointVersion()) {
                violations.add("the job went back within one run: before " + instance.last + ", then " + o);
            }
            instance.last = o;
        }
        if (s.lastAwaitedPosition() > maxAwaitedPosition) {
            maxAwaitedPosition = s.lastAwaitedPosition();
            maxAwaitedSource = "confirmed on " + s.node() + " as version " + s.lastAwaitedVersion() + ", reported at "
                    + o.receivedAt();
        }
    }

    /** @return the highest {@code lastAwaitedPosition} any node has reported so far */
    synchronized long maxAwaitedPosition() {
        return maxAwaitedPosition;
    }

    synchronized String maxAwaitedSource() {
        return maxAwaitedSource;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized List<JobInstance> instances() {
        return List.copyOf(instances.values());
    }

    synchronized JobInstance instance(JobStatusView status) {
        return instances.get(status.instance());
    }

    /**
     * @return the first answer of {@code node} to a request sent after this call
     * @throws IllegalStateException when there is none within {@code timeout}
     */
    synchronized Observation fresh(Nodes node, Duration timeout) throws InterruptedException {
        long since = System.nanoTime();
        return await(o -> o.node() == node && o.sentNanos() > since, timeout)
                .orElseThrow(() -> new IllegalStateException("no status poll of " + node.qualifier() + " within " + timeout));
    }

    /**
     * @param since only answers to requests sent after this {@link System#nanoTime()}
     * @param condition what the answer must satisfy
     * @param timeout how long to wait
     * @return the latest answer of some node that satisfies the condition, or empty on timeout
     */
    synchronized Optional<Observation> awaitLatest(long since, Predicate<Observation> condition, Duration timeout)
            throws InterruptedException {
        return await(o -> o.sentNanos() > since && condition.test(o), timeout);
    }

    private Optional<Observation> await(Predicate<Observation> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Observation o : latest.values()) {
                if (condition.test(o)) {
                    return Optional.of(o);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** @return what every node answered last, for failure messages */
    synchronized String latestAnswers() {
        return latest.values().stream().map(Observation::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    synchronized String summary() {
        return rounds + " poll rounds, " + answers + " status answers, " + instances.size() + " job runs observed:"
                + instances.values().stream().map(JobInstance::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
