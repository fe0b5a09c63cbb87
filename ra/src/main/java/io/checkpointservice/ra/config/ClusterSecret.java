package io.checkpointservice.ra.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of a secured checkpoint cluster shares ({@code clusterSecret} or the
 * content of {@code clusterSecretFile}). It never appears in a message, a log line or
 * {@link #toString()}; only the key derived from it leaves this class.
 */
public final class ClusterSecret {

    /** Shortest accepted secret: a guessable one would make the derived key guessable too. */
    public static final int MIN_LENGTH = 16;
    /**
     * PBKDF2 salt = this prefix + the cluster name: fixed so every node derives the same key
     * without exchanging anything, and per cluster so one secret gives each cluster its own key.
     */
    public static final String SALT_PREFIX = "io.checkpointservice/cluster-key/v1/";
    /** PBKDF2-HMAC-SHA256 iterations (OWASP 2023): slows guessing a weak secret from captured traffic. */
    public static final int ITERATIONS = 600_000;
    private static final int KEY_BITS = 256;
    private static final Logger LOG = Logger.getLogger(ClusterSecret.class.getName());

    private final String secret;
    /** The file it was read from; null when it was given as {@code clusterSecret}. */
    private final String file;

    private ClusterSecret(String secret, String file) {
        this.secret = secret;
        this.file = file;
    }

    /**
     * Reads the secret from the value or the file (at most one may be set), adding what is wrong to
     * {@code problems}.
     *
     * @return the secret, or null when none is configured or it is invalid
     */
    static ClusterSecret parse(String value, String file, List<String> problems) {
        if (value != null && file != null) {
            problems.add("set only one of clusterSecret and clusterSecretFile");
            return null;
        }
        String secret = value;
        String source = "clusterSecret";
        if (file != null) {
            source = "the secret in clusterSecretFile '" + file + "'";
            try {
                Path path = Path.of(file);
                secret = Files.readString(path, StandardCharsets.UTF_8).strip(); // files end in a newline
                warnIfOthersCanRead(path);
            } catch (IOException | InvalidPathException | SecurityException e) {
                problems.add("clusterSecretFile '" + file + "' cannot be read: " + e.getClass().getSimpleName());
                return null;
            }
        }
        if (secret == null) {
            return null;
        }
        if (secret.length() < MIN_LENGTH) {
            problems.add(source + " is shorter than " + MIN_LENGTH + " characters; use a long random value, "
                    + "e.g. the output of 'openssl rand -base64 32'");
            return null;
        }
        return new ClusterSecret(secret, file);
    }

    private static void warnIfOthersCanRead(Path path) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warning(() -> "clusterSecretFile " + path + " is readable by other users; chmod 600 it");
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: ACLs, not checked here.
        }
    }

    /**
     * @return the AES-256 key of {@code clusterName}: PBKDF2WithHmacSHA256(secret,
     *     {@link #SALT_PREFIX} + clusterName, {@link #ITERATIONS}); the same on every node
     */
    public SecretKey deriveKey(String clusterName) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(),
                (SALT_PREFIX + clusterName).getBytes(StandardCharsets.UTF_8), ITERATIONS, KEY_BITS);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot derive the cluster key: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    /** @return the {@code clusterSecretFile} it was read from; null when it was set as {@code clusterSecret} */
    public String file() {
        return file;
    }

    @Override
    public String toString() {
        return "ClusterSecret[hidden]";
    }
}
