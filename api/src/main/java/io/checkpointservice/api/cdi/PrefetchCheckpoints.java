package io.checkpointservice.api.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the segments a deployment restores when it starts, so that the adapter loads them
 * while the deployment is still starting (the "agent path" of a failover): by the time the
 * application's own first {@code load} runs, the newest copy is already in this node's local
 * storage and the load answers without a network round trip.
 *
 * <p>Put it on any class of a CDI-enabled deployment that sees the API's CDI beans (see the
 * README: on WildFly {@code Dependencies: deployment.checkpoint-ra.rar meta-inf}, on Payara the
 * API jar in the application). Prefetching takes the segments over for this node, exactly as a
 * {@code load} does: use it in deployments that run on one node at a time, such as WildFly HA
 * singleton deployments.
 *
 * <pre>
 * &#64;PrefetchCheckpoints("progress-job/state")
 * &#64;Singleton &#64;Startup
 * public class ProgressJob { ... }
 * </pre>
 *
 * <p>The time from deployment start to segments local is logged and available from
 * {@link CheckpointPrefetchExtension#lastReport()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PrefetchCheckpoints {

    /** @return the segment names (without namespace) to load when the deployment starts */
    String[] value();

    /**
     * @return the portable name or the JNDI name of the connection factory they are read through,
     *     found as for {@link CheckpointResource}
     */
    String factory() default CheckpointResource.DEFAULT_NAME;
}
