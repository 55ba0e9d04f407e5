package io.redisha.components;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An input of {@link RedisCluster}, on its one declaration: a field of {@link RedisClusterArgs}. The field's
 * name is the input's name everywhere (Java builder, provider schema, policy pack, stack config key), its
 * type says plain or {@code Output}, its builder initial value is the default; {@link ClusterSchema} reads
 * the rest from here for the provider schema, the inputs the policy pack judges and the stack's config keys.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ClusterInput {
    /** What the input means, for the schema of every language and for docs. */
    String value();

    /** Registered as the component's own input, so the policy pack judges it ({@link JudgedInputs}). */
    boolean judged() default false;

    /** Read by the cluster stack from {@code redis-ha:<name>}. */
    boolean stackConfig() default true;

    /** An input of the component provider ({@code bootstrapJarPath} is not: the provider carries the jar). */
    boolean provider() default true;

    /** The provider schema marks it required. */
    boolean required() default false;

    /** A secret: the provider schema marks it so, and the stack reads it as a secret. */
    boolean secret() default false;
}
