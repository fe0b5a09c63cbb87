package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The cipher GcmSymEncrypt seals messages with: AES-GCM, so tampering or another key is detected. */
class GcmSymEncryptTest {

    private static GcmSymEncrypt protocol(SecretKey key) throws Exception {
        GcmSymEncrypt protocol = new GcmSymEncrypt();
        protocol.key_handle = GcmSymEncrypt.register(key);
        try {
            protocol.init();
        } finally {
            GcmSymEncrypt.forget(protocol.key_handle);
        }
        return protocol;
    }

    private static SecretKey randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    @Test
    void sealedBytesOpenOnlyUnchangedAndWithTheSameKey() throws Exception {
        SecretKey key = randomKey();
        GcmSymEncrypt sender = protocol(key);
        GcmSymEncrypt receiver = protocol(key);
        byte[] plain = "segment bytes".getBytes(StandardCharsets.UTF_8);
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);

        byte[] sealed = sender.code(plain, 0, plain.length, iv, false);
        assertArrayEquals(plain, receiver.code(sealed, 0, sealed.length, iv, true), "same key opens it");

        byte[] tampered = sealed.clone();
        tampered[0] ^= 1;
        assertThrows(AEADBadTagException.class, () -> receiver.code(tampered, 0, tampered.length, iv, true),
                "one flipped bit fails the GCM tag");
        assertThrows(AEADBadTagException.class, () -> protocol(randomKey()).code(sealed, 0, sealed.length, iv, true),
                "another key fails the GCM tag");
    }

    @Test
    void aChannelWithoutARegisteredKeyDoesNotStart() {
        GcmSymEncrypt protocol = new GcmSymEncrypt();
        protocol.key_handle = "never-registered";
        assertThrows(IllegalStateException.class, protocol::init, "no key: the channel must not start in clear");
    }
}
