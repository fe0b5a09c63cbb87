package io.checkpointservice.payara;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.PostgresServer;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failover of the example job on Payara, which has no HA singleton deployment: a deployment group
 * of two instances (pj-1, pj-2) of domain pt-5, the example's Payara war deployed to the group,
 * the job driven by the group's one persistent automatic timer in Payara's data grid
 * ({@code payara.DeploymentGroupTicker}). Asserts that the job runs on exactly one instance at a
 * time, and that after a SIGKILL of that instance Payara moves the timer to the survivor, whose
 * first tick restores the job from the checkpoint the killed instance wrote and replicated (not
 * behind the last position the replication barrier confirmed, G4), and goes on from there.
 *
 * <p>After the start, {@code asadmin list-timers} finds one timer in the whole group.
 *
 * <p>The group's global store is a PostgreSQL database (a real server this test starts on
 * 127.0.0.1) reached through a JDBC resource Payara manages ({@code jdbc/CheckpointDS}, the
 * driver added with {@code asadmin add-library}). After the failover the survivor is killed too,
 * so no instance and no replica is left, and the group is started again: the job resumes from
 * the version the store holds, with the bytes and writer it had there.
 *
 * <p>The set-up is the README's "Deploying to Payara" for a deployment group: everything is
 * deployed while the group is stopped, so that the DAS creates the one timer in the data grid
 * (see domain-loopback.xsl), then the group starts.
 */
class DeploymentGroupFailoverIT {

    private static final Domains DAS = Domains.PT_5;
    private static final String GROUP = "dg";
    private static final String APP = "checkpoint-example";
    /** The job's segment ({@code ProgressJob.SEGMENT}). */
    private static final String SEGMENT = "progress-job/state";
    private static final String POSTGRESQL_DRIVER_PROPERTY = "checkpoint.test.postgresql.jar";
    private static final GroupInstance PJ_1 = new GroupInstance(DAS, "pj-1", 30500, 24610);
    private static final GroupInstance PJ_2 = new GroupInstance(DAS, "pj-2", 30600, 24620);
    private static final List<GroupInstance> INSTANCES = List.of(PJ_1, PJ_2);
    /** The JDBC resource of the global store; the pool behind it is {@value #POOL}. */
    private static final String DATASOURCE = "jdbc/CheckpointDS";
    private static final String POOL = "CheckpointPool";
    private static final String CLUSTER = "checkpoint.clusterName=checkpoint-group-it:checkpoint.bindAddress=127.0.0.1"
            + ":checkpoint.initialHosts=127.0.0.1[24610],127.0.0.1[24620]:checkpoint.replicaCount=1"
            + ":checkpoint.storageMode=memory:checkpoint.globalStore=datasource\\:" + DATASOURCE;

    /** The group's instances start the adapter and the war on a loaded 2-core machine. */
    private static final Duration JOB_STARTS_DEADLINE = Duration.ofMinutes(5);
    /** How long the test watches the running job for a second instance running it. */
    private static final Duration ONE_AT_A_TIME_WINDOW = Duration.ofSeconds(8);
    private static final Duration RESUME_DEADLINE = Duration.ofSeconds(90);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    /** How long the store may take to hold the checkpoint the barrier confirmed: the archiver works in the background. */
    private static final Duration STORED_DEADLINE = Duration.ofSeconds(60);
    /** A group start: both instances boot, deploy the adapter and the war, and the timer fires. */
    private static final Duration RESTART_DEADLINE = Duration.ofMinutes(5);

    private static PostgresServer postgres;
    private static String database;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startGroup() {
        postgres = PostgresServer.start();
        database = postgres.createDatabase("checkpoint_payara_group");
        Asadmin.local(DAS, "start-domain", DAS.qualifier());
        // The README's global store steps: the driver in the domain's lib (the instances get it
        // when they synchronize at their first start), a pool whose connections no JTA
        // transaction enlists, and the resource on the group.
        Asadmin.run(DAS, "add-library", AdminStep.file(POSTGRESQL_DRIVER_PROPERTY).toString());
        Asadmin.run(DAS, "create-jdbc-connection-pool", "--datasourceclassname", "org.postgresql.ds.PGSimpleDataSource",
                "--restype", "javax.sql.DataSource", "--nontransactionalconnections=true", "--property",
                "serverName=127.0.0.1:portNumber=" + postgres.port() + ":databaseName=" + database + ":user="
                        + PostgresServer.USER + ":password=" + postgres.password(), POOL);
        Asadmin.run(DAS, "create-deployment-group", GROUP);
        Asadmin.run(DAS, "create-jdbc-resource", "--target", GROUP, "--connectionpoolid", POOL, DATASOURCE);
        for (GroupInstance instance : INSTANCES) {
            Asadmin.run(DAS, "create-instance", "--node", "localhost-" + DAS.qualifier(), "--portbase",
                    Integer.toString(instance.portBase()), instance.qualifier());
            // Instances' data-grid port: the members domain-loopback.xsl lists for pt-5.
            Asadmin.run(DAS, "create-system-properties", "--target", instance.qualifier(),
                    "HZ_LISTENER_PORT=" + instance.dataGridPort() + ":checkpoint.bindPort=" + instance.bindPort()
                            + ":" + CLUSTER);
            Asadmin.run(DAS, "add-instance-to-deployment-group", "--instance", instance.qualifier(),
                    "--deploymentgroup", GROUP);
        }
        // The README's steps for a deployment group, all while it is stopped.
        Asadmin.run(DAS, "deploy", "--target", GROUP, "--property", "implicitCdiEnabled=false",
                AdminStep.file(AdminStep.RAR_PROPERTY).toString());
        Asadmin.run(DAS, "create-connector-connection-pool", "--raname", AdminStep.APPLICATION,
                "--connectiondefinition", "io.checkpointservice.api.CheckpointConnectionFactory",
                "--steadypoolsize", "0", "--maxpoolsize", "200", "checkpoint");
        Asadmin.run(DAS, "create-connector-resource", "--target", GROUP, "--poolname", "checkpoint",
                AdminStep.RESOURCE);
        Asadmin.run(DAS, "deploy", "--target", GROUP, "--name", APP,
                AdminStep.file("checkpoint.test.example.war").toString());
        Asadmin.run(DAS, "start-deployment-group", GROUP);
    }

    @AfterAll
    static void stopGroup() {
        for (GroupInstance instance : INSTANCES) {
            instance.kill(KILL_TIMEOUT);
        }
        if (DAS.isRunning()) {
            Asadmin.local(DAS, "stop-domain", DAS.qualifier());
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void jobRunsOnOneInstanceAndResumesOnTheSurvivorAfterSigkill() {
        GroupInstance active = await("both instances answer, the job runs on one and a checkpoint is confirmed replicated")
                .atMost(JOB_STARTS_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(DeploymentGroupFailoverIT::activeInstanceWithConfirmedCheckpoint, Optional::isPresent)
                .orElseThrow();
        GroupInstance survivor = active == PJ_1 ? PJ_2 : PJ_1;
        assertEquals(1, timersInGroup(), "persistent timers in deployment group " + GROUP);

        // One instance at a time: while the job moves on, the other instance never has it.
        long until = System.nanoTime() + ONE_AT_A_TIME_WINDOW.toNanos();
        JsonObject last = status(active).orElseThrow();
        while (System.nanoTime() < until) {
            Optional<JsonObject> other = status(survivor);
            assertTrue(other.isPresent(), survivor.qualifier() + " does not answer its status");
            assertTrue(other.get().isNull("position"), "the job runs on " + active.qualifier() + " and on "
                    + survivor.qualifier() + " at once: " + other.get());
            JsonObject now = status(active).orElseThrow();
            assertTrue(number(now, "position") >= number(last, "position"), "position went back: " + now);
            last = now;
            pause(Duration.ofMillis(500));
        }
        assertTrue(number(last, "position") > 0, "the job does not move on " + active.qualifier() + ": " + last);

        JsonObject beforeKill = status(active).orElseThrow();
        long confirmedBeforeKill = number(beforeKill, "lastAwaitedPosition");
        long confirmedVersion = number(beforeKill, "lastAwaitedVersion");
        // The survivor archives the writer's versions while it is a replica; once it takes the
        // job over it is the writer, and a lone writer's versions have no replica to archive them.
        await("the global store holds version " + confirmedVersion + " or newer").atMost(STORED_DEADLINE)
                .pollInterval(Duration.ofMillis(250))
                .until(DeploymentGroupFailoverIT::stored, s -> s.isPresent() && s.get().version() >= confirmedVersion);
        long killedAt = System.currentTimeMillis();
        active.kill(KILL_TIMEOUT);

        JsonObject resumed = await("the job resumes on " + survivor.qualifier() + " after the SIGKILL of "
                + active.qualifier()).atMost(RESUME_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> status(survivor), s -> s.isPresent() && !s.get().isNull("position")
                        && s.get().getString("restoredOrigin", "").equals(active.qualifier()))
                .orElseThrow();
        long resumeMillis = number(resumed, "restoredAt") - killedAt;
        System.out.printf("DeploymentGroupFailoverIT: %s killed, the job resumed on %s after %d ms at position %d"
                + " (confirmed before the kill: %d); load took %s ms%n", active.qualifier(), survivor.qualifier(),
                resumeMillis, number(resumed, "resumedPosition"), confirmedBeforeKill, resumed.get("restoreMillis"));
        assertTrue(number(resumed, "resumedPosition") >= confirmedBeforeKill, "resumed behind the position the"
                + " barrier confirmed before the kill (" + confirmedBeforeKill + "): " + resumed);
        assertEquals(survivor.qualifier(), resumed.getString("node"));
        assertNull(resumed.get("problem") == JsonValue.NULL ? null : resumed.getString("problem"),
                "the job on the survivor reports a problem: " + resumed);

        long resumedPosition = number(resumed, "resumedPosition");
        await("the job moves on past its restored position on " + survivor.qualifier())
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(survivor).map(s -> !s.isNull("position") && number(s, "position") > resumedPosition)
                        .orElse(false));

        // The survivor killed too: no instance, no replica; only PostgreSQL holds the job's checkpoint.
        survivor.kill(KILL_TIMEOUT);
        Stored inStore = stored().orElseThrow(() -> new AssertionError("the global store holds no checkpoint of "
                + "the job"));
        Asadmin.run(DAS, "start-deployment-group", GROUP);
        JsonObject restarted = await("the job resumes on the restarted group from the global store")
                .atMost(RESTART_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(DeploymentGroupFailoverIT::resumedInstance, Optional::isPresent).orElseThrow();
        assertFalse(restarted.isNull("resumedFrom"), "the job started from defaults after the restart, although the"
                + " global store holds version " + inStore.version() + ": " + restarted);
        System.out.printf("DeploymentGroupFailoverIT: the group restarted with no replica left; the job resumed on %s"
                + " from version %d of %s (the global store's), load took %s ms%n", restarted.getString("node"),
                number(restarted, "resumedFrom"), restarted.getString("restoredOrigin"), restarted.get("restoreMillis"));
        assertEquals(inStore.version(), number(restarted, "resumedFrom"),
                "the version the job resumed from after the restart, the only copy left being the store's: " + restarted);
        assertEquals(inStore.writer(), restarted.getString("restoredOrigin"), "the writer of the restored version");
        assertNull(restarted.get("problem") == JsonValue.NULL ? null : restarted.getString("problem"),
                "the restarted job reports a problem: " + restarted);
    }

    /**
     * @return the group's persistent timers, the sum of what {@code asadmin list-timers <group>}
     *     counts per instance ({@code pj-1: 0}, {@code pj-2: 1}); the instance it names need not be
     *     the one whose timer service fires the timer
     */
    private static int timersInGroup() {
        String output = Asadmin.run(DAS, "list-timers", GROUP);
        int sum = 0;
        for (GroupInstance instance : INSTANCES) {
            Matcher count = Pattern.compile("(?m)^\\s*" + Pattern.quote(instance.qualifier()) + ":\\s*(\\d+)\\s*$")
                    .matcher(output);
            assertTrue(count.find(), "asadmin list-timers " + GROUP + " lists no count for " + instance.qualifier()
                    + ":\n" + output);
            sum += Integer.parseInt(count.group(1));
        }
        return sum;
    }

    /** @return the status of the instance that runs the job and has restored it, once one has */
    private static Optional<JsonObject> resumedInstance() {
        for (GroupInstance instance : INSTANCES) {
            Optional<JsonObject> s = status(instance);
            if (s.isPresent() && !s.get().isNull("position") && !s.get().isNull("restoredAt")) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** A version of the job's segment in the global store's table. */
    private record Stored(long version, String writer) {
    }

    /** @return what the global store's table holds of the job's segment (its key ends with the segment's name) */
    private static Optional<Stored> stored() {
        try (Connection connection = postgres.connect(database);
             PreparedStatement query = connection.prepareStatement("SELECT version, data_writer FROM "
                     + "checkpoint_global_store WHERE right(segment_key, length(?)) = ?")) {
            query.setString(1, SEGMENT);
            query.setString(2, SEGMENT);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.of(new Stored(result.getLong(1), result.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // no table yet
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read the global store's table: " + e.getMessage(), e);
        }
    }

    /**
     * @return the instance that runs the job, once both instances answer (the war is up on both)
     *     and the job has a checkpoint the barrier confirmed
     */
    private static Optional<GroupInstance> activeInstanceWithConfirmedCheckpoint() {
        Optional<GroupInstance> active = Optional.empty();
        for (GroupInstance instance : INSTANCES) {
            Optional<JsonObject> s = status(instance);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            if (!s.get().isNull("position") && number(s.get(), "lastAwaitedVersion") > 0) {
                active = Optional.of(instance);
            }
        }
        return active;
    }

    /** @return the job's status on that instance, empty while the war is not there (404) or the instance is down */
    private static Optional<JsonObject> status(GroupInstance instance) {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + instance.httpPort() + "/" + APP + "/api/status"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return Optional.of(reader.readObject());
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long number(JsonObject status, String key) {
        return ((JsonNumber) status.get(key)).longValue();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
