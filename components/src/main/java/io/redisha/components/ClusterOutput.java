package io.redisha.components;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An output of {@link RedisCluster}, on its one declaration: the accessor. The method's name is the output's
 * name (registered by the component, exported by the provider); {@link ClusterSchema} reads the rest.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ClusterOutput {
    /** What the output holds, for the schema of every language and for docs. */
    String value();

    /** The name the cluster stack exports it under; default the output's name. */
    String stackExport() default "";
}
