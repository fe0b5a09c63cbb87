package io.checkpointservice.payara;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's admin step on Payara, as the build runs it on every test domain after it starts:
 * deploy the .rar without implicit CDI (its API jar's beans.xml would otherwise make Payara boot
 * CDI for the connector module and log NCLS-CORE-00069), then bind the connection factory with
 * {@code asadmin add-resources glassfish-resources.xml}. A domain that already has either keeps it.
 */
final class AdminStep {

    static final String RAR_PROPERTY = "checkpoint.test.rar";
    static final String RESOURCES_PROPERTY = "checkpoint.test.resources";
    static final String APPLICATION = "checkpoint-ra";
    static final String RESOURCE = "eis/checkpoint";

    private AdminStep() {
    }

    static void run(Domains domain) {
        if (!Asadmin.run(domain, "list-applications").contains(APPLICATION)) {
            Asadmin.run(domain, "deploy", "--property", "implicitCdiEnabled=false", file(RAR_PROPERTY).toString());
        }
        if (!Asadmin.run(domain, "list-connector-resources").contains(RESOURCE)) {
            Asadmin.run(domain, "add-resources", file(RESOURCES_PROPERTY).toString());
        }
    }

    static Path file(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run with 'mvn verify'");
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(property + "=" + value + " is not a file; the build copies it to "
                    + "target/deployables in the pre-integration-test phase");
        }
        return path;
    }
}
