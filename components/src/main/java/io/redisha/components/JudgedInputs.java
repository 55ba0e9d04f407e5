package io.redisha.components;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inputs the component registers as its own, so a policy pack judges them where they are set
 * ({@code redis-ha:index:RedisCluster}), in a first preview too: the nodes' rendered redis.conf is
 * known only once the bootstrap bucket exists. Plain, non-secret values only; the secrets stay in SSM.
 *
 * <p>Which inputs these are is said once, by {@link ClusterInput#judged()}; the fields below are only
 * their wire shape (the SDK serializes {@code @Import} fields), named as the inputs, and {@link #of} copies
 * them by name. {@code JudgedInputsTest} fails when the two lists differ.
 */
final class JudgedInputs extends ResourceArgs {
    @Import(name = "masters")
    Integer masters;
    @Import(name = "replicasPerMaster")
    Integer replicasPerMaster;
    @Import(name = "zones")
    List<String> zones;
    @Import(name = "instanceType")
    String instanceType;
    @Import(name = "nodeTimeoutMs")
    Integer nodeTimeoutMs;
    @Import(name = "maxmemoryPercent")
    Integer maxmemoryPercent;
    @Import(name = "tls")
    Boolean tls;
    @Import(name = "engine")
    String engine;
    @Import(name = "engineVersion")
    String engineVersion;
    /** With backups: schedule and retentionDays (the policy pack asks production clusters for a retention of a day or more). */
    @Import(name = "backups")
    Map<String, Object> backups;

    /** Registered only when set (below), so stacks that never set them keep the inputs they registered before. */
    private static final Set<String> WHEN_SET = Set.of("engine", "engineVersion", "backups");

    static JudgedInputs of(RedisClusterArgs a) {
        JudgedInputs in = new JudgedInputs();
        try {
            for (Field f : JudgedInputs.class.getDeclaredFields()) {
                Import imported = f.getAnnotation(Import.class);
                if (imported != null && !WHEN_SET.contains(imported.name())) {
                    f.set(in, ClusterSchema.value(a, imported.name()));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        // the server only when it is not the default image's, so the policy pack judges the server a stack asks for
        if (!a.engine.equals(RedisClusterArgs.DEFAULT_ENGINE) || !a.engineVersion.equals(RedisClusterArgs.DEFAULT_ENGINE_VERSION)) {
            in.engine = a.engine;
            in.engineVersion = a.engineVersion;
        }
        a.backups.ifPresent(b -> in.backups = Map.of("schedule", b.schedule, "retentionDays", b.retentionDays));
        return in;
    }
}
