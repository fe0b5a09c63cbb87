package io.checkpointservice.example.payara;

import io.checkpointservice.example.ProgressJob;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * What runs the job on Payara, which has no HA singleton deployment: one persistent automatic
 * timer for the whole deployment group. With the EJB timer store set to {@code DataGrid} (the
 * DAS's and the instances'), an instance that loads this war creates the timer only when the data
 * grid has none yet (the DAS may have created it at the deployment), so the group has one, owned
 * by one instance; the others leave it alone. When the
 * owner leaves the data grid (stopped or killed), each survivor's timer store takes the timers
 * of the departed member over, one survivor at a time under a data-grid lock, so the first one
 * restores it and fires it from then on. Each firing is one tick of {@link ProgressJob}; the first
 * one on an instance restores the job from its replicated checkpoint, so the timer's move is the
 * restore request after a failover.
 *
 * <p>Only in the Payara build of the web module ({@code checkpoint-example-job-payara.war}): the
 * WildFly build leaves this package out, so WildFly has no persistent timer.
 */
@Stateless
public class DeploymentGroupTicker {

    @Inject
    ProgressJob job;

    /**
     * Once a second, the finest a schedule expresses. No transaction: the checkpoint calls are
     * not transactional, and Payara would otherwise try to enlist the connection in the timer's.
     */
    @Schedule(second = "*", minute = "*", hour = "*", persistent = true, info = "progress-job-group")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        job.groupTick();
    }
}
