package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.config.ClusterSettings;
import java.util.List;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * What a started member checks before it serves: it runs where it was told to and, with a
 * cluster secret, seals its traffic. Either failing stops the start.
 */
final class StartupChecks {

    private StartupChecks() {
    }

    /** @return true when the settings name members other than this node */
    static boolean expectsPeers(ClusterSettings settings) {
        if (settings.discovery() != ClusterSettings.Discovery.STATIC) {
            return true;
        }
        String self = settings.bindAddress() + "[" + settings.bindPort() + "]";
        return settings.initialHosts().stream().anyMatch(host -> !host.equals(self));
    }

    /** Refuses to run on an address other than the configured one (a known Infinispan pitfall). */
    static void boundWhereConfigured(List<String> physicalAddresses, String bindAddress) {
        boolean ok = physicalAddresses.stream().allMatch(a -> a.startsWith(bindAddress + ":")
                || a.startsWith("/" + bindAddress + ":"));
        if (!ok) {
            throw new IllegalStateException("JGroups bound to " + physicalAddresses + " instead of " + bindAddress);
        }
    }

    /** Refuses to run in clear when a secret is configured, whatever became of the stack. */
    static void sealed(EmbeddedCacheManager manager, boolean secured) {
        if (secured && InfinispanInternals.channel(manager).getProtocolStack().findProtocol(GcmSymEncrypt.class) == null) {
            throw new IllegalStateException("the JGroups stack lacks " + GcmSymEncrypt.class.getSimpleName());
        }
    }
}
