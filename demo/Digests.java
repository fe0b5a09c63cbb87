import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The job's digest, recomputed here on purpose rather than shared with the job's code: the demo
 * checks the job's claim independently. Same rule as ProgressState in ear-example/job: start with
 * SHA-256("checkpoint-example/progress-job"); item i turns digest d into SHA-256(d || i as 8
 * bytes big-endian).
 */
final class Digests {

    static String at(long position) {
        byte[] d = sha256("checkpoint-example/progress-job".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer input = ByteBuffer.allocate(32 + 8);
        for (long i = 0; i < position; i++) {
            input.clear();
            input.put(d).putLong(i);
            d = sha256(input.array());
        }
        return HexFormat.of().formatHex(d);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
