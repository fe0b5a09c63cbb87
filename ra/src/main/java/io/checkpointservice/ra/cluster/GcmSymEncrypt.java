package io.checkpointservice.ra.cluster;

import java.security.Key;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jgroups.Message;
import org.jgroups.annotations.Property;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.util.Util;

/**
 * JGroups SYM_ENCRYPT sealing every message with AES-256-GCM under the key derived from the
 * cluster secret, so a message is both secret and authenticated: one altered, or sealed with
 * another key, fails its tag (or key version) and is dropped before any protocol above reads it.
 *
 * <p>Why a subclass: SYM_ENCRYPT (JGroups 5.5) initialises its ciphers with an IvParameterSpec,
 * which GCM refuses, and reads its key only from a keystore file. Here the key is handed over in
 * memory through {@link #register} (the stack reaches Infinispan as an XML string, so the XML
 * carries only a one-time handle, never the key), and the ciphers get a GCMParameterSpec.
 *
 * <p>{@code SERIALIZE} sits directly above this protocol: it turns every message, headers
 * included, into a payload, so nothing a protocol above relies on travels unauthenticated
 * (SYM_ENCRYPT alone seals only payloads and lets payload-less messages, such as a JOIN request,
 * through in clear).
 */
public class GcmSymEncrypt extends SYM_ENCRYPT {

    /** JGroups identifies a protocol's headers by this id; user protocols take ids from 1024. */
    static final short PROTOCOL_ID = 1731;
    static final String ALGORITHM = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = Logger.getLogger(GcmSymEncrypt.class.getName());
    private static final Map<String, SecretKey> KEYS = new ConcurrentHashMap<>();

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, GcmSymEncrypt.class);
    }

    @Property(description = "Handle of the key registered in this JVM by ClusterNode")
    protected String key_handle;

    private final AtomicLong lastForeignWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);

    public GcmSymEncrypt() {
        sym_algorithm = ALGORITHM;
        sym_iv_length = IV_BYTES;
    }

    /** @return a handle for the stack's XML; the protocol picks the key up when the channel starts */
    static String register(SecretKey key) {
        String handle = UUID.randomUUID().toString();
        KEYS.put(handle, key);
        return handle;
    }

    /** Drops the key once the channel has it (or could not start), so no key lingers here. */
    static void forget(String handle) {
        KEYS.remove(handle);
    }

    @Override
    public void init() throws Exception {
        SecretKey key = key_handle == null ? null : KEYS.get(key_handle);
        if (key == null) {
            throw new IllegalStateException("no cluster key registered for this channel");
        }
        setSecretKey(key);
        super.init();
    }

    @Override
    protected Message decrypt(Cipher cipher, Message msg) throws Exception {
        EncryptHeader header = msg.getHeader(id);
        if (!Arrays.equals(header.version(), symVersion())) {
            // Another key: a node with another clusterSecret. Said at most once a minute, not per message.
            long now = System.nanoTime();
            long last = lastForeignWarning.get();
            if (now - last >= WARNING_INTERVAL_NANOS && lastForeignWarning.compareAndSet(last, now)) {
                LOG.warning(() -> "dropping cluster messages from " + msg.src() + " sealed with another key: "
                        + "does that node use a different clusterSecret?");
            }
            return null;
        }
        return _decrypt(cipher, secret_key, msg, header);
    }

    @Override
    protected Message _decrypt(Cipher cipher, Key key, Message msg, EncryptHeader header) throws Exception {
        if (!msg.hasPayload()) {
            return null; // SERIALIZE gives every sealed message a payload: an empty one was never sealed
        }
        byte[] plain = cipher != null
                ? gcm(cipher, Cipher.DECRYPT_MODE, key, header.iv(), msg.getArray(), msg.getOffset(), msg.getLength())
                : code(msg.getArray(), msg.getOffset(), msg.getLength(), header.iv(), true);
        return header.needsDeserialization()
                ? Util.messageFromBuffer(plain, 0, plain.length)
                : msg.setArray(plain, 0, plain.length);
    }

    @Override
    protected byte[] code(byte[] buf, int offset, int length, byte[] iv, boolean decode) throws Exception {
        BlockingQueue<Cipher> pool = decode ? decoding_ciphers : encoding_ciphers;
        Cipher cipher = pool.take();
        try {
            return gcm(cipher, decode ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE, secret_key, iv, buf, offset, length);
        } finally {
            pool.offer(cipher);
        }
    }

    private static byte[] gcm(Cipher cipher, int mode, Key key, byte[] iv, byte[] buf, int offset, int length)
            throws Exception {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        return cipher.doFinal(buf, offset, length);
    }
}
