package io.checkpointservice.api.cdi;

import java.util.List;

/**
 * What the prefetch of a deployment did.
 *
 * @param sinceDeploymentStartMillis from the start of the deployment's CDI bootstrap to the last
 *     declared segment being local
 * @param loadMillis time spent in the loads themselves
 * @param loaded segments found and now local
 * @param absent segments that do not exist (the application starts from defaults)
 * @param failed segments that could not be loaded now, with the reason; the application's own
 *     load retries them
 */
public record PrefetchReport(long sinceDeploymentStartMillis, long loadMillis, List<String> loaded,
                             List<String> absent, List<String> failed) {
}
