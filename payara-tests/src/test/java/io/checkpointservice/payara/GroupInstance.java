package io.checkpointservice.payara;

import io.checkpointservice.it.support.HttpNode;
import io.checkpointservice.testsupport.LogFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server instance of a test domain's deployment group, as the client side sees it: created by
 * {@code asadmin create-instance --portbase} on the domain's local node {@code localhost-<domain>},
 * so its files are under {@code <payara>/glassfish/nodes/localhost-<domain>/<name>}.
 *
 * @param das the domain the instance belongs to
 * @param qualifier the instance's name (also its checkpoint node name)
 * @param portBase its port base: HTTP = base + 80, Payara's data grid = base + 59 (set by the test)
 * @param bindPort its checkpoint cluster port
 */
record GroupInstance(Domains das, String qualifier, int portBase, int bindPort) implements HttpNode {

    @Override
    public int httpPort() {
        return portBase + 80;
    }

    /** @return the port of this instance's member of Payara's data grid */
    int dataGridPort() {
        return portBase + 59;
    }

    /** @return the instance directory */
    Path dir() {
        return das.dir().getParent().getParent().resolve("nodes").resolve("localhost-" + das.qualifier())
                .resolve(qualifier);
    }

    /** @return the instance's JVM while it runs, from the pid file Payara keeps in {@code config/pid} */
    Optional<ProcessHandle> process() {
        Path pidFile = dir().resolve("config").resolve("pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends SIGKILL to the instance's JVM (no shutdown hook, no graceful leave of either cluster)
     * and waits until it is gone; does nothing when it does not run.
     */
    void kill(Duration timeout) {
        Optional<ProcessHandle> process = process();
        if (process.isEmpty()) {
            return;
        }
        process.get().destroyForcibly();
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(qualifier + ": process " + process.get().pid()
                    + " did not exit within " + timeout + " after SIGKILL", e);
        }
    }

    /** @return the last {@code lines} lines of the instance's server.log */
    String serverLogTail(int lines) {
        return LogFiles.tail(dir().resolve("logs").resolve("server.log"), lines);
    }
}
