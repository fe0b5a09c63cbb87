package io.checkpointservice.payara;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an asadmin command against one test domain, as an administrator would: the distribution's
 * admin-cli.jar on this JVM's java, talking to the domain's admin port on 127.0.0.1.
 */
final class Asadmin {

    /** Long enough for start-deployment-group on a loaded 2-core machine (3 min 49 s seen). */
    private static final long TIMEOUT_SECONDS = 600;

    private Asadmin() {
    }

    /**
     * @param domain the domain to talk to
     * @param command the command and its arguments, e.g. {@code add-resources <file>}
     * @return the command's output
     * @throws IllegalStateException with the output when the command fails or does not end in time
     */
    static String run(Domains domain, String... command) {
        List<String> remote = new ArrayList<>(List.of(
                "--host", "127.0.0.1", "--port", Integer.toString(domain.adminPort()), "--interactive=false"));
        remote.addAll(List.of(command));
        return execute(domain, remote);
    }

    /**
     * A local command, one that works on the domain's directory rather than through its admin
     * port, such as {@code start-domain <name>}.
     */
    static String local(Domains domain, String... command) {
        return execute(domain, List.of(command));
    }

    private static String execute(Domains domain, List<String> command) {
        String payaraHome = System.getProperty("payara.home");
        if (payaraHome == null || payaraHome.isBlank()) {
            throw new IllegalStateException("system property payara.home is not set; run with 'mvn verify'");
        }
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(payaraHome, "glassfish", "modules", "admin-cli.jar").toString()));
        line.addAll(command);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("asadmin " + String.join(" ", command) + " on " + domain.qualifier()
                        + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("asadmin " + String.join(" ", command) + " on " + domain.qualifier()
                        + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run asadmin " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running asadmin " + String.join(" ", command), e);
        }
    }
}
