package io.checkpointservice.payara;

import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.ContainerRegistry;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.event.container.AfterKill;
import org.jboss.arquillian.container.spi.event.container.AfterStop;
import org.jboss.arquillian.container.spi.event.container.BeforeStart;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Starts and stops the Payara domains for Arquillian, and runs {@link AdminStep} on each domain
 * once it runs, before any test archive is deployed there: the adapter and its binding are what a
 * domain has before applications arrive, as in production.
 *
 * <p>Payara's managed container (3.0.alpha7) is used only to deploy: its own start and stop
 * commands collect the domain names of every container of the JVM ({@code stop-domain pt-2 pt-3}),
 * which asadmin refuses, so with several domains it cannot stop them. Started before the
 * container is, a domain counts as a running server the container connects to
 * ({@code allowConnectingToRunningServer} in arquillian.xml) and leaves alone.
 */
public class AdapterSetupExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(DomainLifecycle.class);
    }

    /** Follows Arquillian's container events with the domain of the container. */
    public static class DomainLifecycle {

        @Inject
        private Instance<ContainerRegistry> registry;

        public void beforeStart(@Observes BeforeStart event) {
            Domains domain = domainOf(event.getDeployableContainer());
            Asadmin.local(domain, "start-domain", domain.qualifier());
            AdminStep.run(domain);
        }

        public void afterStop(@Observes AfterStop event) {
            stopIfRunning(domainOf(event.getDeployableContainer()));
        }

        /** After a test's SIGKILL the domain is gone already; otherwise a kill stops it. */
        public void afterKill(@Observes AfterKill event) {
            stopIfRunning(domainOf(event.getDeployableContainer()));
        }

        private static void stopIfRunning(Domains domain) {
            if (domain.isRunning()) {
                Asadmin.local(domain, "stop-domain", domain.qualifier());
            }
        }

        private Domains domainOf(DeployableContainer<?> deployable) {
            Container<?> container = registry.get().getContainers().stream()
                    .filter(c -> c.getDeployableContainer() == deployable)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the container is not in Arquillian's registry"));
            return Domains.named(container.getContainerConfiguration().getContainerProperties().get("domain"));
        }
    }
}
