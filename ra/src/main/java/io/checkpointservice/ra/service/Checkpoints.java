package io.checkpointservice.ra.service;

import io.checkpointservice.api.Checkpoint;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Builds the {@link Checkpoint} that {@code load} returns around the stored array itself, without
 * the copy the public constructor makes for applications: the array comes from the local store
 * or was just assembled from replica chunks, and nothing ever changes it ({@code StoredSegment});
 * {@link Checkpoint#state()} copies on the way out anyway. For a 64 MiB segment that is one
 * 64 MiB copy and allocation less per load (docs/PERFORMANCE.md, P4).
 *
 * <p>{@code Checkpoint}'s no-copy constructor is private, so applications cannot use it; the
 * adapter reaches it through a private lookup, which the class path (and WildFly's module class
 * loaders) allow. Where a module system refuses it, loads fall back to the public, copying
 * constructor: correct, one copy slower.
 */
final class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());
    private static final MethodHandle OWNING_CONSTRUCTOR = owningConstructor();

    private Checkpoints() {
    }

    /** @return a Checkpoint holding {@code state} itself; the caller must never change the array */
    static Checkpoint around(String name, long version, Instant writtenAt, String originNode, byte[] state) {
        if (OWNING_CONSTRUCTOR == null) {
            return new Checkpoint(name, version, writtenAt, originNode, state);
        }
        try {
            return (Checkpoint) OWNING_CONSTRUCTOR.invokeExact(name, version, writtenAt, originNode, state, true);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Checkpoint constructor failed", e);
        }
    }

    /** @return true when loads hand out their arrays without a copy; for tests */
    static boolean withoutCopy() {
        return OWNING_CONSTRUCTOR != null;
    }

    private static MethodHandle owningConstructor() {
        try {
            return MethodHandles.privateLookupIn(Checkpoint.class, MethodHandles.lookup())
                    .findConstructor(Checkpoint.class, MethodType.methodType(void.class, String.class, long.class,
                            Instant.class, String.class, byte[].class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine(() -> "Checkpoint's no-copy constructor is not reachable (" + e + "); loads copy their state once more");
            return null;
        }
    }
}
