package io.checkpointservice.it.badinput;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointConnection;
import io.checkpointservice.api.CheckpointConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Segments stored once before the rows run, in both namespaces, some with the same simple name:
 * every row must leave each of them with the same version and the same bytes (G9: nothing
 * already stored is harmed).
 */
public final class Victims {

    /** A simple name stored in both namespaces, with different bytes. */
    public static final String SHARED_NAME = "victim";
    public static final String SMALL = "bad-input/victim/small";
    public static final String EMPTY = "bad-input/victim/empty";
    public static final String LARGE = "bad-input/victim/large";

    private final CheckpointConnectionFactory defaultFactory;
    private final CheckpointConnectionFactory otherFactory;
    private final List<Victim> all = new ArrayList<>();

    private Victims(CheckpointConnectionFactory defaultFactory, CheckpointConnectionFactory otherFactory) {
        this.defaultFactory = defaultFactory;
        this.otherFactory = otherFactory;
    }

    /** Writes the victims (a new version each time this is called) and remembers them. */
    static Victims store(CheckpointConnectionFactory defaultFactory, CheckpointConnectionFactory otherFactory) {
        Victims victims = new Victims(defaultFactory, otherFactory);
        byte[] large = new byte[1024 * 1024];
        new Random(1L).nextBytes(large);
        victims.write(false, SHARED_NAME, "victim of namespace default".getBytes(StandardCharsets.UTF_8));
        victims.write(false, SMALL, new byte[] {1, 2, 3});
        victims.write(false, EMPTY, new byte[0]);
        victims.write(false, LARGE, large);
        victims.write(true, SHARED_NAME, "victim of namespace other".getBytes(StandardCharsets.UTF_8));
        victims.write(true, SMALL, new byte[] {9, 8, 7, 6});
        return victims;
    }

    /** @return the victim of {@code name} in namespace {@code default} or {@code other} */
    public Victim get(boolean other, String name) {
        return all.stream().filter(v -> v.other() == other && v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no victim " + name));
    }

    /** @return one line per victim whose version or bytes changed, or that is gone */
    List<String> changes() {
        List<String> changes = new ArrayList<>();
        for (Victim victim : all) {
            try (CheckpointConnection connection = (victim.other() ? otherFactory : defaultFactory).getConnection()) {
                Optional<Checkpoint> now = connection.load(victim.name());
                if (now.isEmpty()) {
                    changes.add(victim + " is gone");
                } else if (now.get().version() != victim.version()) {
                    changes.add(victim + " has version " + now.get().version());
                } else if (!Arrays.equals(now.get().state(), victim.state())) {
                    changes.add(victim + " has other bytes: " + now.get().state().length + " bytes, first difference at "
                            + Arrays.mismatch(now.get().state(), victim.state()));
                }
            } catch (RuntimeException e) {
                changes.add(victim + " cannot be loaded: " + e);
            }
        }
        return changes;
    }

    /** Deletes every victim; the test leaves nothing behind on node-1. */
    void deleteAll() {
        for (Victim victim : all) {
            try (CheckpointConnection connection = (victim.other() ? otherFactory : defaultFactory).getConnection()) {
                connection.delete(victim.name());
            }
        }
    }

    private void write(boolean other, String name, byte[] state) {
        try (CheckpointConnection connection = (other ? otherFactory : defaultFactory).getConnection()) {
            all.add(new Victim(other, name, connection.write(name, state), state));
        }
    }

    /** A stored segment and what it must stay. */
    public record Victim(boolean other, String name, long version, byte[] state) {

        @Override
        public String toString() {
            return "victim " + (other ? "other" : "default") + "/" + name + " v" + version + " (" + state.length + " bytes)";
        }
    }
}
