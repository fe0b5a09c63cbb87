package io.checkpointservice.payara;

import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.testsupport.LogFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The Payara domains of arquillian.xml as the client side of a test sees them: name, ports,
 * directory and the server's operating-system process. Runs on the client only.
 */
public enum Domains implements HttpNode {

    PT_1("pt-1", 30000),
    PT_2("pt-2", 30100),
    PT_3("pt-3", 30200),
    PT_4("pt-4", 30300),
    /** The DAS of the deployment group in DeploymentGroupFailoverIT; runs no adapter itself. */
    PT_5("pt-5", 30400);

    private final String qualifier;
    private final int portBase;

    Domains(String qualifier, int portBase) {
        this.qualifier = qualifier;
        this.portBase = portBase;
    }

    /** @param name a domain's name, which is also its Arquillian container qualifier */
    public static Domains named(String name) {
        return Arrays.stream(values()).filter(d -> d.qualifier.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test domain " + name));
    }

    /** @return the domain's name, also its Arquillian container qualifier and its checkpoint node name */
    @Override
    public String qualifier() {
        return qualifier;
    }

    /** @return the port of http-listener-1, port base + 80 */
    @Override
    public int httpPort() {
        return portBase + 80;
    }

    /** @return the admin port, port base + 48 */
    public int adminPort() {
        return portBase + 48;
    }

    /** @return the domain directory, {@code <payara.domains.dir>/<name>} */
    public Path dir() {
        String domainsDir = System.getProperty("payara.domains.dir");
        if (domainsDir == null || domainsDir.isBlank()) {
            throw new IllegalStateException("system property payara.domains.dir is not set; run with 'mvn verify'");
        }
        return Path.of(domainsDir, qualifier).toAbsolutePath().normalize();
    }

    /** @return the domain's server.log */
    public Path serverLog() {
        return dir().resolve("logs").resolve("server.log");
    }

    /** @return whether the domain's server JVM runs */
    public boolean isRunning() {
        try {
            serverProcess();
            return true;
        } catch (IllegalStateException notRunning) {
            return false;
        }
    }

    /**
     * @return the running server JVM of this domain, from the pid file Payara keeps in
     *     {@code config/pid} while it runs
     * @throws IllegalStateException when the domain does not run
     */
    public ProcessHandle serverProcess() {
        Path pidFile = dir().resolve("config").resolve("pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .orElseThrow(() -> new IllegalStateException(qualifier + ": no process " + pid + " (" + pidFile + ")"));
        } catch (IOException e) {
            throw new IllegalStateException(qualifier + " does not run: cannot read " + pidFile, e);
        }
    }

    /**
     * Sends SIGKILL to the domain's server JVM (no shutdown hook, no graceful leave) and waits
     * until it is gone.
     *
     * @return the pid killed
     */
    public long killServer(Duration timeout) {
        ProcessHandle process = serverProcess();
        process.destroyForcibly();
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(qualifier + ": server process " + process.pid()
                    + " did not exit within " + timeout + " after SIGKILL", e);
        }
        return process.pid();
    }

    /** @return the last {@code lines} lines of the server.log, or a note why there are none */
    public String serverLogTail(int lines) {
        return LogFiles.tail(serverLog(), lines);
    }
}
