package io.checkpointservice.it.support;

/** A test node as an HTTP client reaches it: on 127.0.0.1 at its HTTP port. */
public interface HttpNode {

    /** @return the node's name, for failure messages */
    String qualifier();

    /** @return the port of the node's HTTP listener on 127.0.0.1 */
    int httpPort();
}
