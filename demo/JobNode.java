/** A server that may run the example job and answers its status URL. */
interface JobNode extends DemoProcess {

    /** @return the answer of {@code GET /checkpoint-example/api/status} */
    Probe status();

    /** @throws DemoFailure when the server has exited while the demo still needs it */
    void requireAlive();

    /**
     * @param status this node's answer (HTTP 200) of its status URL
     * @return whether that answer says the job runs here
     */
    boolean runsJob(Status status);
}
