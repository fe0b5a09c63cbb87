package io.checkpointservice.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.ClassLoaderAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the tests deploy. Runs on the client (inside {@code @Deployment} methods) only.
 *
 * <p>The .rar is the one this build produced: the build copies the {@code checkpoint-ra}
 * dependency to {@code target/deployables/checkpoint-ra.rar} and passes its path as the system
 * property {@value #RAR_PROPERTY}.
 */
public final class Deployments {

    /** The deployment name of the adapter; applications depend on {@code deployment.<this>}. */
    public static final String RAR_NAME = "checkpoint-ra.rar";

    /** The JNDI name at which the adapter binds its connection factory. */
    public static final String CONNECTION_FACTORY_JNDI = "java:/eis/checkpoint";

    /** System property holding the path of the built .rar. */
    public static final String RAR_PROPERTY = "checkpoint.test.rar";

    /** System property holding the path of the built checkpoint-api jar. */
    public static final String API_JAR_PROPERTY = "checkpoint.test.api.jar";

    /**
     * The MANIFEST.MF an application needs. The API classes live in the .rar's module; the
     * application must not bring its own copy for class loading. The {@code meta-inf} flag makes
     * WildFly's Weld read the module's {@code META-INF/beans.xml} (in the API jar inside the .rar),
     * so {@code CheckpointConnectionProducer} becomes a bean and {@code @Inject
     * CheckpointConnection} works; without it the injection point is unsatisfied (WELD-001408),
     * see {@code CdiProducerDiscoveryIT}.
     */
    public static final String APPLICATION_MANIFEST = "Manifest-Version: 1.0\n"
            + "Dependencies: deployment." + RAR_NAME + " meta-inf\n";

    /** The manifest dependency without {@code meta-inf}: classes only, no CDI beans of the API. */
    public static final String CLASSES_ONLY_MANIFEST = "Manifest-Version: 1.0\n"
            + "Dependencies: deployment." + RAR_NAME + "\n";

    private Deployments() {
    }

    /** @return the built resource adapter, named {@value #RAR_NAME} */
    public static ResourceAdapterArchive checkpointAdapter() {
        Path rar = requiredFile(RAR_PROPERTY);
        return ShrinkWrap.create(ZipImporter.class, RAR_NAME)
                .importFrom(rar.toFile())
                .as(ResourceAdapterArchive.class);
    }

    /** The JNDI name of the second connection factory of {@link #checkpointAdapterWithSecondNamespace()}. */
    public static final String OTHER_CONNECTION_FACTORY_JNDI = "java:/eis/checkpoint-other";

    /**
     * The built adapter with a test deployment plan ({@code ironjacamar-two-namespaces.xml} as
     * its {@code META-INF/ironjacamar.xml}): {@value #CONNECTION_FACTORY_JNDI} with namespace
     * {@code default} as in the product, and {@value #OTHER_CONNECTION_FACTORY_JNDI} with
     * namespace {@code other}, both connection definitions of the one adapter instance. (A
     * resource-adapters subsystem entry for the archive would be a second activation: WildFly
     * creates a second ResourceAdapter, i.e. a second checkpoint node in the same JVM, which fails
     * to bind the cluster port and rolls the whole deployment back.)
     *
     * @return an archive named {@value #RAR_NAME}, so applications depend on it as usual
     */
    public static ResourceAdapterArchive checkpointAdapterWithSecondNamespace() {
        ResourceAdapterArchive rar = checkpointAdapter();
        rar.delete("META-INF/ironjacamar.xml");
        rar.add(new ClassLoaderAsset("ironjacamar-two-namespaces.xml"), "META-INF/ironjacamar.xml");
        return rar;
    }

    /** @return the built checkpoint-api jar, as packed into the .rar */
    public static JavaArchive checkpointApiJar() {
        Path jar = requiredFile(API_JAR_PROPERTY);
        return ShrinkWrap.create(ZipImporter.class, "checkpoint-api.jar")
                .importFrom(jar.toFile())
                .as(JavaArchive.class);
    }

    /**
     * @param name the archive name, such as {@code app.war}
     * @return a war with {@link #APPLICATION_MANIFEST}, without API classes of its own
     */
    public static WebArchive applicationWar(String name) {
        return ShrinkWrap.create(WebArchive.class, name)
                .setManifest(new StringAsset(APPLICATION_MANIFEST));
    }

    private static Path requiredFile(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests "
                    + "with 'mvn verify' so that failsafe passes it");
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(property + "=" + value + " is not a file; the build copies it "
                    + "to target/deployables in the pre-integration-test phase");
        }
        return path;
    }
}
