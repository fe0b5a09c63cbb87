package io.checkpointservice.it.support;

import org.jboss.shrinkwrap.api.asset.ClassLoaderAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The portable way an application reaches the adapter's connection factory on WildFly and Payara,
 * as the README describes it: the component declares the resource reference
 * {@value #RESOURCE_NAME} ({@code @Resource(name = "eis/checkpoint")}), and each server's descriptor
 * maps it to that server's binding. Both descriptors go into every archive; each server reads its
 * own and ignores the other's.
 */
public final class PortableLookup {

    /** The resource reference's name, in {@code java:comp/env}. */
    public static final String RESOURCE_NAME = "eis/checkpoint";

    private PortableLookup() {
    }

    /**
     * Adds {@code WEB-INF/jboss-web.xml} (to {@code java:/eis/checkpoint}) and
     * {@code WEB-INF/glassfish-web.xml} (to {@code eis/checkpoint}).
     *
     * @param war the application
     * @return {@code war}
     */
    public static WebArchive mapped(WebArchive war) {
        return war.addAsWebInfResource(descriptor("jboss-web.xml"), "jboss-web.xml")
                .addAsWebInfResource(descriptor("glassfish-web.xml"), "glassfish-web.xml");
    }

    private static ClassLoaderAsset descriptor(String name) {
        return new ClassLoaderAsset("io/checkpointservice/it/support/" + name, PortableLookup.class.getClassLoader());
    }
}
