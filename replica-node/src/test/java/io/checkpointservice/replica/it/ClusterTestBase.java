package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.checkpointservice.testsupport.Payloads;
import io.checkpointservice.testsupport.ProcessRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Gives each test its own {@link TestCluster} and kills all its processes afterwards, whatever
 * the outcome.
 */
abstract class ClusterTestBase {

    /** Generous bound for awaitReplicated where the test expects true. */
    static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);

    TestCluster cluster;

    @BeforeEach
    void newCluster(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("unknown");
        // A parameterized test's invocations (display name "DIRECTORY", ...) each get their own directories.
        String invocation = test.getDisplayName().startsWith(method + "(") ? method
                : method + "-" + test.getDisplayName();
        cluster = new TestCluster(test.getTestClass().map(Class::getSimpleName).orElse("test"), invocation);
    }

    @AfterEach
    void killCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Belt and braces: nothing a test of this class started survives the class. */
    @AfterAll
    static void killLeftovers() {
        ProcessRegistry.killAll();
    }

    /**
     * Asserts a successful load of exactly {@code version} with the expected bytes (SHA-256) and origin.
     *
     * @return the reply
     */
    static NodeProcess.Reply assertLoads(NodeProcess node, String segment, long version, Payloads.Expected bytes,
                                         String originNode) {
        NodeProcess.Reply reply = node.load(segment);
        reply.expectStatus(200, "load of '" + segment + "' on " + node.name());
        assertEquals(version, reply.version(), () -> "version of '" + segment + "' loaded on " + node.name()
                + ": expected v" + version + " but was v" + reply.version() + " " + reply);
        assertEquals(bytes.size(), Integer.parseInt(reply.get("size")), () -> "size of '" + segment
                + "' loaded on " + node.name() + ": " + reply);
        assertEquals(bytes.sha256(), reply.get("sha256"), () -> "bytes (SHA-256) of '" + segment + "' v" + version
                + " loaded on " + node.name() + " differ from the " + bytes + " written: " + reply);
        assertEquals(originNode, reply.get("originNode"), () -> "origin node of '" + segment + "' loaded on "
                + node.name() + ": " + reply);
        return reply;
    }

    /** Asserts that a reply is the given failure: status and exception class. */
    static void assertFailure(NodeProcess.Reply reply, int status, Class<? extends Throwable> exception, String context) {
        reply.expectStatus(status, context);
        assertEquals(exception.getName(), reply.get("exception"), () -> context + ": expected "
                + exception.getSimpleName() + " but was " + reply);
    }

    /** Asserts a 404: load says the segment is absent (empty). */
    static void assertEmpty(NodeProcess node, String segment, String context) {
        NodeProcess.Reply reply = node.load(segment);
        reply.expectStatus(404, "load of '" + segment + "' on " + node.name() + " (" + context + ")");
    }
}
