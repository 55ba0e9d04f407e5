package io.redisha.components;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import java.util.List;

/**
 * The inputs the component registers as its own, so a policy pack judges them where they are set
 * ({@code redis-ha:index:RedisCluster}), in a first preview too: the nodes' rendered redis.conf is
 * known only once the bootstrap bucket exists. Plain, non-secret values only; the secrets stay in SSM.
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
    java.util.Map<String, Object> backups;

    static JudgedInputs of(RedisClusterArgs a) {
        JudgedInputs in = new JudgedInputs();
        in.masters = a.masters;
        in.replicasPerMaster = a.replicasPerMaster;
        in.zones = a.zones;
        in.instanceType = a.instanceType;
        in.nodeTimeoutMs = a.nodeTimeoutMs;
        in.maxmemoryPercent = a.maxmemoryPercent;
        in.tls = a.tls;
        // Registered only when set to something else than the default image's server, so stacks that never set them
        // keep the inputs they registered before; the policy pack judges the server a stack asks for.
        if (!a.engine.equals(RedisClusterArgs.DEFAULT_ENGINE) || !a.engineVersion.equals(RedisClusterArgs.DEFAULT_ENGINE_VERSION)) {
            in.engine = a.engine;
            in.engineVersion = a.engineVersion;
        }
        // registered only when set, so stacks without backups keep the inputs they registered before
        a.backups.ifPresent(b -> in.backups = java.util.Map.of("schedule", b.schedule, "retentionDays", b.retentionDays));
        return in;
    }
}
