package io.checkpointservice.payara;

import io.checkpointservice.it.support.PortableLookup;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The application archives the Payara tests deploy, built as the README tells a Payara user to:
 * the API jar in {@code WEB-INF/lib} (Payara makes the CDI beans of an application's own jars
 * beans, not those inside a standalone .rar; its classes still come from the adapter, which
 * Payara's class loaders ask first) and the resource reference {@code eis/checkpoint} mapped by
 * {@code glassfish-web.xml}. Runs on the client only.
 */
final class PayaraDeployments {

    static final String API_JAR_PROPERTY = "checkpoint.test.api.jar";

    private PayaraDeployments() {
    }

    /**
     * @param name the archive name, such as {@code app.war}
     * @return a war with the API jar and both servers' descriptors of the portable lookup
     */
    static WebArchive applicationWar(String name) {
        JavaArchive api = ShrinkWrap.create(ZipImporter.class, "checkpoint-api.jar")
                .importFrom(AdminStep.file(API_JAR_PROPERTY).toFile())
                .as(JavaArchive.class);
        return PortableLookup.mapped(ShrinkWrap.create(WebArchive.class, name)).addAsLibrary(api);
    }
}
