package io.checkpointservice.api.cdi;

import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.api.CheckpointException;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds a connection factory by the name a bean gives, the same way on WildFly and Payara.
 *
 * <p>A name without ':' (such as {@value CheckpointResource#DEFAULT_NAME}) is portable. It is tried
 * as the application's resource reference {@code java:comp/env/<name>} first (declared by
 * {@code @Resource(name = ...)} or {@code <resource-ref>} and mapped to the server's binding by
 * {@code jboss-web.xml} or {@code glassfish-web.xml}), then where each server binds the adapter's
 * factory by default: {@code java:/<name>} (WildFly, {@code META-INF/ironjacamar.xml}) and
 * {@code <name>} (Payara, {@code glassfish-resources.xml}: Payara refuses ':' in a resource's
 * JNDI name). A name with ':' is one server's JNDI name and is looked up as given only.
 */
final class ConnectionFactoryLookup {

    private ConnectionFactoryLookup() {
    }

    /**
     * @param name a portable name or a JNDI name
     * @return the JNDI names tried for it, in order
     */
    static List<String> candidates(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the connection factory name must not be blank");
        }
        if (name.contains(":")) {
            return List.of(name);
        }
        String relative = name.startsWith("/") ? name.substring(1) : name;
        return List.of("java:comp/env/" + relative, "java:/" + relative, relative);
    }

    /**
     * @param name a portable name or a JNDI name
     * @return the first connection factory found under {@link #candidates}
     * @throws CheckpointException naming every name tried when none holds a factory, or when the
     *     object found implements another copy of the API than the one this class was loaded with
     */
    static CheckpointConnectionFactory find(String name) {
        List<String> tried = new ArrayList<>();
        NamingException last = null;
        for (String candidate : candidates(name)) {
            tried.add(candidate);
            Object found;
            try {
                found = new InitialContext().lookup(candidate);
            } catch (NamingException e) {
                last = e;
                continue;
            }
            if (found instanceof CheckpointConnectionFactory factory) {
                return factory;
            }
            throw new CheckpointException("the object at '" + candidate + "' is a " + found.getClass().getName()
                    + ", not a " + CheckpointConnectionFactory.class.getName() + " of the API this application uses: "
                    + "it sees two copies of checkpoint-api (see the README on bundling the API jar)");
        }
        throw new CheckpointException("no checkpoint connection factory for '" + name + "' (tried " + tried
                + "): is checkpoint-ra.rar deployed and its connection factory bound (WildFly binds "
                + "java:/eis/checkpoint by itself; Payara needs 'asadmin add-resources glassfish-resources.xml')?", last);
    }
}
