package io.redisha.provider;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import io.redisha.components.RedisClusterArgs;
import io.redisha.components.ScaleIn;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

/**
 * The inputs of {@code redis-ha:index:RedisCluster} as the Java SDK's component provider host reads
 * them: the schema is inferred from these fields, and {@link #toArgs} hands them to the Java API,
 * {@link RedisClusterArgs}, by name. These fields are only the wire shape the host needs: each input is
 * declared (meaning, default, secret, required) once, as a field of {@link RedisClusterArgs}, and
 * {@code ProviderSchemaTest} fails when this list and that one disagree.
 *
 * <p>Shaped by the host's inference: nullable fields (it rejects {@code Optional}), instance fields
 * only (it would take static fields for inputs), plain values for every input that decides what
 * exists (counts, zones, the last deployment: known at preview), {@link Output}s for values that come
 * from other resources or secrets. {@code bootstrapJarPath} is not an input: the provider carries the
 * jar ({@link BootstrapJar}).
 */
public final class RedisClusterInputs extends ResourceArgs {
    @Import(name = "masters")
    Integer masters;
    @Import(name = "replicasPerMaster")
    Integer replicasPerMaster;
    @Import(name = "zones")
    List<String> zones;
    @Import(name = "vpcId")
    Output<String> vpcId;
    @Import(name = "subnetIds")
    List<Output<String>> subnetIds;
    @Import(name = "vpcCidr")
    String vpcCidr;
    @Import(name = "s3PrefixListId")
    Output<String> s3PrefixListId;
    @Import(name = "instanceType")
    String instanceType;
    @Import(name = "imageId", required = true)
    Output<String> imageId;
    @Import(name = "imageProvidesTunings")
    Boolean imageProvidesTunings;
    @Import(name = "previousPlan")
    String previousPlan;
    @Import(name = "previousScalingBase")
    String previousScalingBase;
    @Import(name = "previousRetiringNodes")
    List<Map<String, String>> previousRetiringNodes;
    @Import(name = "retiredNodesDrained")
    Boolean retiredNodesDrained;
    @Import(name = "nodeGeneration")
    Integer nodeGeneration;
    @Import(name = "previousNodeGenerations")
    List<Integer> previousNodeGenerations;
    @Import(name = "retiredGenerationDrained")
    Boolean retiredGenerationDrained;
    @Import(name = "dataVolumeSizeGib")
    Integer dataVolumeSizeGib;
    @Import(name = "nodeTimeoutMs")
    Integer nodeTimeoutMs;
    @Import(name = "minReplicasToWrite")
    Integer minReplicasToWrite;
    @Import(name = "minReplicasMaxLagSeconds")
    Integer minReplicasMaxLagSeconds;
    @Import(name = "maxmemoryPercent")
    Integer maxmemoryPercent;
    @Import(name = "maxmemoryMb")
    Integer maxmemoryMb;
    @Import(name = "maxmemoryPolicy")
    String maxmemoryPolicy;
    @Import(name = "authPassword", required = true)
    Output<String> authPassword;
    @Import(name = "allowedClientCidrs")
    List<String> allowedClientCidrs;
    @Import(name = "allowedClientSecurityGroupIds")
    List<Output<String>> allowedClientSecurityGroupIds;
    @Import(name = "tls")
    Boolean tls;
    @Import(name = "engine")
    String engine;
    @Import(name = "engineVersion")
    String engineVersion;
    @Import(name = "tlsCaCertificate")
    Output<String> tlsCaCertificate;
    @Import(name = "tlsCertificate")
    Output<String> tlsCertificate;
    @Import(name = "tlsPrivateKey")
    Output<String> tlsPrivateKey;
    @Import(name = "terminationProtection")
    Boolean terminationProtection;
    @Import(name = "tags")
    Map<String, String> tags;
    @Import(name = "acceptZoneLossRisk")
    Boolean acceptZoneLossRisk;
    @Import(name = "bootstrapBucket")
    Output<String> bootstrapBucket;
    @Import(name = "convergeTimeoutSeconds")
    Integer convergeTimeoutSeconds;
    @Import(name = "alarmTopicArn")
    Output<String> alarmTopicArn;
    @Import(name = "backups")
    Backups backups;
    @Import(name = "restoreFrom")
    String restoreFrom;

    /** The host deserializes into a new instance and sets the fields. */
    public RedisClusterInputs() {
    }

    /**
     * The Java API's arguments: every given input handed to the builder method of its name, every absent one
     * left at its Java default. Two arrive in another shape than the Java API's: the retiring nodes (maps)
     * and the backups (this package's {@link Backups}).
     */
    RedisClusterArgs toArgs(String bootstrapJarPath) {
        RedisClusterArgs.Builder b = RedisClusterArgs.builder().bootstrapJarPath(bootstrapJarPath);
        for (Field f : RedisClusterInputs.class.getDeclaredFields()) {
            Import imported = f.getAnnotation(Import.class);
            Object given = imported == null ? null : read(f);
            if (given != null) {
                b.input(imported.name(), javaValue(imported.name(), given));
            }
        }
        return b.build();
    }

    private Object read(Field f) {
        try {
            return f.get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object javaValue(String input, Object given) {
        if (given instanceof Backups backups) {
            return backups.toArgs();
        }
        if (input.equals("previousRetiringNodes")) {
            try {
                return ((List<?>) given).stream().map(node -> ScaleIn.nodeOf((Map<?, ?>) node)).toList();
            } catch (IllegalArgumentException e) {
                throw new RedisHaProvider.InvalidInputException("previousRetiringNodes is not valid: " + e.getMessage()
                        + "; pass the last deployment's retiringNodes output");
            }
        }
        return given;
    }
}
