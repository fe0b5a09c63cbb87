package io.checkpointservice.it.prefetch;

import io.checkpointservice.api.cdi.PrefetchCheckpoints;
import jakarta.enterprise.context.ApplicationScoped;

/** A bean of the prefetching deployment that declares the segment it restores from. */
@ApplicationScoped
@PrefetchCheckpoints(PrefetchingJob.SEGMENT)
public class PrefetchingJob {

    static final String SEGMENT = "prefetch-it/state";
}
