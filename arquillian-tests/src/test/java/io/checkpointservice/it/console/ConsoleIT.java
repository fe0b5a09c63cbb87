package io.checkpointservice.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.checkpointservice.it.Nodes;
import io.checkpointservice.it.support.ConsoleClient;
import io.checkpointservice.it.support.ConsoleClient.Health;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * checkpoint-console.war next to checkpoint-ra.rar on the three-node WildFly cluster ha-1..ha-3
 * (standalone-ha.xml with microprofile-health-smallrye added by the build, the example EAR's job
 * writing checkpoints on one node), checked as an operator and a Prometheus scraper see it:
 * the health endpoints of the management interface, the war's {@code metrics}, and its status page
 * in Debian's headless chromium (driven by Playwright, src/test/browser/status-page.mjs).
 *
 * <p>The checkpoint cluster runs with R = 1 here (the HA tests use 2), so that two nodes left after
 * a SIGKILL can hold every segment at R copies again, and with a readiness limit of 3 s for
 * segments below R. Steps: all three ready while the job's checkpoints replicate; the page shows
 * three members and the job's segment; SIGKILL of a node that does not run the job; the same page,
 * updating itself, shows two members and no segment below R, health stays UP and the metrics say
 * 2 members; SIGKILL of the other one: the job's node is alone though configured with peers, so
 * readiness is DOWN and {@code checkpoint_ready} 0. About a minute and a half (3 server starts).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    private static final List<Nodes> HA = List.of(Nodes.HA_1, Nodes.HA_2, Nodes.HA_3);
    private static final String RAR = "checkpoint-ra.rar";
    private static final String EAR = "checkpoint-example.ear";
    private static final String WAR = "checkpoint-console.war";
    private static final String JOB_STATUS = "/checkpoint-example/api/status";
    /** The example job's segment in its factory's namespace (ProgressJob.SEGMENT). */
    private static final String JOB_SEGMENT = "default/progress-job/state";
    private static final Duration DEPLOY_DEADLINE = Duration.ofSeconds(120);
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(120);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleClient console = new ConsoleClient();
    private Process browser;

    @ArquillianResource
    ContainerController controller;

    @AfterEach
    void stopEverything() throws IOException {
        if (browser != null) {
            browser.destroyForcibly();
        }
        for (Nodes node : HA) {
            node.killServerProcesses(KILL_TIMEOUT);
            if (controller.isStarted(node.qualifier())) {
                try {
                    controller.kill(node.qualifier());
                } catch (RuntimeException e) {
                    System.out.println("ConsoleIT: controller.kill(" + node.qualifier() + ") of a dead node: " + e);
                }
            }
            Files.deleteIfExists(node.deploymentsDir().resolve(WAR));
            clearDeploymentMarkers(node);
        }
    }

    @Test
    void healthMetricsAndStatusPageFollowTheClusterThroughTwoKills() throws Exception {
        for (Nodes node : HA) {
            clearDeploymentMarkers(node);
            Files.copy(Path.of(System.getProperty("checkpoint.test.console.war")), node.deploymentsDir().resolve(WAR),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        for (Nodes node : HA) {
            controller.start(node.qualifier(), node.startConfig("-Dcheckpoint.replicaCount=1",
                    "-Dcheckpoint.console.belowReplicaCountSeconds=3"));
        }
        for (Nodes node : HA) {
            awaitDeployed(node, RAR);
            awaitDeployed(node, EAR);
            awaitDeployed(node, WAR);
        }
        Nodes job = await("one node runs the example job", () -> HA.stream().filter(this::runsTheJob).findFirst());
        List<Nodes> others = HA.stream().filter(n -> n != job).toList();

        // All three ready while the job's checkpoints replicate.
        for (Nodes node : HA) {
            await(node.qualifier() + " ready with 3 members", () -> Optional.of(health(node, "ready"))
                    .filter(h -> h.code() == 200 && h.json().getString("status").equals("UP"))
                    .filter(h -> metric(node, "checkpoint_cluster_members{node=\"" + node.qualifier() + "\"}") == 3));
            JsonObject live = health(node, "live").json();
            assertEquals("UP", live.getString("status"), live.toString());
            assertTrue(live.toString().contains("checkpoint-liveness"), live.toString());
        }
        String published = "checkpoint_published_total{node=\"" + job.qualifier() + "\"}";
        double first = metric(job, published);
        await("the job's node publishes more versions", () -> Optional.of(metric(job, published)).filter(p -> p > first));
        assertEquals(1, metric(job, "checkpoint_ready"));
        assertEquals(1, metric(job, "checkpoint_replica_count{node=\"" + job.qualifier() + "\"}"));
        assertTrue(metric(job, "checkpoint_local_segments{node=\"" + job.qualifier() + "\"}") >= 1);

        // The status page on the job's node: three members, the job's segment written there.
        browser = startBrowser(job);
        BufferedReader seen = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("members 3", seen.readLine(), "the page shows three members");
        String segment = seen.readLine();
        assertTrue(segment != null && segment.startsWith("segment "), "the page describes the job's segment: " + segment);
        JsonObject described = json(segment.substring("segment ".length()));
        assertEquals("published", described.getString("state"), described.toString());
        assertEquals(job.qualifier(), described.getString("writer"), described.toString());
        assertEquals("yes", described.getString("atReplicaCount"), described.toString());
        assertTrue(described.getString("owners").contains(job.qualifier()), described.toString());

        // SIGKILL of a node without the job: two left, every segment back at R = 1 copies.
        Nodes killed = others.get(0);
        killed.killServerProcesses(KILL_TIMEOUT);
        try (Writer toBrowser = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
            toBrowser.write("killed\n");
            toBrowser.flush();
            String after = seen.readLine();
            assertEquals("members 2 below-r 0", after, "the page shows two members and the segments at R copies"
                    + (after != null && after.startsWith("failed") ? "; " + job.serverLogTail(40) : ""));
            String again = seen.readLine();
            assertTrue(again != null && again.startsWith("segment "), "the page describes the segment again: " + again);
            JsonObject afterKill = json(again.substring("segment ".length()));
            assertEquals("yes", afterKill.getString("atReplicaCount"), "back at R copies: " + afterKill);
            assertEquals(job.qualifier(), afterKill.getString("writer"), afterKill.toString());
            assertTrue(!afterKill.getString("owners").contains(killed.qualifier())
                    && afterKill.getString("owners").split(", ").length == 2, "R + 1 = 2 live owners, not "
                    + killed.qualifier() + ": " + afterKill);
        }
        assertTrue(browser.waitFor(30, TimeUnit.SECONDS) && browser.exitValue() == 0, "the browser script ends cleanly");
        Path screenshot = Path.of(System.getProperty("checkpoint.test.screenshot"));
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page: " + screenshot);
        String members = "checkpoint_cluster_members{node=\"" + job.qualifier() + "\"}";
        String belowR = "checkpoint_under_replicated_segments{node=\"" + job.qualifier() + "\"}";
        await("metrics: 2 members, no segment below R", () -> Optional.of(job)
                .filter(n -> metric(n, members) == 2 && metric(n, belowR) == 0));
        Health ready = health(job, "ready");
        assertEquals(200, ready.code(), ready.json().toString());
        assertEquals("UP", ready.json().getString("status"));

        // SIGKILL of the other one: the job's node is alone although configured with peers.
        others.get(1).killServerProcesses(KILL_TIMEOUT);
        Health alone = await("readiness DOWN on the node left alone", () -> Optional.of(health(job, "ready"))
                .filter(h -> h.code() == 503));
        assertEquals("DOWN", alone.json().getString("status"));
        assertTrue(alone.json().toString().contains(job.qualifier() + " is configured with peers but has joined none"),
                alone.json().toString());
        assertEquals(0, metric(job, "checkpoint_ready"));
        assertEquals(1, metric(job, members));
        assertEquals("UP", health(job, "live").json().getString("status"), "alone is not dead");
    }

    private Process startBrowser(Nodes node) throws IOException, InterruptedException {
        Path work = Path.of(System.getProperty("checkpoint.test.browser.work"));
        Path source = Path.of(System.getProperty("checkpoint.test.browser.dir"));
        Files.createDirectories(work);
        for (String file : List.of("package.json", "status-page.mjs")) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian's chromium is needed: apt-get install -y "
                + "chromium (.ci/run installs it)");
        if (!Files.isDirectory(work.resolve("node_modules").resolve("playwright-core"))) {
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("npm-install.log").toFile()).start();
            assertTrue(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0,
                    "npm install of playwright-core in " + work + ": " + Files.readString(work.resolve("npm-install.log")));
        }
        String page = "http://127.0.0.1:" + node.httpPort() + "/checkpoint-console/";
        return new ProcessBuilder("node", "status-page.mjs", page, JOB_SEGMENT,
                System.getProperty("checkpoint.test.screenshot")).directory(work.toFile())
                .redirectError(work.resolve("browser.log").toFile()).start();
    }

    private boolean runsTheJob(Nodes node) {
        try {
            return console.get(URI.create("http://127.0.0.1:" + node.httpPort() + JOB_STATUS)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** A health endpoint of the node's management interface: 200 when UP, 503 when DOWN. */
    private Health health(Nodes node, String which) {
        return console.health(URI.create("http://127.0.0.1:" + node.managementPort() + "/health"), which);
    }

    private double metric(Nodes node, String series) {
        return console.metric(node, series);
    }

    private static JsonObject json(String text) {
        return ConsoleClient.json(text);
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        List<String> errors = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (RuntimeException e) {
                errors.add(e.toString());
            }
            Thread.sleep(500);
        }
        return fail("expected within " + SETTLE_DEADLINE + ": " + what + "; last errors "
                + errors.subList(Math.max(0, errors.size() - 3), errors.size()));
    }

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
                fail(archive + " failed to deploy on " + node.qualifier() + ": " + Files.readString(failed)
                        + "\n" + node.serverLogTail(40));
            }
            if (System.nanoTime() > deadline) {
                fail("expected " + archive + " to be deployed on " + node.qualifier() + " within " + DEPLOY_DEADLINE
                        + "\n" + node.serverLogTail(40));
            }
            Thread.sleep(100);
        }
    }

}
