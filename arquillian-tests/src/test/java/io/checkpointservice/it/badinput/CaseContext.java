package io.checkpointservice.it.badinput;

import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a row works with: the two connection factories of the test adapter (namespace
 * {@code default} at {@code java:/eis/checkpoint}, namespace {@code other} at
 * {@code java:/eis/checkpoint-other}), the victims stored before the row, and fresh names. Every
 * connection a row opens through it is closed after the row, and every scratch segment it names
 * is deleted, so that the runner can demand an unchanged storage directory.
 */
public final class CaseContext {

    private final CheckpointConnectionFactory defaultFactory;
    private final CheckpointConnectionFactory otherFactory;
    private final Victims victims;
    private final List<CheckpointConnection> opened = new ArrayList<>();
    private final List<Scratch> scratch = new ArrayList<>();

    CaseContext(CheckpointConnectionFactory defaultFactory, CheckpointConnectionFactory otherFactory, Victims victims) {
        this.defaultFactory = defaultFactory;
        this.otherFactory = otherFactory;
        this.victims = victims;
    }

    /** @return a new connection of namespace {@code default}, closed after the row */
    public CheckpointConnection connection() {
        return track(defaultFactory.getConnection());
    }

    /** @return a new connection of namespace {@code other}, closed after the row */
    public CheckpointConnection otherConnection() {
        return track(otherFactory.getConnection());
    }

    /** @return a connection of namespace {@code default} that is already closed */
    public CheckpointConnection closedConnection() {
        CheckpointConnection connection = defaultFactory.getConnection();
        connection.close();
        return connection;
    }

    /**
     * @return the connection {@link HeldConnectionServlet} opened in an earlier request, whose
     *     physical connection the client had WildFly destroy since; closed after the row
     */
    public CheckpointConnection heldConnection() {
        return track(HeldConnectionServlet.take());
    }

    /** @return the segments stored before the row */
    public Victims victims() {
        return victims;
    }

    /** @return a valid name of namespace {@code default} no one uses, deleted after the row */
    public String scratchName(String label) {
        String name = "bad-input/scratch/" + label + "/" + UUID.randomUUID();
        scratch.add(new Scratch(false, name));
        return name;
    }

    /** @return a valid name of namespace {@code other} no one uses, deleted after the row */
    public String otherScratchName(String label) {
        String name = "bad-input/scratch/" + label + "/" + UUID.randomUUID();
        scratch.add(new Scratch(true, name));
        return name;
    }

    /** Registers a name of namespace {@code default} that a row wrote on purpose, for deletion. */
    public void deleteAfterwards(String name) {
        scratch.add(new Scratch(false, name));
    }

    private CheckpointConnection track(CheckpointConnection connection) {
        opened.add(connection);
        return connection;
    }

    /** Closes what the row opened and deletes what it wrote; returns what went wrong. */
    List<String> cleanUp() {
        List<String> problems = new ArrayList<>();
        for (CheckpointConnection connection : opened) {
            connection.close();
        }
        for (Scratch s : scratch) {
            try (CheckpointConnection connection = (s.other ? otherFactory : defaultFactory).getConnection()) {
                connection.delete(s.name);
            } catch (RuntimeException e) {
                problems.add("cannot delete scratch segment '" + s.name + "': " + e);
            }
        }
        return problems;
    }

    private record Scratch(boolean other, String name) {
    }
}
