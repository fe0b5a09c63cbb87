package io.checkpointservice.example;

/**
 * What the progress job reports about itself; immutable, so the status endpoint can read it
 * while the timer moves the job on (a tick may wait for the replication barrier; a status
 * request never waits for a tick).
 *
 * @param startedAt when this job instance started (epoch milliseconds): on a failover, when the
 *     HA singleton deployment started on this node
 * @param state the position and digest reached, null until the job has restored its state
 * @param restore how the job got its state at start, null until it has
 * @param checkpointVersion the newest checkpoint version this job wrote or restored, 0 if none
 * @param checkpointPosition the position that checkpoint holds
 * @param awaitedVersion the newest checkpoint version confirmed on {@code replicaCount} nodes
 *     other than this one ({@code awaitReplicated} returned true), 0 if none yet
 * @param awaitedPosition the position that confirmed checkpoint holds: after a failover the job
 *     never resumes behind it (guarantee G4)
 * @param replicationPending true when the last replication barrier timed out (fewer replica
 *     nodes up than {@code replicaCount}, or replication slower than the barrier's timeout)
 * @param problem why the job is not moving on (waiting for its checkpoint, fenced), or null
 */
public record JobStatus(long startedAt, ProgressState state, Restore restore, long checkpointVersion,
        long checkpointPosition, long awaitedVersion, long awaitedPosition, boolean replicationPending,
        String problem) {

    /**
     * How the job got its state when it started.
     *
     * @param fromVersion the checkpoint version restored, null when there was none (fresh start)
     * @param position the position restored, 0 on a fresh start
     * @param origin the node that wrote the restored checkpoint, null on a fresh start
     * @param loadMillis how long the successful {@code load} call took
     * @param attempts how many {@code load} calls it took (more than 1 when the checkpoint was
     *     unavailable for a while)
     * @param at when the state was restored (epoch milliseconds)
     */
    public record Restore(Long fromVersion, long position, String origin, double loadMillis, int attempts,
            long at) {
    }

    static JobStatus starting(long startedAt) {
        return new JobStatus(startedAt, null, null, 0, 0, 0, 0, false, "starting");
    }

    JobStatus restored(ProgressState restoredState, Restore how) {
        long version = how.fromVersion() == null ? 0 : how.fromVersion();
        return new JobStatus(startedAt, restoredState, how, version, restoredState.position(), 0, 0, false, null);
    }

    JobStatus withState(ProgressState next) {
        return new JobStatus(startedAt, next, restore, checkpointVersion, checkpointPosition, awaitedVersion,
                awaitedPosition, replicationPending, problem);
    }

    JobStatus withCheckpoint(long version, long position) {
        return new JobStatus(startedAt, state, restore, version, position, awaitedVersion, awaitedPosition,
                replicationPending, problem);
    }

    JobStatus withBarrier(boolean confirmed, long version, long position) {
        return confirmed
                ? new JobStatus(startedAt, state, restore, checkpointVersion, checkpointPosition, version, position,
                        false, problem)
                : new JobStatus(startedAt, state, restore, checkpointVersion, checkpointPosition, awaitedVersion,
                        awaitedPosition, true, problem);
    }

    JobStatus withProblem(String why) {
        return new JobStatus(startedAt, state, restore, checkpointVersion, checkpointPosition, awaitedVersion,
                awaitedPosition, replicationPending, why);
    }
}
