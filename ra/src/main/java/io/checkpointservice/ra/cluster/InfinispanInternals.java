package io.checkpointservice.ra.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.commands.functional.ReadOnlyKeyCommand;
import org.infinispan.commons.CacheException;
import org.infinispan.distribution.DistributionInfo;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.functional.Param;
import org.infinispan.functional.impl.Params;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.manager.impl.InternalCacheManager;
import org.infinispan.marshall.core.MarshallableFunctions;
import org.infinispan.remoting.inboundhandler.DeliverOrder;
import org.infinispan.remoting.responses.Response;
import org.infinispan.remoting.responses.SuccessfulResponse;
import org.infinispan.remoting.rpc.RpcOptions;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.impl.MapResponseCollector;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

/**
 * The only place that uses Infinispan's non-public API, so that an Infinispan upgrade that
 * changes it breaks one small class. Two needs have no public API:
 * <ul>
 *   <li>the JGroups channel under the cache manager, to check at start that the stack seals
 *       every message when a cluster secret is set;</li>
 *   <li>asking each owner of a key whether it holds the key, every owner at once, with a
 *       boolean as the answer: a public {@code get} asks one owner and brings the value back (up
 *       to 1 MiB per chunk), and the G3 proof needs each owner's own answer. Infinispan's
 *       functional read with its built-in "is present" function, sent as a command to chosen
 *       owners, is exactly that question.</li>
 * </ul>
 */
final class InfinispanInternals {

    private InfinispanInternals() {
    }

    /** @return the JGroups channel of the cache manager's transport */
    static JChannel channel(EmbeddedCacheManager manager) {
        return ((JGroupsTransport) InternalCacheManager.of(manager).getComponent(Transport.class)).getChannel();
    }

    /**
     * Sends each of {@code owners} the question whether it holds {@code storageKey}; returns at
     * once. An owner that leaves the view while the question is out is not counted, no error.
     */
    static PresenceAnswers askWhetherHeld(Cache<String, byte[]> cache, Object storageKey, DistributionInfo distribution,
                                          int topologyId, List<Address> owners, Duration timeout) {
        AdvancedCache<String, byte[]> advanced = cache.getAdvancedCache();
        CompletionStage<Map<Address, Response>> answers;
        try {
            // Statistics skipped: otherwise the answer comes wrapped in an envelope with the hit count.
            ReadOnlyKeyCommand<Object, Object, Boolean> isPresent = ComponentRegistry.of(cache).getCommandsFactory()
                    .buildReadOnlyKeyCommand(storageKey, MarshallableFunctions.returnReadOnlyFindIsPresent(),
                            distribution.segmentId(), Params.from(Param.StatisticsMode.SKIP), advanced.getKeyDataConversion(),
                            advanced.getValueDataConversion());
            isPresent.setTopologyId(topologyId);
            answers = advanced.getRpcManager().invokeCommand(owners, isPresent, MapResponseCollector.ignoreLeavers(owners.size()),
                    new RpcOptions(DeliverOrder.NONE, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (CacheException e) { // the cache is stopping: the question fails like an unanswered one
            answers = CompletableFuture.failedFuture(e);
        }
        return new PresenceAnswers(advanced, answers);
    }

    /** The answers to one {@link #askWhetherHeld} on their way. */
    static final class PresenceAnswers {
        private final AdvancedCache<String, byte[]> cache;
        private final CompletionStage<Map<Address, Response>> answers;

        private PresenceAnswers(AdvancedCache<String, byte[]> cache, CompletionStage<Map<Address, Response>> answers) {
            this.cache = cache;
            this.answers = answers;
        }

        /**
         * @return how many of the owners asked answered that they hold the key
         * @throws CacheException when an owner did not answer within the question's timeout
         */
        int yes() {
            int held = 0;
            for (Response answer : cache.getRpcManager().blocking(answers).values()) {
                if (answer instanceof SuccessfulResponse<?> success && Boolean.TRUE.equals(success.getResponseValue())) {
                    held++;
                }
            }
            return held;
        }
    }
}
