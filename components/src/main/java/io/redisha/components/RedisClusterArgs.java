package io.redisha.components;

import com.pulumi.core.Output;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.RedisDirectives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Inputs of {@link RedisCluster}. Structural inputs (counts, zones, instance type, limits) are plain
 * values so that every one of them is validated before any resource is declared; values that come
 * from other resources or secrets (image, VPC, subnets, password, TLS material) are {@link Output}s.
 *
 * <p>Defaults are chosen for production: 3 masters with a replica each over three zones, a
 * memory-optimised instance, 70% of memory for data, {@code noeviction}, termination protection
 * on, and a refusal of any layout that does not survive the loss of a zone.
 */
public final class RedisClusterArgs {
    public static final String DEFAULT_INSTANCE_TYPE = "r6i.large";
    /** The server the default node image installs (one fact, the image's). */
    public static final String DEFAULT_ENGINE = io.redisha.image.RedisNodeImageArgs.DEFAULT_ENGINE;
    public static final String DEFAULT_ENGINE_VERSION = io.redisha.image.RedisNodeImageArgs.DEFAULT_ENGINE_VERSION;

    /** Number of shards (masters). Default 3, the minimum that can vote a failover after losing one. */
    final int masters;
    /** Replicas per master. Default 1; 2 is safer for production (needs 3 zones). */
    final int replicasPerMaster;
    /**
     * Availability zones, in the order the planner rotates over. Default: empty, meaning the region's
     * first three available zones (looked up with {@code aws.getAvailabilityZones}); the count (3) is
     * fixed at declaration so the plan is validated up front, the names are filled in at deploy time.
     * Required when {@link #vpcId} is given (the subnets must match them one by one).
     */
    final List<String> zones;
    /** Existing VPC. Default: none, a new VPC with one private subnet per zone and SSM/S3 endpoints. */
    final Optional<Output<String>> vpcId;
    /** With {@link #vpcId}: one private subnet per zone, in the order of {@link #zones}. */
    final List<Output<String>> subnetIds;
    /** IPv4 /16 of the new VPC, or of the existing VPC (nodes may reach HTTPS endpoints in it). Default 10.42.0.0/16. */
    final String vpcCidr;
    /** With an existing VPC: the S3 prefix list (gateway endpoint) the nodes may reach over HTTPS, if any. */
    final Optional<Output<String>> s3PrefixListId;
    /** EC2 instance type. Default r6i.large (16 GiB, x86_64); Graviton types (r7g, m7g, ...) run an arm64 image. */
    final String instanceType;
    /**
     * AMI of the nodes. Required: pass {@code RedisNodeImage#amiId()} (node-image module; the cluster
     * stack builds it by default) or your own AMI with redis-server 7, OpenJDK 17 and the SSM agent.
     * Asked for once, after every input is valid ({@link Builder#nodeImage}: a refused config declares no image).
     */
    final Optional<Supplier<Output<String>>> imageId;
    /**
     * The AMI guarantees the node-image tunings ({@code NodeTunings}): instances then carry the
     * {@code redis-ha:tunings} and {@code redis-ha:node-image} tags the policy pack judges. Default
     * false; true for the redis-ha node image, or for your own AMI after {@code redis-ha-check-tunings}
     * passed on an instance of it.
     */
    final boolean imageProvidesTunings;
    /**
     * The plan of the last deployment (its {@code plan} output, Plan JSON), if any. Plain, like every
     * structural input: it decides which instances exist during a scale-in ({@link ScaleIn}) and
     * gives the {@code scalingPlan} summary. Default: none, a new cluster.
     */
    final Optional<String> previousPlan;
    /**
     * The last deployment's {@code scalingBase} output (Plan JSON, empty for a new cluster). With it an
     * unchanged deployment repeats the last {@code scalingPlan}/{@code scalingMoves} instead of
     * reporting "no change" as a change. Default: none.
     */
    final Optional<String> previousScalingBase;
    /** The nodes the last deployment was retiring (its {@code retiringNodes} output). Default none. */
    final List<PlannedNode> previousRetiringNodes;
    /**
     * Phase 2 of a scale-in: the retiring nodes are drained (converge ran, {@code redis-ha check} shows
     * them gone from the cluster), delete their instances. Default false.
     */
    final boolean retiredNodesDrained;
    /**
     * The generation of the node instances ({@link NodeGenerations}): raise it by one to replace every
     * node (new image, instance type or user data) by a rolling replacement. Default 0.
     */
    final int nodeGeneration;
    /** The generations the last deployment declared (its {@code nodeGenerations} output). Default none: a new cluster. */
    final List<Integer> previousNodeGenerations;
    /** Phase 2 of a roll: the old generation left the cluster, delete its instances. Default false. */
    final boolean retiredGenerationDrained;
    /** Size of the encrypted gp3 data volume. Default: three times maxmemory (AOF rewrite needs room), at least 20 GiB. */
    final Optional<Integer> dataVolumeSizeGib;
    /** {@code cluster-node-timeout} in ms. Default 5000, as in the guide; valid: {@link io.redisha.topology.InputLimits#NODE_TIMEOUT_MS}. */
    final int nodeTimeoutMs;
    /**
     * Safe write mode: {@code min-replicas-to-write} on every node. A master then refuses writes
     * (NOREPLICAS) unless this many replicas acknowledged within {@link #minReplicasMaxLagSeconds}, so a
     * master cut off from its replicas stops accepting writes that the other side's promotion would
     * lose; clients add {@code WAIT 1 <ms>} to writes that must survive (docs/faults.md). Default 0
     * (plain Redis); 0..replicasPerMaster. With 1 and one replica per master, a shard refuses writes
     * while its replica is down or being replaced: prefer 2 replicas per master (the prod stack).
     */
    final int minReplicasToWrite;
    /** {@code min-replicas-max-lag} in seconds, with {@link #minReplicasToWrite}. Default 10 (Redis's); 1..60. */
    final int minReplicasMaxLagSeconds;
    /** Share of the instance's memory Redis may use. Default 70; valid: {@link io.redisha.topology.InputLimits#MAXMEMORY_PERCENT} (the OS and fork copy-on-write keep the rest). */
    final int maxmemoryPercent;
    /** Explicit {@code maxmemory} in MiB; overrides the percentage and is required for instance types not in {@link io.redisha.topology.InstanceTypes}. */
    final Optional<Integer> maxmemoryMb;
    /** {@code maxmemory-policy}. Default noeviction: a datastore refuses writes rather than silently dropping keys. */
    final String maxmemoryPolicy;
    /** The AUTH password, a Pulumi secret. Required. Stored only as an SSM SecureString. */
    final Optional<Output<String>> authPassword;
    /** CIDRs allowed to reach port 6379. Default none. 0.0.0.0/0 and ::/0 are refused. */
    final List<String> allowedClientCidrs;
    /** Security groups allowed to reach port 6379, besides the cluster's own client group. Default none. */
    final List<Output<String>> allowedClientSecurityGroupIds;
    /** TLS for clients, replication and the cluster bus. Default false; when true the three PEMs are required. */
    final boolean tls;
    /**
     * The server the nodes run: {@code redis} (default) or {@code valkey}. The image must carry it (node image input
     * {@code engine}); each node checks at boot that it does. A change reaches the nodes only by a new node generation.
     */
    final String engine;
    /** Its version, a line such as {@code 7.0} (default: what the default image installs) or an exact {@code 8.2.3}; as {@code engine}. */
    final String engineVersion;
    /** PEM of the CA that signed the node certificate (TLS only). */
    final Optional<Output<String>> tlsCaCertificate;
    /** PEM of the certificate every node serves (TLS only). */
    final Optional<Output<String>> tlsCertificate;
    /** PEM of its private key, a secret (TLS only). */
    final Optional<Output<String>> tlsPrivateKey;
    /** EC2 termination protection on every node. Default true. */
    final boolean terminationProtection;
    /** Tags added to every resource that takes tags. Keys starting with {@code redis-ha:} or {@code aws:} are reserved. */
    final Map<String, String> tags;
    /** Plan a layout that does not survive the loss of a zone instead of refusing it. Default false. */
    final boolean acceptZoneLossRisk;
    /** Path of the bootstrap jar uploaded to S3, relative to the Pulumi project. Default cli/target/redis-ha-node.jar. */
    final String bootstrapJarPath;
    /** Existing bucket for the bootstrap jar. Default: a private, encrypted bucket created by the component. */
    final Optional<Output<String>> bootstrapBucket;
    /** How long {@code pulumi up} waits for {@code redis-ha converge} on node-0-0. Default 900 s. */
    final int convergeTimeoutSeconds;
    /** SNS topic ARN for the alarms' alarm and OK actions. Default: none (alarms visible in the console only). */
    final Optional<Output<String>> alarmTopicArn;
    /**
     * Scheduled backups to S3 ({@link BackupArgs}): a bucket (versioning, SSE-KMS, public access blocked,
     * retention), an SSM association running {@code redis-ha backup} on node-0-0, write-only node access
     * under the cluster's prefix, and an alarm when no backup succeeded within twice the schedule.
     * Default: none (no backups; the policy pack requires them for production clusters).
     */
    final Optional<BackupArgs> backups;
    /**
     * A backup to start a new cluster from ({@code s3://bucket/prefix/<backup id>}): converge forms the
     * cluster, then {@code redis-ha restore} loads the backup, before the deployment reports ready. Read
     * only when the cluster is created (no {@link #previousPlan}); on a running cluster it is ignored and
     * touches no data. Default: none.
     */
    final Optional<String> restoreFrom;

    private RedisClusterArgs(Builder b) {
        masters = b.masters;
        replicasPerMaster = b.replicasPerMaster;
        zones = List.copyOf(b.zones);
        vpcId = Optional.ofNullable(b.vpcId);
        subnetIds = List.copyOf(b.subnetIds);
        vpcCidr = b.vpcCidr;
        s3PrefixListId = Optional.ofNullable(b.s3PrefixListId);
        instanceType = b.instanceType;
        imageId = Optional.ofNullable(b.imageId);
        imageProvidesTunings = b.imageProvidesTunings;
        previousPlan = Optional.ofNullable(b.previousPlan).filter(p -> !p.isBlank());
        previousScalingBase = Optional.ofNullable(b.previousScalingBase).filter(p -> !p.isBlank());
        previousRetiringNodes = List.copyOf(b.previousRetiringNodes);
        retiredNodesDrained = b.retiredNodesDrained;
        nodeGeneration = b.nodeGeneration;
        previousNodeGenerations = List.copyOf(b.previousNodeGenerations);
        retiredGenerationDrained = b.retiredGenerationDrained;
        dataVolumeSizeGib = Optional.ofNullable(b.dataVolumeSizeGib);
        nodeTimeoutMs = b.nodeTimeoutMs;
        minReplicasToWrite = b.minReplicasToWrite;
        minReplicasMaxLagSeconds = b.minReplicasMaxLagSeconds;
        maxmemoryPercent = b.maxmemoryPercent;
        maxmemoryMb = Optional.ofNullable(b.maxmemoryMb);
        maxmemoryPolicy = b.maxmemoryPolicy;
        authPassword = Optional.ofNullable(b.authPassword);
        allowedClientCidrs = List.copyOf(b.allowedClientCidrs);
        allowedClientSecurityGroupIds = List.copyOf(b.allowedClientSecurityGroupIds);
        tls = b.tls;
        engine = b.engine;
        engineVersion = b.engineVersion;
        tlsCaCertificate = Optional.ofNullable(b.tlsCaCertificate);
        tlsCertificate = Optional.ofNullable(b.tlsCertificate);
        tlsPrivateKey = Optional.ofNullable(b.tlsPrivateKey);
        terminationProtection = b.terminationProtection;
        tags = Map.copyOf(b.tags);
        acceptZoneLossRisk = b.acceptZoneLossRisk;
        bootstrapJarPath = b.bootstrapJarPath;
        bootstrapBucket = Optional.ofNullable(b.bootstrapBucket);
        convergeTimeoutSeconds = b.convergeTimeoutSeconds;
        alarmTopicArn = Optional.ofNullable(b.alarmTopicArn);
        backups = Optional.ofNullable(b.backups);
        restoreFrom = Optional.ofNullable(b.restoreFrom).filter(r -> !r.isBlank());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validates every input; see {@link ClusterSettings#validate}. */
    public ClusterSettings validate(String name) {
        return ClusterSettings.validate(name, this);
    }

    public static final class Builder {
        private int masters = 3;
        private int replicasPerMaster = 1;
        private List<String> zones = List.of();
        private Output<String> vpcId;
        private List<Output<String>> subnetIds = List.of();
        private String vpcCidr = "10.42.0.0/16";
        private Output<String> s3PrefixListId;
        private String instanceType = DEFAULT_INSTANCE_TYPE;
        private Supplier<Output<String>> imageId;
        private boolean imageProvidesTunings;
        private String previousPlan;
        private String previousScalingBase;
        private List<PlannedNode> previousRetiringNodes = List.of();
        private boolean retiredNodesDrained;
        private int nodeGeneration;
        private List<Integer> previousNodeGenerations = List.of();
        private boolean retiredGenerationDrained;
        private Integer dataVolumeSizeGib;
        private int nodeTimeoutMs = RedisDirectives.DEFAULT_NODE_TIMEOUT_MS;
        private int minReplicasToWrite;
        private int minReplicasMaxLagSeconds = RedisDirectives.DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS;
        private int maxmemoryPercent = 70;
        private Integer maxmemoryMb;
        private String maxmemoryPolicy = RedisDirectives.DEFAULT_MAXMEMORY_POLICY;
        private Output<String> authPassword;
        private List<String> allowedClientCidrs = List.of();
        private List<Output<String>> allowedClientSecurityGroupIds = List.of();
        private boolean tls;
        private String engine = DEFAULT_ENGINE;
        private String engineVersion = DEFAULT_ENGINE_VERSION;
        private Output<String> tlsCaCertificate;
        private Output<String> tlsCertificate;
        private Output<String> tlsPrivateKey;
        private boolean terminationProtection = true;
        private Map<String, String> tags = new LinkedHashMap<>();
        private boolean acceptZoneLossRisk;
        private String bootstrapJarPath = "cli/target/redis-ha-node.jar";
        private Output<String> bootstrapBucket;
        private int convergeTimeoutSeconds = 900;
        private Output<String> alarmTopicArn;
        private BackupArgs backups;
        private String restoreFrom;

        /** Scheduled backups ({@link BackupArgs}); null: none. */
        public Builder backups(BackupArgs backups) {
            this.backups = backups;
            return this;
        }

        /** A backup's S3 folder to restore when the cluster is created; null or blank: none. */
        public Builder restoreFrom(String backupUri) {
            this.restoreFrom = backupUri;
            return this;
        }

        /** SNS topic that receives the alarms' ALARM and OK notifications. */
        public Builder alarmTopicArn(Output<String> topicArn) {
            this.alarmTopicArn = topicArn;
            return this;
        }

        public Builder alarmTopicArn(String topicArn) {
            return alarmTopicArn(Output.of(topicArn));
        }

        public Builder masters(int masters) {
            this.masters = masters;
            return this;
        }

        public Builder replicasPerMaster(int replicasPerMaster) {
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        public Builder zones(List<String> zones) {
            this.zones = Objects.requireNonNull(zones, "zones");
            return this;
        }

        public Builder zones(String... zones) {
            return zones(List.of(zones));
        }

        public Builder vpcId(Output<String> vpcId) {
            this.vpcId = vpcId;
            return this;
        }

        public Builder vpcId(String vpcId) {
            return vpcId(Output.of(vpcId));
        }

        public Builder subnetIds(List<Output<String>> subnetIds) {
            this.subnetIds = Objects.requireNonNull(subnetIds, "subnetIds");
            return this;
        }

        public Builder subnetIds(String... subnetIds) {
            List<Output<String>> ids = new ArrayList<>();
            for (String id : subnetIds) {
                ids.add(Output.of(id));
            }
            return subnetIds(ids);
        }

        public Builder vpcCidr(String vpcCidr) {
            this.vpcCidr = vpcCidr;
            return this;
        }

        public Builder s3PrefixListId(Output<String> s3PrefixListId) {
            this.s3PrefixListId = s3PrefixListId;
            return this;
        }

        public Builder instanceType(String instanceType) {
            this.instanceType = instanceType;
            return this;
        }

        /** Hook for the node image: pass {@code RedisNodeImage#imageId()} here, or any AMI id. */
        public Builder imageId(Output<String> imageId) {
            return nodeImage(() -> imageId);
        }

        /**
         * The node image, declared by {@code image} only once every input is valid: the component
         * calls it once, after validation, so a refused config declares nothing (not even the image).
         */
        public Builder nodeImage(Supplier<Output<String>> image) {
            this.imageId = image;
            return this;
        }

        public Builder imageId(String imageId) {
            return imageId(Output.of(imageId));
        }

        /** True when the AMI is the redis-ha node image, or an own AMI that passed {@code redis-ha-check-tunings}. */
        public Builder imageProvidesTunings(boolean imageProvidesTunings) {
            this.imageProvidesTunings = imageProvidesTunings;
            return this;
        }

        /** The last deployment's {@code plan} output (Plan JSON); null or blank for a new cluster. */
        public Builder previousPlan(String planJson) {
            this.previousPlan = planJson;
            return this;
        }

        /** The last deployment's {@code scalingBase} output (Plan JSON); null or blank when there is none. */
        public Builder previousScalingBase(String planJson) {
            this.previousScalingBase = planJson;
            return this;
        }

        /** The last deployment's {@code retiringNodes} output, read with {@link ScaleIn#nodeOf}. */
        public Builder previousRetiringNodes(List<PlannedNode> nodes) {
            this.previousRetiringNodes = Objects.requireNonNull(nodes, "previousRetiringNodes");
            return this;
        }

        public Builder retiredNodesDrained(boolean retiredNodesDrained) {
            this.retiredNodesDrained = retiredNodesDrained;
            return this;
        }

        public Builder nodeGeneration(int generation) {
            this.nodeGeneration = generation;
            return this;
        }

        public Builder previousNodeGenerations(List<Integer> generations) {
            this.previousNodeGenerations = Objects.requireNonNull(generations, "previousNodeGenerations");
            return this;
        }

        public Builder retiredGenerationDrained(boolean drained) {
            this.retiredGenerationDrained = drained;
            return this;
        }

        public Builder dataVolumeSizeGib(int gib) {
            this.dataVolumeSizeGib = gib;
            return this;
        }

        public Builder nodeTimeoutMs(int nodeTimeoutMs) {
            this.nodeTimeoutMs = nodeTimeoutMs;
            return this;
        }

        /** Safe write mode: {@code min-replicas-to-write} (0 = off). */
        public Builder minReplicasToWrite(int replicas) {
            this.minReplicasToWrite = replicas;
            return this;
        }

        public Builder minReplicasMaxLagSeconds(int seconds) {
            this.minReplicasMaxLagSeconds = seconds;
            return this;
        }

        public Builder maxmemoryPercent(int maxmemoryPercent) {
            this.maxmemoryPercent = maxmemoryPercent;
            return this;
        }

        public Builder maxmemoryMb(int maxmemoryMb) {
            this.maxmemoryMb = maxmemoryMb;
            return this;
        }

        public Builder maxmemoryPolicy(String maxmemoryPolicy) {
            this.maxmemoryPolicy = maxmemoryPolicy;
            return this;
        }

        /** The AUTH password; it is made a secret here if it is not one already. */
        public Builder authPassword(Output<String> authPassword) {
            this.authPassword = authPassword == null ? null : authPassword.asSecret();
            return this;
        }

        public Builder allowedClientCidrs(List<String> cidrs) {
            this.allowedClientCidrs = Objects.requireNonNull(cidrs, "allowedClientCidrs");
            return this;
        }

        public Builder allowedClientSecurityGroupIds(List<Output<String>> ids) {
            this.allowedClientSecurityGroupIds = Objects.requireNonNull(ids, "allowedClientSecurityGroupIds");
            return this;
        }

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** {@code redis} (default) or {@code valkey}. */
        public Builder engine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Default {@value RedisClusterArgs#DEFAULT_ENGINE_VERSION}. */
        public Builder engineVersion(String engineVersion) {
            this.engineVersion = Objects.requireNonNull(engineVersion, "engineVersion");
            return this;
        }

        /** TLS material; the private key is made a secret. */
        public Builder tlsMaterial(Output<String> caCertificatePem, Output<String> certificatePem, Output<String> privateKeyPem) {
            this.tlsCaCertificate = caCertificatePem;
            this.tlsCertificate = certificatePem;
            this.tlsPrivateKey = privateKeyPem == null ? null : privateKeyPem.asSecret();
            return this;
        }

        public Builder terminationProtection(boolean terminationProtection) {
            this.terminationProtection = terminationProtection;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = new LinkedHashMap<>(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        public Builder acceptZoneLossRisk(boolean acceptZoneLossRisk) {
            this.acceptZoneLossRisk = acceptZoneLossRisk;
            return this;
        }

        public Builder bootstrapJarPath(String bootstrapJarPath) {
            this.bootstrapJarPath = bootstrapJarPath;
            return this;
        }

        public Builder bootstrapBucket(Output<String> bucketName) {
            this.bootstrapBucket = bucketName;
            return this;
        }

        public Builder convergeTimeoutSeconds(int seconds) {
            this.convergeTimeoutSeconds = seconds;
            return this;
        }

        public RedisClusterArgs build() {
            return new RedisClusterArgs(this);
        }
    }
}
