package io.checkpointservice.testsupport;

/**
 * The program {@link JavaProcessIT} starts: it starts a child process of its own ({@code sleep}),
 * says the child's PID and then waits to be killed.
 */
public final class SleepingParent {

    private SleepingParent() {
    }

    public static void main(String[] args) throws Exception {
        Process child = new ProcessBuilder("sleep", "120").start();
        System.out.println("ready, child pid " + child.pid() + ", argument " + String.join(" ", args));
        System.out.flush();
        Thread.sleep(120_000);
    }
}
