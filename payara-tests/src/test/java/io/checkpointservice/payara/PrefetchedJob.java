package io.checkpointservice.payara;

import io.checkpointservice.api.cdi.PrefetchCheckpoints;
import jakarta.enterprise.context.ApplicationScoped;

/** Declares a segment the deployment restores when it starts, as a job restarted after a failover would. */
@PrefetchCheckpoints(PrefetchedJob.SEGMENT)
@ApplicationScoped
public class PrefetchedJob {

    static final String SEGMENT = "payara-it/prefetched-job";
}
