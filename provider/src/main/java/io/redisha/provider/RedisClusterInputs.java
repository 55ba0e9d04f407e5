package io.redisha.provider;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import io.redisha.components.RedisClusterArgs;
import io.redisha.components.ScaleIn;
import java.util.List;
import java.util.Map;

/**
 * The inputs of {@code redis-ha:index:RedisCluster} as the Java SDK's component provider host reads
 * them: the schema is inferred from these fields, and {@link #toArgs} hands them to the Java API,
 * {@link RedisClusterArgs}. Meanings and defaults are {@link RedisClusterArgs}'s (an absent input keeps
 * the Java default); {@link Docs} gives them to the schema.
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

    /** The Java API's arguments: every given input set, every absent one left at its Java default. */
    RedisClusterArgs toArgs(String bootstrapJarPath) {
        RedisClusterArgs.Builder b = RedisClusterArgs.builder().bootstrapJarPath(bootstrapJarPath);
        if (masters != null) b.masters(masters);
        if (replicasPerMaster != null) b.replicasPerMaster(replicasPerMaster);
        if (zones != null) b.zones(zones);
        if (vpcId != null) b.vpcId(vpcId);
        if (subnetIds != null) b.subnetIds(subnetIds);
        if (vpcCidr != null) b.vpcCidr(vpcCidr);
        if (s3PrefixListId != null) b.s3PrefixListId(s3PrefixListId);
        if (instanceType != null) b.instanceType(instanceType);
        if (imageId != null) b.imageId(imageId);
        if (imageProvidesTunings != null) b.imageProvidesTunings(imageProvidesTunings);
        if (previousPlan != null) b.previousPlan(previousPlan);
        if (previousScalingBase != null) b.previousScalingBase(previousScalingBase);
        if (previousRetiringNodes != null) {
            try {
                b.previousRetiringNodes(previousRetiringNodes.stream().map(ScaleIn::nodeOf).toList());
            } catch (IllegalArgumentException e) {
                throw new RedisHaProvider.InvalidInputException("previousRetiringNodes is not valid: " + e.getMessage()
                        + "; pass the last deployment's retiringNodes output");
            }
        }
        if (retiredNodesDrained != null) b.retiredNodesDrained(retiredNodesDrained);
        if (nodeGeneration != null) b.nodeGeneration(nodeGeneration);
        if (previousNodeGenerations != null) b.previousNodeGenerations(previousNodeGenerations);
        if (retiredGenerationDrained != null) b.retiredGenerationDrained(retiredGenerationDrained);
        if (dataVolumeSizeGib != null) b.dataVolumeSizeGib(dataVolumeSizeGib);
        if (nodeTimeoutMs != null) b.nodeTimeoutMs(nodeTimeoutMs);
        if (minReplicasToWrite != null) b.minReplicasToWrite(minReplicasToWrite);
        if (minReplicasMaxLagSeconds != null) b.minReplicasMaxLagSeconds(minReplicasMaxLagSeconds);
        if (maxmemoryPercent != null) b.maxmemoryPercent(maxmemoryPercent);
        if (maxmemoryMb != null) b.maxmemoryMb(maxmemoryMb);
        if (maxmemoryPolicy != null) b.maxmemoryPolicy(maxmemoryPolicy);
        if (authPassword != null) b.authPassword(authPassword);
        if (allowedClientCidrs != null) b.allowedClientCidrs(allowedClientCidrs);
        if (allowedClientSecurityGroupIds != null) b.allowedClientSecurityGroupIds(allowedClientSecurityGroupIds);
        if (tls != null) b.tls(tls);
        if (engine != null) b.engine(engine);
        if (engineVersion != null) b.engineVersion(engineVersion);
        if (tlsCaCertificate != null || tlsCertificate != null || tlsPrivateKey != null) {
            b.tlsMaterial(tlsCaCertificate, tlsCertificate, tlsPrivateKey);
        }
        if (terminationProtection != null) b.terminationProtection(terminationProtection);
        if (tags != null) b.tags(tags);
        if (acceptZoneLossRisk != null) b.acceptZoneLossRisk(acceptZoneLossRisk);
        if (bootstrapBucket != null) b.bootstrapBucket(bootstrapBucket);
        if (convergeTimeoutSeconds != null) b.convergeTimeoutSeconds(convergeTimeoutSeconds);
        if (alarmTopicArn != null) b.alarmTopicArn(alarmTopicArn);
        if (backups != null) b.backups(backups.toArgs());
        if (restoreFrom != null) b.restoreFrom(restoreFrom);
        return b.build();
    }
}
