package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.config.ClusterSettings;
import java.util.stream.Collectors;

/**
 * Builds the JGroups stack of the checkpoint cluster as XML, from Infinispan's default TCP stack
 * with everything bound to {@code bindAddress}, and with a cluster secret sealed by
 * {@link GcmSymEncrypt}.
 *
 * <p>Handed to Infinispan as {@code JGroupsTransport.CONFIGURATION_STRING}: Infinispan 16 ignores
 * a {@code JChannel} passed in directly and silently falls back to UDP on a non-loopback address.
 */
final class JGroupsStack {

    /** See {@link ClusterSettings#FAILURE_DETECTION_PORT_OFFSET}. */
    static final int FAILURE_DETECTION_PORT_OFFSET = ClusterSettings.FAILURE_DETECTION_PORT_OFFSET;

    private JGroupsStack() {
    }

    /**
     * @param keyHandle the {@link GcmSymEncrypt} key's handle; null leaves traffic in clear
     *     (allowed on loopback only, see ClusterSettings)
     */
    static String xml(ClusterSettings settings, String keyHandle) {
        String address = settings.bindAddress();
        ClusterSettings.FailureDetection failureDetection = settings.failureDetection();
        return """
                <config xmlns="urn:org:jgroups" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <TCP bind_addr="%s" bind_port="%d" port_range="0"
                       send_buf_size="640k" sock_conn_timeout="300ms" tcp_nodelay="true"
                       bundler_type="transfer-queue" bundler.max_size="64k"
                       thread_pool.min_threads="0" thread_pool.max_threads="200"
                       thread_pool.keep_alive_time="1m" use_vthreads="false" diag.enabled="false"/>
                  <RED/>
                  %s
                  %s
                  <MERGE3 min_interval="2s" max_interval="5s"/>
                  <FD_SOCK2 bind_addr="%s" offset="%d" port_range="0"/>
                  <FD_ALL3 timeout="%d" interval="%d"/>
                  <VERIFY_SUSPECT2 timeout="%d"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200ms"/>
                  <UNICAST3 conn_close_timeout="5s" xmit_interval="200ms"/>
                  <pbcast.STABLE desired_avg_gossip="5s" max_bytes="1M"/>
                  <pbcast.GMS print_local_addr="false" join_timeout="1s"/>
                  <UFC max_credits="4m" min_threshold="0.40"/>
                  <MFC max_credits="4m" min_threshold="0.40"/>
                  <FRAG4 frag_size="60k"/>
                  <%s/>
                </config>
                """.formatted(address, settings.bindPort(), sealing(keyHandle), discovery(settings), address,
                FAILURE_DETECTION_PORT_OFFSET, failureDetection.timeout().toMillis(),
                failureDetection.heartbeatInterval().toMillis(), failureDetection.verifySuspect().toMillis(),
                MergeWatch.class.getName());
    }

    /**
     * Right above the transport, so that what every protocol above sends (discovery, merge,
     * failure detection, membership, data) is sealed: a node without the key gets no answer it
     * can read and has no message accepted. SERIALIZE makes headers part of the sealed payload
     * (see GcmSymEncrypt). Only MPING's multicast request and FD_SOCK2's own sockets bypass the
     * stack; they carry addresses, no data.
     */
    private static String sealing(String keyHandle) {
        if (keyHandle == null) {
            return "";
        }
        return "<" + GcmSymEncrypt.class.getName() + " key_handle=\"" + keyHandle + "\"/>\n  <SERIALIZE/>";
    }

    private static String discovery(ClusterSettings settings) {
        return switch (settings.discovery()) {
            case STATIC -> "<TCPPING initial_hosts=\"" + settings.initialHosts().stream()
                    .collect(Collectors.joining(",")) + "\" port_range=\"0\"/>";
            case MULTICAST -> "<MPING bind_addr=\"" + settings.bindAddress()
                    + "\" mcast_addr=\"" + settings.multicastAddress() + "\" mcast_port=\"46656\" num_discovery_runs=\"3\" ip_ttl=\"2\"/>";
        };
    }
}
