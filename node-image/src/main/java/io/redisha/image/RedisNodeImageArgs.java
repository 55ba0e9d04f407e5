package io.redisha.image;

import io.redisha.topology.InstanceTypes;
import io.redisha.topology.ServerVersion;
import com.pulumi.core.Output;
import com.pulumi.resources.ResourceArgs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Inputs of {@link RedisNodeImage}. Build with {@link #builder()}; every input is checked by
 * {@link #validate(String)} before the component declares anything.
 */
public final class RedisNodeImageArgs extends ResourceArgs {

    /**
     * Default parent image: Ubuntu 24.04 LTS (amd64, gp3), resolved by Image Builder from
     * Canonical's public SSM parameter at build time. Ubuntu rather than Debian 12 because Image
     * Builder supports Ubuntu as a build platform; its archive ships redis-server 7.0.x (same
     * major as Debian 12, which the tests use), OpenJDK 17, and the AMI ships the SSM agent.
     */
    public static final String DEFAULT_PARENT_IMAGE =
            "ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
    /** The same Ubuntu for Graviton ({@code architecture("arm64")}): Canonical publishes both. */
    public static final String ARM64_PARENT_IMAGE =
            "ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id";
    /** Build instances for an arm64 image: Image Builder builds on the architecture it targets. */
    public static final List<String> ARM64_INSTANCE_TYPES = List.of("t4g.medium");
    public static final String DEFAULT_VERSION = "1.0.0";
    public static final List<String> DEFAULT_INSTANCE_TYPES = List.of("t3.medium");
    public static final int DEFAULT_TESTS_TIMEOUT_MINUTES = 60;

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern PARENT_IMAGE = Pattern.compile(
            "ami-[0-9a-f]{8,17}|ssm:\\S+|arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:(aws|\\d{12}):image/\\S+");
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    // Image Builder schedules: cron(minutes hours day-of-month month day-of-week year).
    private static final Pattern CRON = Pattern.compile("cron\\(\\S+( \\S+){5}\\)");

    public static final String DEFAULT_ENGINE = "redis";
    /** The line Ubuntu 24.04's archive ships (7.0.15). */
    public static final String DEFAULT_ENGINE_VERSION = "7.0";

    private final String architecture;
    private final String engine;
    private final String engineVersion;
    private final String parentImage;
    private final String version;
    private final List<String> regions;
    private final List<String> instanceTypes;
    private final Optional<Output<String>> subnetId;
    private final Optional<Output<List<String>>> securityGroupIds;
    private final Optional<String> rebuildSchedule;
    private final int imageTestsTimeoutMinutes;
    private final Map<String, String> tags;

    private RedisNodeImageArgs(Builder b) {
        boolean arm = InstanceTypes.ARM64.equals(b.architecture);
        this.architecture = b.architecture;
        this.engine = b.engine;
        this.engineVersion = b.engineVersion;
        this.parentImage = b.parentImage.orElse(arm ? ARM64_PARENT_IMAGE : DEFAULT_PARENT_IMAGE);
        this.version = b.version;
        this.regions = List.copyOf(b.regions);
        this.instanceTypes = List.copyOf(b.instanceTypes.orElse(arm ? ARM64_INSTANCE_TYPES : DEFAULT_INSTANCE_TYPES));
        this.subnetId = b.subnetId;
        this.securityGroupIds = b.securityGroupIds;
        this.rebuildSchedule = b.rebuildSchedule;
        this.imageTestsTimeoutMinutes = b.imageTestsTimeoutMinutes;
        this.tags = Map.copyOf(b.tags);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parent image: AMI id, {@code ssm:<parameter>} or Image Builder image ARN. */
    /** {@code x86_64} (default) or {@code arm64} (Graviton); the nodes' instance type decides (see {@link InstanceTypes#architecture}). */
    public String architecture() {
        return architecture;
    }

    public String parentImage() {
        return parentImage;
    }

    /** {@code redis} (default) or {@code valkey}: the server the image installs. */
    public String engine() {
        return engine;
    }

    /** The version installed: a line ({@code 7.0}, {@code 8.2}) or an exact release ({@code 8.1.4}, required for valkey). */
    public String engineVersion() {
        return engineVersion;
    }

    /** Where the server comes from; call after {@link #validate(String)}. */
    public ServerSource serverSource() {
        return ServerSource.of(ServerVersion.of("engine", engine, "engineVersion", engineVersion), engineVersion, new ArrayList<>())
                .orElseThrow();
    }

    /** Semantic version of the components and recipe (MAJOR.MINOR.PATCH). */
    public String version() {
        return version;
    }

    /** Regions the AMI is distributed to; the first is where {@link RedisNodeImage#amiId()} points. */
    public List<String> regions() {
        return regions;
    }

    public List<String> instanceTypes() {
        return instanceTypes;
    }

    public Optional<Output<String>> subnetId() {
        return subnetId;
    }

    public Optional<Output<List<String>>> securityGroupIds() {
        return securityGroupIds;
    }

    /** When present, a pipeline rebuilds (and re-patches) the image on this cron schedule. */
    public Optional<String> rebuildSchedule() {
        return rebuildSchedule;
    }

    public int imageTestsTimeoutMinutes() {
        return imageTestsTimeoutMinutes;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** The partition of the home region, for AWS managed policy ARNs. */
    public String partition() {
        String home = regions.get(0);
        if (home.startsWith("cn-")) {
            return "aws-cn";
        }
        return home.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** Every problem with these args for a component named {@code name}; empty when valid. */
    public List<String> problems(String name) {
        var problems = new ArrayList<String>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name='" + name + "' is not valid; use 1-40 lowercase letters, digits and inner"
                    + " hyphens (it prefixes IAM and Image Builder names)");
        }
        if (!PARENT_IMAGE.matcher(parentImage).matches()) {
            problems.add("parentImage='" + parentImage + "' is not an AMI id (ami-...), an SSM parameter"
                    + " (ssm:/...) or an Image Builder image ARN; default is " + DEFAULT_PARENT_IMAGE);
        }
        if (!SEMVER.matcher(version).matches()) {
            problems.add("version='" + version + "' is not a semantic version; use MAJOR.MINOR.PATCH such as 1.0.0");
        }
        if (regions.isEmpty()) {
            problems.add("regions=[] is empty; give at least the region the cluster runs in, e.g. [us-east-1]");
        }
        regions.stream().filter(r -> !REGION.matcher(r).matches()).forEach(r ->
                problems.add("regions contains '" + r + "', which is not an AWS region name such as eu-west-1"));
        if (regions.stream().distinct().count() != regions.size()) {
            problems.add("regions=" + regions + " lists a region twice; list each region once");
        }
        if (!List.of(InstanceTypes.X86_64, InstanceTypes.ARM64).contains(architecture)) {
            problems.add("architecture='" + architecture + "' is not valid; use x86_64 or arm64 (Graviton)");
        } else {
            String other = InstanceTypes.ARM64.equals(architecture) ? "/amd64/" : "/arm64/";
            if (parentImage.contains(other)) {
                problems.add("parentImage='" + parentImage + "' is for " + other.replace("/", "") + ", but architecture is "
                        + architecture + "; use an " + architecture + " parent image or leave it unset");
            }
            instanceTypes.stream().filter(t -> !InstanceTypes.architecture(t).equals(architecture)).forEach(t ->
                    problems.add("instanceTypes contains '" + t + "', an " + InstanceTypes.architecture(t) + " type; an "
                            + architecture + " image is built on " + architecture + " instances, e.g. "
                            + (InstanceTypes.ARM64.equals(architecture) ? ARM64_INSTANCE_TYPES : DEFAULT_INSTANCE_TYPES).get(0)));
        }
        try {
            ServerVersion server = ServerVersion.of("engine", engine, "engineVersion", engineVersion);
            server.unsupportedReason("engine=" + engine + ", engineVersion=" + engineVersion).ifPresentOrElse(problems::add,
                    () -> ServerSource.of(server, engineVersion, problems));
        } catch (io.redisha.topology.InvalidInputException e) {
            problems.add(e.getMessage());
        }
        if (instanceTypes.isEmpty()) {
            problems.add("instanceTypes=[] is empty; give at least one build instance type, e.g. t3.medium");
        }
        instanceTypes.stream().filter(t -> !INSTANCE_TYPE.matcher(t).matches()).forEach(t ->
                problems.add("instanceTypes contains '" + t + "', which is not an EC2 instance type such as t3.medium"));
        rebuildSchedule.filter(s -> !CRON.matcher(s).matches()).ifPresent(s ->
                problems.add("rebuildSchedule='" + s + "' is not an Image Builder cron expression with six fields,"
                        + " such as cron(0 3 ? * SUN *) for Sundays 03:00 UTC"));
        if (imageTestsTimeoutMinutes < 60 || imageTestsTimeoutMinutes > 1440) {
            problems.add("imageTestsTimeoutMinutes=" + imageTestsTimeoutMinutes
                    + " is out of range; Image Builder accepts 60 to 1440");
        }
        tags.keySet().stream().filter(k -> k.startsWith("redis-ha:")).forEach(k ->
                problems.add("tags contains '" + k + "'; the redis-ha: prefix is reserved for the tags the image sets"));
        return problems;
    }

    /** Throws with every problem, each naming the input, its value and what is valid. */
    public RedisNodeImageArgs validate(String name) {
        List<String> problems = problems(name);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("RedisNodeImage '" + name + "': " + String.join("; ", problems));
        }
        return this;
    }

    /** Builder in the pulumi-java style; unset inputs take the documented defaults. */
    public static final class Builder {
        private String architecture = InstanceTypes.X86_64;
        private String engine = DEFAULT_ENGINE;
        private String engineVersion = DEFAULT_ENGINE_VERSION;
        private Optional<String> parentImage = Optional.empty();
        private String version = DEFAULT_VERSION;
        private List<String> regions = List.of();
        private Optional<List<String>> instanceTypes = Optional.empty();
        private Optional<Output<String>> subnetId = Optional.empty();
        private Optional<Output<List<String>>> securityGroupIds = Optional.empty();
        private Optional<String> rebuildSchedule = Optional.empty();
        private int imageTestsTimeoutMinutes = DEFAULT_TESTS_TIMEOUT_MINUTES;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Default x86_64. {@code arm64} builds the image for Graviton instances: the arm64 Ubuntu
         * parent and arm64 build instances, unless those are given.
         */
        public Builder architecture(String architecture) {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        /** Default {@value RedisNodeImageArgs#DEFAULT_ENGINE}; or {@code valkey}. */
        public Builder engine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Default {@value RedisNodeImageArgs#DEFAULT_ENGINE_VERSION} (Ubuntu's archive); 7.2+ from packages.redis.io; valkey: an exact release. */
        public Builder engineVersion(String engineVersion) {
            this.engineVersion = Objects.requireNonNull(engineVersion, "engineVersion");
            return this;
        }

        /** Default {@link #DEFAULT_PARENT_IMAGE} (Ubuntu 24.04 LTS via SSM), or {@link #ARM64_PARENT_IMAGE} for arm64. */
        public Builder parentImage(String parentImage) {
            this.parentImage = Optional.of(Objects.requireNonNull(parentImage, "parentImage"));
            return this;
        }

        /** Default {@value #DEFAULT_VERSION}; bump it to publish changed components. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Required: distribution regions, home region first. */
        public Builder regions(List<String> regions) {
            this.regions = List.copyOf(regions);
            return this;
        }

        public Builder regions(String... regions) {
            return regions(List.of(regions));
        }

        /** Build instance types; default t3.medium. */
        public Builder instanceTypes(List<String> instanceTypes) {
            this.instanceTypes = Optional.of(List.copyOf(instanceTypes));
            return this;
        }

        /** Subnet for the build instance (needs egress to the Ubuntu archive); default: default VPC. */
        public Builder subnetId(Output<String> subnetId) {
            this.subnetId = Optional.of(subnetId);
            return this;
        }

        public Builder securityGroupIds(Output<List<String>> securityGroupIds) {
            this.securityGroupIds = Optional.of(securityGroupIds);
            return this;
        }

        /** Cron schedule for patched rebuilds; unset means no pipeline (build once). */
        public Builder rebuildSchedule(String cron) {
            this.rebuildSchedule = Optional.of(Objects.requireNonNull(cron, "rebuildSchedule"));
            return this;
        }

        /** Default 60 minutes (Image Builder's minimum). */
        public Builder imageTestsTimeoutMinutes(int minutes) {
            this.imageTestsTimeoutMinutes = minutes;
            return this;
        }

        /** Extra tags for every resource and the AMI; the {@code redis-ha:} prefix is reserved. */
        public Builder tags(Map<String, String> tags) {
            this.tags.clear();
            this.tags.putAll(tags);
            return this;
        }

        public RedisNodeImageArgs build() {
            return new RedisNodeImageArgs(this);
        }
    }
}
