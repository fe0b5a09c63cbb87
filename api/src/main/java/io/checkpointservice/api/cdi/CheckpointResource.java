package io.checkpointservice.api.cdi;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the connection factory a {@code @Inject CheckpointConnection} comes from by its JNDI
 * name. Without this qualifier the default factory {@value #DEFAULT_JNDI_NAME} is used.
 *
 * <pre>
 * &#64;Inject &#64;CheckpointResource("java:/eis/checkpoint-orders") CheckpointConnection orders;
 * </pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface CheckpointResource {

    /** The connection factory's JNDI name on WildFly. */
    String DEFAULT_JNDI_NAME = "java:/eis/checkpoint";

    /** @return the JNDI name of the connection factory */
    @Nonbinding
    String value() default DEFAULT_JNDI_NAME;
}
