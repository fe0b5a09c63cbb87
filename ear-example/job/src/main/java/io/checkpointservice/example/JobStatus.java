package io.checkpointservice.example;

/**
 * What the progress job reports about itself; immutable, so the status endpoint can read it
 * while the timer moves the job on.
 *
 * @param state the position and digest reached, null until the job has restored its state
 * @param lastWrittenVersion the checkpoint version this job last wrote, 0 before its first write
 * @param resumedFrom the checkpoint version the job restored at start, null when it started fresh
 * @param resumedPosition the position it restored at start, 0 when it started fresh
 * @param problem why the job is not moving on (waiting for its checkpoint, fenced), or null
 */
public record JobStatus(ProgressState state, long lastWrittenVersion, Long resumedFrom,
        long resumedPosition, String problem) {

    static JobStatus waiting(String problem) {
        return new JobStatus(null, 0, null, 0, problem);
    }

    JobStatus withState(ProgressState next) {
        return new JobStatus(next, lastWrittenVersion, resumedFrom, resumedPosition, problem);
    }

    JobStatus withWritten(long version) {
        return new JobStatus(state, version, resumedFrom, resumedPosition, problem);
    }

    JobStatus withProblem(String why) {
        return new JobStatus(state, lastWrittenVersion, resumedFrom, resumedPosition, why);
    }
}
