package io.checkpointservice.replica.it;

import io.checkpointservice.testsupport.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM without a control port (a storage-only replica node) uses after a full GC, read
 * with the JDK's own {@code jcmd}: {@code GC.run}, then {@code GC.heap_info}.
 */
final class JcmdHeap {

    /** The serial collector's generation lines: "def new generation   total 9792K, used 6317K [...". */
    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private JcmdHeap() {
    }

    /**
     * @return heap bytes used after a full GC of process {@code pid}
     * @throws IllegalStateException when jcmd fails or its output has no generation lines
     */
    static long usedAfterFullGc(long pid) {
        run(pid, "GC.run");
        String info = run(pid, "GC.heap_info");
        Matcher m = GENERATION_USED.matcher(info);
        long usedKiB = 0;
        int generations = 0;
        while (m.find()) {
            usedKiB += Long.parseLong(m.group(1));
            generations++;
        }
        if (generations == 0) {
            throw new IllegalStateException("no heap generations in the GC.heap_info of pid " + pid + ":\n" + info);
        }
        return usedKiB * 1024;
    }

    private static String run(long pid, String command) {
        Path jcmd = Path.of(JavaCommand.javaExecutable()).resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
