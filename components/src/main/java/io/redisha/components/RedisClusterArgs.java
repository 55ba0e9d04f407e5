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
 * <p>Each input is declared once, here: a field whose {@link ClusterInput} says what it means (and
 * whether the policy pack judges it, the stack reads it, the provider serves it), whose initial value
 * in {@link Builder} is its default. {@link ClusterSchema} derives the provider schema, the judged
 * inputs and the stack's config keys from these fields; the builder methods are the typed Java API.
 * Defaults are chosen for production: 3 masters with a replica each over three zones, a
 * memory-optimised instance, 70% of memory for data, {@code noeviction}, termination protection
 * on, and a refusal of any layout that does not survive the loss of a zone.
 */
public final class RedisClusterArgs {
    public static final String DEFAULT_INSTANCE_TYPE = "r6i.large";
    /** The server the default node image installs (one fact, the image's). */
    public static final String DEFAULT_ENGINE = io.redisha.image.RedisNodeImageArgs.DEFAULT_ENGINE;
    public static final String DEFAULT_ENGINE_VERSION = io.redisha.image.RedisNodeImageArgs.DEFAULT_ENGINE_VERSION;

    @ClusterInput(value = "Number of shards (masters); at least 3, and no zone may hold a majority of them.", judged = true)
    final int masters;
    @ClusterInput(value = "Replicas per master, each in a zone other than its master's; 2 is safer for production (needs 3 zones).", judged = true)
    final int replicasPerMaster;
    /** The count (3) of the default is fixed at declaration so the plan is validated up front; the names are looked up at deploy time. */
    @ClusterInput(value = "Availability zones in the order the planner rotates over. Default: the region's first three available zones; required with vpcId.", judged = true)
    final List<String> zones;
    @ClusterInput("Existing VPC. Default: a new VPC with one private subnet per zone and SSM/S3 endpoints.")
    final Optional<Output<String>> vpcId;
    @ClusterInput("With vpcId: one private subnet per zone, in the order of zones.")
    final List<Output<String>> subnetIds;
    @ClusterInput("IPv4 /16 of the new VPC, or of the existing VPC (nodes may reach HTTPS endpoints in it).")
    final String vpcCidr;
    @ClusterInput(value = "With an existing VPC: the S3 gateway endpoint's prefix list the nodes may reach over HTTPS.", stackConfig = false)
    final Optional<Output<String>> s3PrefixListId;
    @ClusterInput(value = "EC2 instance type; memory known for r/m/c 5th-7th generation and t3/t4g (else set maxmemoryMb);"
            + " Graviton types (r7g, m7g, ...) run an arm64 image.", judged = true)
    final String instanceType;
    /** Asked for once, after every input is valid ({@link Builder#nodeImage}: a refused config declares no image). */
    @ClusterInput(value = "AMI of the nodes: the redis-ha node image or your own with redis-server 7, OpenJDK 17 and the SSM agent.", required = true)
    final Optional<Supplier<Output<String>>> imageId;
    @ClusterInput("The AMI guarantees the node-image tunings (THP never, overcommit, somaxconn, nofile); instances then carry the tunings tags."
            + " True for the redis-ha node image, or for your own AMI after redis-ha-check-tunings passed on an instance of it.")
    final boolean imageProvidesTunings;
    /** Plain, like every structural input: it decides which instances exist during a scale-in ({@link ScaleIn}). */
    @ClusterInput(value = "The last deployment's plan output (Plan JSON): the scaling summary and the two-phase scale-in are decided against it.",
            stackConfig = false)
    final Optional<String> previousPlan;
    @ClusterInput(value = "The last deployment's scalingBase output: an unchanged deployment then changes no output.", stackConfig = false)
    final Optional<String> previousScalingBase;
    @ClusterInput(value = "The last deployment's retiringNodes output.", stackConfig = false)
    final List<PlannedNode> previousRetiringNodes;
    @ClusterInput("Phase 2 of a scale-in: the nodes the last deployment retired are drained (redis-ha check), delete their instances.")
    final boolean retiredNodesDrained;
    /** See {@link NodeGenerations}. */
    @ClusterInput("Generation of the node instances: +1 replaces every node (new image, type, user data) by a rolling replacement.")
    final int nodeGeneration;
    @ClusterInput(value = "The last deployment's nodeGenerations output.", stackConfig = false)
    final List<Integer> previousNodeGenerations;
    @ClusterInput("Phase 2 of a roll: the previous generation left the cluster (redis-ha check), delete its instances.")
    final boolean retiredGenerationDrained;
    @ClusterInput("Size of the encrypted gp3 data volume. Default: three times maxmemory (AOF rewrite needs room), at least 20 GiB.")
    final Optional<Integer> dataVolumeSizeGib;
    @ClusterInput(value = "cluster-node-timeout in ms, {validRange}.", judged = true)
    final int nodeTimeoutMs;
    /**
     * A master cut off from its replicas then stops accepting writes that the other side's promotion would lose. With 1 and
     * one replica per master, a shard refuses writes while its replica is down or being replaced: prefer 2 replicas per master.
     */
    @ClusterInput("Safe write mode: min-replicas-to-write on every node, 0..replicasPerMaster (0: plain writes);"
            + " clients add WAIT 1 <ms> to writes that must survive.")
    final int minReplicasToWrite;
    @ClusterInput("min-replicas-max-lag in seconds, {validRange}, with minReplicasToWrite.")
    final int minReplicasMaxLagSeconds;
    /** The OS and fork copy-on-write keep the rest. */
    @ClusterInput(value = "Share of the instance's memory Redis may use, {validRange}.", judged = true)
    final int maxmemoryPercent;
    @ClusterInput("Explicit maxmemory in MiB; overrides the percentage (required for instance types whose memory is not known).")
    final Optional<Integer> maxmemoryMb;
    @ClusterInput("maxmemory-policy; noeviction refuses writes rather than silently dropping keys.")
    final String maxmemoryPolicy;
    @ClusterInput(value = "The AUTH password (a secret); stored only as an SSM SecureString.", required = true, secret = true)
    final Optional<Output<String>> authPassword;
    @ClusterInput("CIDRs allowed to reach port 6379; 0.0.0.0/0 and ::/0 are refused.")
    final List<String> allowedClientCidrs;
    @ClusterInput("Security groups allowed to reach port 6379, besides the cluster's own client group.")
    final List<Output<String>> allowedClientSecurityGroupIds;
    @ClusterInput(value = "TLS for clients, replication and the cluster bus; needs the three PEMs.", judged = true)
    final boolean tls;
    /** Registered for the policy pack only when it or engineVersion is not the default ({@link JudgedInputs}). */
    @ClusterInput(value = "Server the nodes run: redis or valkey. The image must carry it; a change reaches the nodes only by a new nodeGeneration.",
            judged = true)
    final String engine;
    @ClusterInput(value = "Its version: a line such as 7.0, 8.2, 8.1 (valkey) or an exact 8.2.3; each node checks it at boot."
            + " Changed by a new nodeGeneration only.", judged = true)
    final String engineVersion;
    @ClusterInput("PEM of the CA that signed the node certificate (TLS only).")
    final Optional<Output<String>> tlsCaCertificate;
    @ClusterInput("PEM of the certificate every node serves (TLS only).")
    final Optional<Output<String>> tlsCertificate;
    @ClusterInput(value = "PEM of its private key, kept a secret (TLS only).", secret = true)
    final Optional<Output<String>> tlsPrivateKey;
    @ClusterInput("EC2 termination protection on every node.")
    final boolean terminationProtection;
    @ClusterInput(value = "Tags added to every resource that takes tags; keys starting with redis-ha: or aws: are reserved.", stackConfig = false)
    final Map<String, String> tags;
    @ClusterInput("Plan a layout that does not survive the loss of a zone instead of refusing it.")
    final boolean acceptZoneLossRisk;
    @ClusterInput(value = "Path of the bootstrap jar uploaded to S3, relative to the Pulumi project.", provider = false)
    final String bootstrapJarPath;
    @ClusterInput(value = "Existing bucket for the bootstrap jar. Default: a private, encrypted bucket of the component.", stackConfig = false)
    final Optional<Output<String>> bootstrapBucket;
    @ClusterInput("How long the deployment waits for redis-ha converge on node-0-0, {validRange}.")
    final int convergeTimeoutSeconds;
    @ClusterInput("SNS topic for the alarms' ALARM and OK notifications. Default: none (alarms visible in the console only).")
    final Optional<Output<String>> alarmTopicArn;
    /** See {@link BackupArgs} and {@link ClusterBackups}. */
    @ClusterInput(value = "Scheduled backups to S3: schedule (rate(...) 30 minutes..3 days, or a daily/hourly cron(...); default"
            + " rate(1 day)), retentionDays ({validRange:backups.retentionDays}, default 7), bucket (existing; default: a created bucket with versioning,"
            + " SSE-KMS, public access blocked and the retention rule), kmsKeyArn (existing key; default: a created key)."
            + " Nodes may write under <cluster>/ only, never delete; an alarm fires when no backup succeeded within twice the schedule.",
            judged = true)
    final Optional<BackupArgs> backups;
    @ClusterInput("A backup's S3 folder (s3://bucket/prefix/<backup id>) restored into a NEW cluster after converge, before"
            + " the deployment reports ready; ignored (with a warning) on a running cluster.")
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

        /** Null: none. */
        public Builder backups(BackupArgs backups) {
            this.backups = backups;
            return this;
        }

        /** Null or blank: none. */
        public Builder restoreFrom(String backupUri) {
            this.restoreFrom = backupUri;
            return this;
        }

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

        public Builder imageProvidesTunings(boolean imageProvidesTunings) {
            this.imageProvidesTunings = imageProvidesTunings;
            return this;
        }

        /** Null or blank for a new cluster. */
        public Builder previousPlan(String planJson) {
            this.previousPlan = planJson;
            return this;
        }

        /** Null or blank when there is none. */
        public Builder previousScalingBase(String planJson) {
            this.previousScalingBase = planJson;
            return this;
        }

        /** Read with {@link ScaleIn#nodeOf}. */
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

        public Builder engine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        public Builder engineVersion(String engineVersion) {
            this.engineVersion = Objects.requireNonNull(engineVersion, "engineVersion");
            return this;
        }

        /** TLS material, the three PEMs at once; the private key is made a secret. */
        public Builder tlsMaterial(Output<String> caCertificatePem, Output<String> certificatePem, Output<String> privateKeyPem) {
            return tlsCaCertificate(caCertificatePem).tlsCertificate(certificatePem).tlsPrivateKey(privateKeyPem);
        }

        public Builder tlsCaCertificate(Output<String> pem) {
            this.tlsCaCertificate = pem;
            return this;
        }

        public Builder tlsCertificate(Output<String> pem) {
            this.tlsCertificate = pem;
            return this;
        }

        /** Made a secret here if it is not one already. */
        public Builder tlsPrivateKey(Output<String> pem) {
            this.tlsPrivateKey = pem == null ? null : pem.asSecret();
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

        /**
         * Sets input {@code name} through the builder method of that name that takes {@code value} (boxed
         * numbers and booleans included): for the readers that go by the inputs' names, the component
         * provider and the cluster stack's config.
         */
        public Builder input(String name, Object value) {
            for (java.lang.reflect.Method m : Builder.class.getMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 1
                        && java.lang.invoke.MethodType.methodType(m.getParameterTypes()[0]).wrap().returnType().isInstance(value)) {
                    try {
                        m.invoke(this, value);
                        return this;
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            throw new IllegalArgumentException("RedisClusterArgs.Builder has no method " + name + "(" + value.getClass().getSimpleName() + ")");
        }

        public RedisClusterArgs build() {
            return new RedisClusterArgs(this);
        }
    }
}
