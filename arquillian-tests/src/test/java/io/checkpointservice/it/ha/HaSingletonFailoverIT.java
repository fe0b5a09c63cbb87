package io.checkpointservice.it.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.ha.JobObserver.JobInstance;
import io.checkpointservice.it.ha.JobObserver.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example EAR as an HA singleton deployment on a three-node WildFly cluster, with the
 * checkpoint adapter on every node: the job runs on one node, and whatever happens to that node
 * it resumes on another one from its checkpoint, never behind the last checkpoint the replication
 * barrier confirmed, and never from zero.
 *
 * <p>Nodes ha-1, ha-2, ha-3 (manual containers, standalone-ha.xml edited for JGroups TCP with
 * TCPPING on loopback; ports and checkpoint settings in pom.xml and arquillian.xml). Each has
 * checkpoint-ra.rar and checkpoint-example.ear in its deployments/ directory, so every start of a
 * node, also after a SIGKILL, deploys both. The checkpoint cluster has R = 2 and memory storage:
 * what a killed node held dies with it, so every restore after a failover comes from a replica.
 *
 * <p>A {@link JobObserver} polls every node's status URL every 100 ms from the first start to the
 * end and checks every answer (digest chain, never behind a confirmed position, never from zero,
 * one node at a time); each scenario fails on any violation it recorded, besides its own
 * assertions. The node running the job is the one whose status URL answers 200; the others
 * answer 404 (the singleton deployment is not active there).
 *
 * <p>The scenarios share the cluster (a server start costs 15 to 30 s on a busy machine), in
 * this order; (a) and (c) first start every node that is not running and wait until the cluster
 * is healthy (see {@link #awaitHealthy}):
 * <ol>
 *   <li>(a) SIGKILL of the node running the job;</li>
 *   <li>(b) cascade: SIGKILL of the node it resumed on in (a), shortly after it resumed (right
 *       after its first checkpoint of its own), with the third node the only one left (when (a)
 *       did not leave that state behind, (b) makes it itself);</li>
 *   <li>(c) graceful shutdown of the node running the job;</li>
 *   <li>(d) rolling restart: every node stopped and started in turn (the node (c) stopped first,
 *       its start being its turn), waiting after each until the job's checkpoints are confirmed on
 *       R = 2 other nodes again.</li>
 * </ol>
 * The class takes about 3 minutes (8 server starts); cleanup kills the servers by pid.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaSingletonFailoverIT {

    private static final List<Nodes> HA = List.of(Nodes.HA_1, Nodes.HA_2, Nodes.HA_3);
    private static final String RAR = "checkpoint-ra.rar";
    private static final String EAR = "checkpoint-example.ear";
    /** The adapter's own cluster (checkpoint.clusterName in pom.xml). */
    private static final String CHECKPOINT_CLUSTER = "checkpoint-ha-it";

    /** From SIGKILL or shutdown of the job's node to the job running on another one. */
    private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(90);
    /** After the nodes started: one node runs the job and its checkpoints are confirmed on R = 2 others. */
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(180);
    /** From the end of a node's start to its deployment scanner's .deployed markers. */
    private static final Duration DEPLOY_DEADLINE = Duration.ofSeconds(120);
    /** How long the job on the node it failed over to may take to write its first own checkpoint. */
    private static final Duration FIRST_OWN_CHECKPOINT_DEADLINE = Duration.ofSeconds(20);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern VIEW = Pattern.compile(
            "ISPN000094: Received new cluster view for channel (\\S+): \\[[^\\]]*\\] \\((\\d+)\\) \\[([^\\]]*)\\]");
    private static final Pattern STOPPED_AT = Pattern.compile(
            "progress job stopped at position (\\d+), checkpoint version (\\d+)");

    private static JobObserver observer;
    /** The controller of the running test, for the cleanup in {@link #stopEverything()}. */
    private static ContainerController lastController;
    private static final Map<String, Long> TIMINGS = Collections.synchronizedMap(new LinkedHashMap<>());
    private static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());
    private static int starts;
    /** What scenario (a) left behind, for the cascade of scenario (b). */
    private static Failover afterFirstKill;

    @ArquillianResource
    ContainerController controller;

    /** How a node was taken away from the cluster. */
    private enum Loss {
        SIGKILL, GRACEFUL_SHUTDOWN
    }

    /**
     * One failover as observed.
     *
     * @param from the node that ran the job
     * @param to the node that runs it now
     * @param before the last answer of {@code from} before it was taken away
     * @param confirmedBefore the highest confirmed ({@code lastAwaitedPosition}) position any node
     *     reported before {@code from} was taken away
     * @param resumed the first answer of the job on {@code to} with its state restored
     * @param millis from the SIGKILL or the shutdown request to {@code resumed}
     */
    private record Failover(Nodes from, Nodes to, Observation before, long confirmedBefore, Observation resumed,
            long millis) {
    }

    @BeforeAll
    static void startObserver() {
        observer = new JobObserver(HA);
        observer.start();
    }

    @BeforeEach
    void rememberController() {
        lastController = controller;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            // Nothing to keep (memory storage): SIGKILL by pid is the quickest certain end.
            for (Nodes node : HA) {
                try {
                    List<Long> killed = node.killServerProcesses(KILL_TIMEOUT);
                    if (!killed.isEmpty()) {
                        System.out.println("HaSingletonFailoverIT cleanup: SIGKILL " + node.qualifier() + " pids " + killed);
                    }
                } catch (RuntimeException e) {
                    problems.add(node.qualifier() + ": " + e);
                }
                if (lastController != null) {
                    markStopped(lastController, node);
                }
            }
        } finally {
            if (observer != null) {
                observer.close();
                System.out.println("HaSingletonFailoverIT observer: " + observer.summary());
                System.out.println("HaSingletonFailoverIT violations: " + observer.violations());
            }
            System.out.println("HaSingletonFailoverIT timings (ms): " + TIMINGS);
            REPORT.forEach(line -> System.out.println("HaSingletonFailoverIT: " + line));
        }
        for (Nodes node : HA) {
            if (!node.serverProcesses().isEmpty()) {
                problems.add(node.qualifier() + " still has server processes " + node.serverProcesses());
            }
        }
        if (!problems.isEmpty()) {
            fail("cleanup of ha-1..ha-3 had problems: " + problems);
        }
    }

    // -------------------------------------------------------------------------------- scenarios

    /**
     * (a) SIGKILL of the node running the job: WildFly starts the EAR on another node, whose job
     * restores the checkpoint from a replica (the killed node's memory store is gone), written by
     * the killed node, not behind the last position confirmed on R nodes before the kill.
     */
    @Test
    @Order(1)
    void sigkillOfTheJobsNodeResumesOnAnotherNodeNotBehindTheLastConfirmedCheckpoint() throws Exception {
        ensureAllRunningAndHealthy("a");
        Failover failover = takeAwayTheJobsNode(Loss.SIGKILL, "a");

        JobStatusView resumed = failover.resumed().status();
        assertNotNull(resumed.resumedFrom(), "expected the job on " + failover.to().qualifier() + " to resume from a "
                + "checkpoint after SIGKILL of " + failover.from().qualifier() + ", it started from zero: " + resumed.json()
                + logs());
        assertEquals(failover.from().qualifier(), resumed.restoredOrigin(), "expected the restored checkpoint to be "
                + "the one the killed node wrote: " + resumed.json());
        assertTrue(resumed.resumedPosition() >= failover.confirmedBefore(), "expected the job to resume at or after the "
                + "position confirmed before the kill (" + failover.confirmedBefore() + "), it resumed at "
                + resumed.resumedPosition() + ": " + resumed.json() + logs());
        assertTrue(failover.confirmedBefore() > 0, "expected a confirmed position before the kill: "
                + failover.before());
        assertNoViolations("a");
        afterFirstKill = failover;
    }

    /**
     * (b) Cascade: the node the job failed over to is killed too, shortly after the job resumed
     * there (right after its first own checkpoint, long before any barrier could confirm it with
     * only two nodes left). The third node resumes it, still not behind what was confirmed before
     * the first kill: that checkpoint survives the loss of its writer and R - 1 = 1 other node (G4).
     */
    @Test
    @Order(2)
    void cascadingSigkillOfTheNodeItResumedOnResumesOnTheThirdNode() throws Exception {
        Failover fromA = afterFirstKill;
        Failover first;
        if (fromA == null || fromA.to().serverProcesses().isEmpty() || !fromA.from().serverProcesses().isEmpty()) {
            // Scenario (a) did not leave a fresh failover behind: make one.
            REPORT.add("b: scenario (a) left no fresh failover, making one");
            ensureAllRunningAndHealthy("b");
            first = takeAwayTheJobsNode(Loss.SIGKILL, "b first kill");
        } else {
            first = fromA;
        }
        Nodes second = first.to();
        JobStatusView resumedOnSecond = first.resumed().status();
        long resumedVersion = resumedOnSecond.resumedFrom() == null ? 0 : resumedOnSecond.resumedFrom();
        // Shortly after: as soon as the second node has written a checkpoint of its own.
        Observation ownCheckpoint = observer.awaitLatest(first.resumed().sentNanos() - 1,
                o -> o.node() == second && o.running() && o.status().instance().equals(resumedOnSecond.instance())
                        && o.status().checkpointVersion() > resumedVersion,
                FIRST_OWN_CHECKPOINT_DEADLINE).orElseThrow(() -> new AssertionError("expected the job on "
                        + second.qualifier() + " to write a checkpoint of its own within " + FIRST_OWN_CHECKPOINT_DEADLINE
                        + observer.latestAnswers() + logs()));
        REPORT.add("b: killing " + second.qualifier() + " "
                + TimeUnit.NANOSECONDS.toMillis(ownCheckpoint.receivedNanos() - first.resumed().receivedNanos())
                + " ms after the job resumed there, at its own checkpoint version "
                + ownCheckpoint.status().checkpointVersion() + " (position " + ownCheckpoint.status().checkpointPosition()
                + ")");

        Failover cascade = takeAwayTheJobsNode(Loss.SIGKILL, "b");
        Nodes third = HA.stream().filter(n -> n != first.from() && n != second).findFirst().orElseThrow();
        assertEquals(third, cascade.to(), "expected the job to resume on the only node left");
        JobStatusView resumed = cascade.resumed().status();
        assertNotNull(resumed.resumedFrom(), "expected the job on " + third.qualifier() + " to resume from a checkpoint, "
                + "it started from zero: " + resumed.json() + logs());
        assertTrue(resumed.resumedPosition() >= first.confirmedBefore(), "expected the job to resume at or after the "
                + "position confirmed before the first kill (" + first.confirmedBefore() + "), it resumed at "
                + resumed.resumedPosition() + ": " + resumed.json() + logs());
        assertTrue(resumed.resumedPosition() >= cascade.confirmedBefore(), "expected the job to resume at or after the "
                + "highest confirmed position (" + cascade.confirmedBefore() + "), it resumed at "
                + resumed.resumedPosition() + ": " + resumed.json() + logs());
        assertTrue(resumed.restoredOrigin().equals(first.from().qualifier())
                || resumed.restoredOrigin().equals(second.qualifier()), "expected the restored checkpoint to come from "
                + "one of the killed nodes: " + resumed.json());
        REPORT.add("b: " + third.qualifier() + " resumed from version " + resumed.resumedFrom() + " (position "
                + resumed.resumedPosition() + ", written by " + resumed.restoredOrigin() + "); the killed "
                + second.qualifier() + " had checkpointed up to version " + cascade.before().status().checkpointVersion()
                + " (position " + cascade.before().status().checkpointPosition() + ") on its own, unconfirmed");
        assertNoViolations("b");
    }

    /**
     * (c) Graceful shutdown of the node running the job: the job stops there (writing a final
     * checkpoint), another node resumes it from that node's checkpoint, not behind the last
     * checkpoint seen before the shutdown nor the final one the stopped job logged.
     */
    @Test
    @Order(3)
    void gracefulShutdownOfTheJobsNodeResumesElsewhereWithoutLosingCheckpointedWork() throws Exception {
        ensureAllRunningAndHealthy("c");
        Failover failover = takeAwayTheJobsNode(Loss.GRACEFUL_SHUTDOWN, "c");

        assertResumedFromTheStoppedJobsLastCheckpoint(failover, "c");
        assertNoViolations("c");
    }

    /**
     * (d) Rolling restart: each node in turn is stopped gracefully (unless it is already down,
     * as the node (c) stopped: then its start is its turn) and started again, and the next one
     * only once the job's checkpoints are confirmed on R = 2 other nodes again. The job moves
     * whenever its node goes, each time resuming from that node's last checkpoint as in (c), and
     * never starts from zero or resumes behind a confirmed position (checked by the observer on
     * every answer).
     */
    @Test
    @Order(4)
    void rollingRestartOfAllNodesNeverRestartsTheJobFromZero() throws Exception {
        // A node left down by (c) is the first of the round: its stop was the shutdown of (c).
        List<Nodes> order = new ArrayList<>();
        HA.stream().filter(n -> n.serverProcesses().isEmpty()).forEach(order::add);
        HA.stream().filter(n -> !order.contains(n)).forEach(order::add);
        Set<String> runsBefore = observer.instances().stream().map(i -> i.id).collect(Collectors.toSet());
        long positionBefore = observer.instances().stream().mapToLong(i -> i.last.status().position()).max().orElse(0);
        long rollStart = System.nanoTime();
        int handovers = 0;
        for (Nodes node : order) {
            long stepStart = System.nanoTime();
            if (!node.serverProcesses().isEmpty()) {
                Observation job = observer.awaitLatest(System.nanoTime(), Observation::running, Duration.ofSeconds(10))
                        .orElseThrow(() -> new AssertionError("expected a node to run the job" + observer.latestAnswers()));
                if (job.node() == node) {
                    // The job's own node: the job must move and lose nothing, as in (c).
                    handovers++;
                    assertResumedFromTheStoppedJobsLastCheckpoint(
                            takeAwayTheJobsNode(Loss.GRACEFUL_SHUTDOWN, "d#" + handovers), "d#" + handovers);
                } else {
                    stopGracefully(node, "d");
                }
            }
            startNode(node, "d");
            awaitHealthy("d after restart of " + node.qualifier());
            TIMINGS.put("d: restart of " + node.qualifier() + " until healthy", millisSince(stepStart));
        }
        TIMINGS.put("d: rolling restart", millisSince(rollStart));

        List<JobInstance> runsDuring = observer.instances().stream().filter(i -> !runsBefore.contains(i.id))
                .collect(Collectors.toList());
        REPORT.add("d: job runs during the rolling restart: " + runsDuring);
        assertTrue(handovers > 0 && !runsDuring.isEmpty(), "expected the job to move at least once during the "
                + "rolling restart" + observer.summary());
        for (JobInstance run : runsDuring) {
            JobStatusView first = run.first.status();
            assertNotNull(first.resumedFrom(), "expected every run of the job during the rolling restart to resume "
                    + "from a checkpoint, " + run.id + " started from zero: " + first.json() + logs());
            assertTrue(first.resumedPosition() > 0, "expected a resumed position above zero: " + first.json());
        }
        Observation end = observer.awaitLatest(System.nanoTime(), Observation::running, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("expected the job to run after the rolling restart"
                        + observer.latestAnswers()));
        assertTrue(end.status().position() > positionBefore, "expected the job to have moved on from position "
                + positionBefore + ", it is at " + end.status().position());
        assertNoViolations("d");
    }

    // -------------------------------------------------------------------------------- cluster

    /**
     * After a graceful shutdown of the job's node: the job resumed from a checkpoint the stopped
     * node wrote, not behind the last checkpoint seen before the shutdown, nor behind the final
     * checkpoint the stopped job logged (its {@code @PreDestroy} writes one at its exact position).
     */
    private static void assertResumedFromTheStoppedJobsLastCheckpoint(Failover failover, String scenario)
            throws IOException {
        JobStatusView before = failover.before().status();
        JobStatusView resumed = failover.resumed().status();
        assertNotNull(resumed.resumedFrom(), "expected the job on " + failover.to().qualifier() + " to resume from a "
                + "checkpoint after the shutdown of " + failover.from().qualifier() + ": " + resumed.json() + logs());
        assertEquals(failover.from().qualifier(), resumed.restoredOrigin(), "expected the restored checkpoint to be the "
                + "one the stopped node wrote: " + resumed.json());
        long lastCheckpointSeen = Math.max(before.checkpointPosition(), failover.confirmedBefore());
        assertTrue(resumed.resumedPosition() >= lastCheckpointSeen, "expected the job to resume at or after the last "
                + "checkpoint seen before the shutdown (position " + before.checkpointPosition() + ", confirmed "
                + failover.confirmedBefore() + "), it resumed at " + resumed.resumedPosition() + ": " + resumed.json()
                + logs());
        Optional<long[]> finalCheckpoint = lastStopCheckpoint(failover.from());
        if (finalCheckpoint.isPresent()) {
            long position = finalCheckpoint.get()[0];
            long version = finalCheckpoint.get()[1];
            REPORT.add(scenario + ": the stopped job wrote its final checkpoint version " + version + " at position "
                    + position + "; " + failover.to().qualifier() + " resumed from version " + resumed.resumedFrom()
                    + " at position " + resumed.resumedPosition());
            assertTrue(resumed.resumedPosition() >= position, "expected the job to resume at or after the final "
                    + "checkpoint the stopped job wrote (version " + version + ", position " + position + "), it resumed "
                    + "from version " + resumed.resumedFrom() + " at " + resumed.resumedPosition() + ": " + resumed.json()
                    + logs());
        } else {
            REPORT.add(scenario + ": the stopped job logged no final checkpoint (its last checkpoint was at its "
                    + "position); " + failover.to().qualifier() + " resumed from version " + resumed.resumedFrom()
                    + " at position " + resumed.resumedPosition());
        }
    }

    /** Starts every node that is not running, then waits until the cluster is healthy. */
    private void ensureAllRunningAndHealthy(String scenario) throws Exception {
        long begin = System.nanoTime();
        for (Nodes node : HA) {
            if (node.serverProcesses().isEmpty()) {
                startNode(node, scenario);
            }
        }
        awaitHealthy(scenario);
        TIMINGS.put(scenario + ": cluster of 3 ready", millisSince(begin));
    }

    private void startNode(Nodes node, String scenario) throws Exception {
        markStopped(controller, node);
        clearDeploymentMarkers(node);
        long begin = System.nanoTime();
        controller.start(node.qualifier(), node.startConfig()); // not another test's override (ConsoleIT)
        long started = millisSince(begin);
        awaitDeployed(node, RAR);
        awaitDeployed(node, EAR);
        starts++;
        TIMINGS.put(scenario + ": start #" + starts + " " + node.qualifier(), started);
        REPORT.add(scenario + ": started " + node.qualifier() + " in " + started + " ms (pid "
                + node.serverProcess().pid() + ")");
    }

    /**
     * Healthy: exactly one node runs the job (the observer fails the scenario if ever two do), the
     * WildFly cluster and the checkpoint cluster each have a view of all running nodes, and the
     * job's replication barrier has confirmed a checkpoint written after this call: R = 2 nodes
     * other than the job's own hold it, so the next loss of a node cannot lose it (G4).
     */
    private void awaitHealthy(String scenario) throws Exception {
        long begin = System.nanoTime();
        long deadline = begin + HEALTHY_DEADLINE.toNanos();
        List<Nodes> running = HA.stream().filter(n -> !n.serverProcesses().isEmpty()).collect(Collectors.toList());
        Long baseVersion = null;
        Nodes baseNode = null;
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Optional<Observation> job = observer.awaitLatest(System.nanoTime(), Observation::running,
                    left.compareTo(Duration.ofSeconds(2)) < 0 ? left : Duration.ofSeconds(2));
            if (job.isPresent()) {
                JobStatusView s = job.get().status();
                if (baseNode != job.get().node()) {
                    // The version the next confirmation must be above: written after this call.
                    baseNode = job.get().node();
                    baseVersion = s.checkpointVersion();
                } else if (s.lastAwaitedVersion() > baseVersion && !s.replicationPending()
                        && allSeeViewOf(running)) {
                    TIMINGS.put(scenario + ": healthy after", millisSince(begin));
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("expected within " + HEALTHY_DEADLINE + " one node running the job with a checkpoint confirmed on "
                        + "R = 2 other nodes (written after the cluster of " + names(running) + " was up) and views of "
                        + "all of them; latest answers:" + observer.latestAnswers() + "\nviews: " + views(running)
                        + logs());
            }
        }
    }

    /**
     * @return true when every running node's checkpoint adapter logged a cluster view of exactly
     *     the running nodes, and every running node's WildFly lists exactly the running nodes as
     *     providers of the singleton deployment (the nodes it can fail over to)
     */
    private static boolean allSeeViewOf(List<Nodes> running) {
        Set<String> expected = running.stream().map(Nodes::qualifier).collect(Collectors.toCollection(TreeSet::new));
        for (Nodes node : running) {
            if (!expected.equals(checkpointView(node)) || !expected.equals(singletonProviders(node))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The providers of the EAR's singleton deployment as this node's WildFly sees them, read over
     * the management API ({@code /subsystem=singleton/singleton-policy=default/deployment=<ear>}).
     * WildFly does not log the views of its own channel, so this is how to tell that it formed
     * one cluster of all nodes. (The client comes with wildfly-arquillian-container-managed, through
     * wildfly-arquillian-common's wildfly-controller-client; it authenticates as the local user,
     * like the container itself.)
     *
     * @return the provider names, or an empty set when the node cannot say (yet)
     */
    private static Set<String> singletonProviders(Nodes node) {
        ModelNode op = new ModelNode();
        op.get("operation").set("read-attribute");
        op.get("address").add("subsystem", "singleton").add("singleton-policy", "default").add("deployment", EAR);
        op.get("name").set("providers");
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                node.managementPort())) {
            ModelNode result = client.execute(op);
            if (!"success".equals(result.get("outcome").asString()) || !result.get("result").isDefined()) {
                return Set.of();
            }
            return result.get("result").asList().stream().map(ModelNode::asString)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** @return the members of the last view of the checkpoint cluster this start of the node logged */
    private static Set<String> checkpointView(Nodes node) {
        Path log = node.serverLog();
        if (!Files.exists(log)) {
            return Set.of();
        }
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Only this start of the node: server.log is appended to across restarts.
        int boot = text.lastIndexOf("WFLYSRV0049");
        Matcher m = VIEW.matcher(boot < 0 ? text : text.substring(boot));
        Set<String> members = Set.of();
        while (m.find()) {
            if (m.group(1).equals(CHECKPOINT_CLUSTER)) {
                members = Arrays.stream(m.group(3).split(","))
                        .map(s -> s.replaceAll("\\(.*\\)", "").trim())
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }
        return members;
    }

    private static String views(List<Nodes> nodes) {
        return nodes.stream().map(n -> n.qualifier() + ": checkpoint cluster " + checkpointView(n)
                + ", singleton providers " + singletonProviders(n)).collect(Collectors.joining("; "));
    }

    /**
     * Takes the node running the job away (SIGKILL by pid, or a graceful shutdown) and waits for
     * the job to run on another node.
     */
    private Failover takeAwayTheJobsNode(Loss loss, String scenario) throws Exception {
        Observation running = observer.awaitLatest(System.nanoTime(), Observation::running, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("expected a node to run the job" + observer.latestAnswers()));
        Nodes from = running.node();
        Observation before = observer.fresh(from, Duration.ofSeconds(10));
        assertTrue(before.running(), "expected " + from.qualifier() + " still to run the job: " + before);
        long confirmedBefore = observer.maxAwaitedPosition();
        String confirmedSource = observer.maxAwaitedSource();

        long begin = System.nanoTime();
        if (loss == Loss.SIGKILL) {
            ProcessHandle process = from.serverProcess();
            assertTrue(process.destroyForcibly(), "expected SIGKILL to be sent to " + from.qualifier() + " pid "
                    + process.pid());
            process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            TIMINGS.put(scenario + ": SIGKILL " + from.qualifier() + " (pid " + process.pid() + ")", millisSince(begin));
            markStopped(controller, from);
        } else {
            stopGracefully(from, scenario);
        }

        Observation resumed = observer.awaitLatest(begin, o -> o.node() != from && o.running(), FAILOVER_DEADLINE)
                .orElseThrow(() -> new AssertionError("expected the job to run on another node within "
                        + FAILOVER_DEADLINE + " after " + loss + " of " + from.qualifier() + observer.latestAnswers()
                        + logs()));
        // The first answer of this run of the job, which may be earlier than the one that woke us.
        JobInstance run = observer.instance(resumed.status());
        Observation first = run == null ? resumed : run.first;
        long millis = TimeUnit.NANOSECONDS.toMillis(first.receivedNanos() - begin);
        Failover failover = new Failover(from, resumed.node(), before, confirmedBefore, first, millis);
        TIMINGS.put(scenario + ": " + loss + " " + from.qualifier() + " -> job running on " + resumed.node().qualifier(),
                millis);
        JobStatusView s = first.status();
        REPORT.add(scenario + ": " + loss + " of " + from.qualifier() + " at position " + before.status().position()
                + " (checkpoint v" + before.status().checkpointVersion() + " at " + before.status().checkpointPosition()
                + ", highest confirmed position " + confirmedBefore + ", " + confirmedSource + "); job running on "
                + resumed.node().qualifier() + " after " + millis + " ms, resumed from v" + s.resumedFrom() + " at "
                + s.resumedPosition() + " written by " + s.restoredOrigin() + ", load " + s.restoreMillis() + " ms in "
                + s.restoreAttempts() + " attempt(s)");
        assertNotEquals(from, resumed.node());
        assertTrue(from.serverProcesses().isEmpty(), "expected no server process of " + from.qualifier() + " left");
        return failover;
    }

    private void stopGracefully(Nodes node, String scenario) {
        long begin = System.nanoTime();
        controller.stop(node.qualifier());
        TIMINGS.put(scenario + ": graceful stop " + node.qualifier(), millisSince(begin));
        List<ProcessHandle> left = node.serverProcesses();
        if (!left.isEmpty()) {
            fail("expected " + node.qualifier() + " to have exited after a graceful stop, still running: " + left);
        }
    }

    /** Tells Arquillian that a node whose process is gone is no longer started. */
    private static void markStopped(ContainerController controller, Nodes node) {
        if (!controller.isStarted(node.qualifier())) {
            return;
        }
        if (!node.serverProcesses().isEmpty()) {
            throw new IllegalStateException(node.qualifier() + " still runs: " + node.serverProcesses());
        }
        try {
            controller.kill(node.qualifier());
        } catch (RuntimeException e) {
            System.out.println("HaSingletonFailoverIT: controller.kill(" + node.qualifier() + ") of a dead node: " + e);
        }
        if (controller.isStarted(node.qualifier())) {
            try {
                controller.stop(node.qualifier());
            } catch (RuntimeException e) {
                System.out.println("HaSingletonFailoverIT: controller.stop(" + node.qualifier() + ") of a dead node: " + e);
            }
        }
    }

    /**
     * Removes the deployment scanner's markers of an earlier run of the node (a SIGKILL leaves
     * them), so that a {@code .deployed} marker proves this start deployed the archive. The
     * archives themselves stay; the scanner deploys them again.
     */
    private static void clearDeploymentMarkers(Nodes node) throws IOException {
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(node.deploymentsDir(),
                "*.{deployed,failed,isdeploying,pending,undeployed,isundeploying,skipdeploy}")) {
            for (Path marker : markers) {
                Files.delete(marker);
            }
        }
    }

    private static void awaitDeployed(Nodes node, String archive) throws Exception {
        Path deployed = node.deploymentsDir().resolve(archive + ".deployed");
        Path failed = node.deploymentsDir().resolve(archive + ".failed");
        long deadline = System.nanoTime() + DEPLOY_DEADLINE.toNanos();
        while (!Files.exists(deployed)) {
            if (Files.exists(failed)) {
                fail(archive + " failed to deploy on " + node.qualifier() + ": " + Files.readString(failed) + logs());
            }
            if (System.nanoTime() > deadline) {
                fail("expected " + archive + " to be deployed on " + node.qualifier() + " within " + DEPLOY_DEADLINE
                        + logs());
            }
            Thread.sleep(100);
        }
    }

    /** @return position and version of the last final checkpoint the job logged on {@code node}, if any */
    private static Optional<long[]> lastStopCheckpoint(Nodes node) throws IOException {
        String text = Files.readString(node.serverLog(), StandardCharsets.UTF_8);
        Matcher m = STOPPED_AT.matcher(text.substring(Math.max(0, text.lastIndexOf("WFLYSRV0049"))));
        long[] last = null;
        while (m.find()) {
            last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        return Optional.ofNullable(last);
    }

    private static void assertNoViolations(String scenario) {
        List<String> violations = observer.violations();
        if (!violations.isEmpty()) {
            fail("scenario " + scenario + ": the status observer recorded " + violations.size() + " violation(s):\n  "
                    + String.join("\n  ", violations) + "\n" + observer.summary() + logs());
        }
    }

    private static String names(List<Nodes> nodes) {
        return nodes.stream().map(Nodes::qualifier).collect(Collectors.joining(", "));
    }

    /** @return the tails of the three server logs, for failure messages */
    private static String logs() {
        return HA.stream().map(n -> "\n--- " + n.serverLog() + " (tail) ---\n" + n.serverLogTail(60))
                .collect(Collectors.joining());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
