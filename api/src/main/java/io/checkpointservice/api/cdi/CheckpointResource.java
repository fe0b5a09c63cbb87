package io.checkpointservice.api.cdi;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the connection factory a {@code @Inject CheckpointConnection} comes from by its name.
 * Without this qualifier the default factory {@value #DEFAULT_NAME} is used.
 *
 * <p>A name without ':' is portable: the application's resource reference
 * {@code java:comp/env/<name>} if it declares one, else the server's default binding
 * ({@code java:/<name>} on WildFly, {@code <name>} on Payara). A name with ':' is a JNDI name
 * looked up as given.
 *
 * <pre>
 * &#64;Inject &#64;CheckpointResource("eis/checkpoint-orders") CheckpointConnection orders;
 * </pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface CheckpointResource {

    /** The portable name of the adapter's default connection factory. */
    String DEFAULT_NAME = "eis/checkpoint";

    /** @return the portable name or the JNDI name of the connection factory */
    @Nonbinding
    String value() default DEFAULT_NAME;
}
