import java.time.Duration;

/** A server process a demo started and stops at the end. */
interface DemoProcess {

    String name();

    /** @return its pid, -1 when it has none yet */
    long pid();

    boolean isAlive();

    /** SIGTERM: the server shuts down gracefully. */
    void terminate();

    boolean awaitExit(Duration timeout);

    /**
     * SIGKILL, then waits until the process is gone.
     *
     * @return its exit code, -1 when it is not a child of this JVM (then the code is not known)
     */
    int kill() throws InterruptedException;

    void printLogTail(int lines);
}
