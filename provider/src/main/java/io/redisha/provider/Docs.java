package io.redisha.provider;

import io.redisha.topology.InputLimits;
import io.redisha.topology.RedisDirectives;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Descriptions and defaults the schema shows for each input and output; the meanings are those of
 * {@code io.redisha.components.RedisClusterArgs} and {@code RedisCluster}'s accessors. A default
 * here is documentation for generated SDKs: the component applies the Java default to an absent
 * input itself ({@code ProviderSchemaTest} checks that the two agree).
 */
final class Docs {
    record Input(String description, Object defaultValue) {
    }

    static final Map<String, Input> INPUTS = new LinkedHashMap<>();
    static final Map<String, String> OUTPUTS = new LinkedHashMap<>();

    static {
        in("masters", "Number of shards (masters); at least 3, and no zone may hold a majority of them.", 3);
        in("replicasPerMaster", "Replicas per master, each in a zone other than its master's; 2 is safer for production (needs 3 zones).", 1);
        in("zones", "Availability zones in the order the planner rotates over. Default: the region's first three available zones; required with vpcId.", null);
        in("vpcId", "Existing VPC. Default: a new VPC with one private subnet per zone and SSM/S3 endpoints.", null);
        in("subnetIds", "With vpcId: one private subnet per zone, in the order of zones.", null);
        in("vpcCidr", "IPv4 /16 of the new VPC, or of the existing VPC (nodes may reach HTTPS endpoints in it).", "10.42.0.0/16");
        in("s3PrefixListId", "With an existing VPC: the S3 gateway endpoint's prefix list the nodes may reach over HTTPS.", null);
        in("instanceType", "EC2 instance type; memory known for r/m/c 5th-7th generation and t3/t4g (else set maxmemoryMb).", "r6i.large");
        in("imageId", "AMI of the nodes: the redis-ha node image or your own with redis-server 7, OpenJDK 17 and the SSM agent.", null);
        in("imageProvidesTunings", "The AMI guarantees the node-image tunings (THP never, overcommit, somaxconn, nofile); instances then carry the tunings tags.", false);
        in("previousPlan", "The last deployment's plan output (Plan JSON): the scaling summary and the two-phase scale-in are decided against it.", null);
        in("previousScalingBase", "The last deployment's scalingBase output: an unchanged deployment then changes no output.", null);
        in("previousRetiringNodes", "The last deployment's retiringNodes output.", null);
        in("retiredNodesDrained", "Phase 2 of a scale-in: the nodes the last deployment retired are drained (redis-ha check), delete their instances.", false);
        in("nodeGeneration", "Generation of the node instances: +1 replaces every node (new image, type, user data) by a rolling replacement.", 0);
        in("previousNodeGenerations", "The last deployment's nodeGenerations output.", null);
        in("retiredGenerationDrained", "Phase 2 of a roll: the previous generation left the cluster (redis-ha check), delete its instances.", false);
        in("dataVolumeSizeGib", "Size of the encrypted gp3 data volume. Default: three times maxmemory, at least 20 GiB.", null);
        in("nodeTimeoutMs", "cluster-node-timeout in ms, " + InputLimits.NODE_TIMEOUT_MS.validRange() + ".", RedisDirectives.DEFAULT_NODE_TIMEOUT_MS);
        in("minReplicasToWrite", "Safe write mode: min-replicas-to-write on every node, 0..replicasPerMaster (0: plain writes);"
                + " clients add WAIT 1 <ms> to writes that must survive.", 0);
        in("minReplicasMaxLagSeconds", "min-replicas-max-lag in seconds, 1..60, with minReplicasToWrite.",
                RedisDirectives.DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS);
        in("maxmemoryPercent", "Share of the instance's memory Redis may use, " + InputLimits.MAXMEMORY_PERCENT.validRange() + ".", 70);
        in("maxmemoryMb", "Explicit maxmemory in MiB; overrides the percentage.", null);
        in("maxmemoryPolicy", "maxmemory-policy; noeviction refuses writes rather than silently dropping keys.", RedisDirectives.DEFAULT_MAXMEMORY_POLICY);
        in("authPassword", "The AUTH password (a secret); stored only as an SSM SecureString.", null);
        in("allowedClientCidrs", "CIDRs allowed to reach port 6379; 0.0.0.0/0 and ::/0 are refused.", null);
        in("allowedClientSecurityGroupIds", "Security groups allowed to reach port 6379, besides the cluster's own client group.", null);
        in("tls", "TLS for clients, replication and the cluster bus; needs the three PEMs.", false);
        in("engine", "Server the nodes run: redis or valkey. The image must carry it; a change reaches the nodes only by a new nodeGeneration.", io.redisha.components.RedisClusterArgs.DEFAULT_ENGINE);
        in("engineVersion", "Its version: a line such as 7.0, 8.2, 8.1 (valkey) or an exact 8.2.3; each node checks it at boot. Changed by a new nodeGeneration only.", io.redisha.components.RedisClusterArgs.DEFAULT_ENGINE_VERSION);
        in("tlsCaCertificate", "PEM of the CA that signed the node certificate (TLS only).", null);
        in("tlsCertificate", "PEM of the certificate every node serves (TLS only).", null);
        in("tlsPrivateKey", "PEM of its private key, kept a secret (TLS only).", null);
        in("terminationProtection", "EC2 termination protection on every node.", true);
        in("tags", "Tags added to every resource that takes tags; keys starting with redis-ha: or aws: are reserved.", null);
        in("acceptZoneLossRisk", "Plan a layout that does not survive the loss of a zone instead of refusing it.", false);
        in("bootstrapBucket", "Existing bucket for the bootstrap jar. Default: a private, encrypted bucket of the component.", null);
        in("convergeTimeoutSeconds", "How long the deployment waits for redis-ha converge on node-0-0, 60..3600.", 900);
        in("alarmTopicArn", "SNS topic for the alarms' ALARM and OK notifications.", null);
        in("backups", "Scheduled backups to S3: schedule (rate(...) 30 minutes..3 days, or a daily/hourly cron(...); default"
                + " rate(1 day)), retentionDays (1..35, default 7), bucket (existing; default: a created bucket with versioning,"
                + " SSE-KMS, public access blocked and the retention rule), kmsKeyArn (existing key; default: a created key)."
                + " Nodes may write under <cluster>/ only, never delete; an alarm fires when no backup succeeded within twice the schedule.", null);
        in("restoreFrom", "A backup's S3 folder (s3://bucket/prefix/<backup id>) restored into a NEW cluster after converge, before"
                + " the deployment reports ready; ignored (with a warning) on a running cluster.", null);

        OUTPUTS.put("nodes", "Every node: name, zone, role, shard, instanceId, privateIp.");
        OUTPUTS.put("seedEndpoints", "ip:6379 of the planned masters; any node works as a cluster client's seed.");
        OUTPUTS.put("clientSecurityGroupId", "Attach this group to clients to let them reach port 6379.");
        OUTPUTS.put("planSummary", "The plan in one line, with the real zone names and zone safety.");
        OUTPUTS.put("survivesZoneLoss", "Whether the layout survives the loss of any one zone.");
        OUTPUTS.put("placementParameterName", "SSM parameter with the placement JSON (redis-ha converge --plan-ssm).");
        OUTPUTS.put("authParameterName", "SSM SecureString with the AUTH password (--password-ssm).");
        OUTPUTS.put("vpcId", "The VPC the nodes run in.");
        OUTPUTS.put("subnetIds", "The subnets the nodes run in, one per zone.");
        OUTPUTS.put("plan", "The plan with the real zone names (Plan JSON); pass it back as previousPlan.");
        OUTPUTS.put("retiringNodes", "Nodes being retired by a scale-in (phase 1); pass back as previousRetiringNodes.");
        OUTPUTS.put("scalingPlan", "The last layout change: nodes added and removed, slot moves, zone safety, scale-in phase.");
        OUTPUTS.put("scalingMoves", "scalingPlan for machines: newCluster, added, removed, retiring, removing, slotsMoved, moves.");
        OUTPUTS.put("nodeGenerations", "The node generations declared: [g], or [g, g+1] while a roll runs; pass back as previousNodeGenerations.");
        OUTPUTS.put("rollPlan", "The rolling replacement this deployment runs (order, handovers), or why there is none.");
        OUTPUTS.put("zoneMap", "Node address ip:6379 to its zone: give it to clients that read from replicas in their own zone.");
        OUTPUTS.put("scalingBase", "The plan scalingPlan compares against (empty for a new cluster); pass back as previousScalingBase.");
    }

    private Docs() {
    }

    private static void in(String name, String description, Object defaultValue) {
        INPUTS.put(name, new Input(description, defaultValue));
    }
}
