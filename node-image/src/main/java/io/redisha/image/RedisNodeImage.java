package io.redisha.image;

import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.imagebuilder.Component;
import com.pulumi.aws.imagebuilder.ComponentArgs;
import com.pulumi.aws.imagebuilder.DistributionConfiguration;
import com.pulumi.aws.imagebuilder.DistributionConfigurationArgs;
import com.pulumi.aws.imagebuilder.Image;
import com.pulumi.aws.imagebuilder.ImageArgs;
import com.pulumi.aws.imagebuilder.ImagePipeline;
import com.pulumi.aws.imagebuilder.ImagePipelineArgs;
import com.pulumi.aws.imagebuilder.ImageRecipe;
import com.pulumi.aws.imagebuilder.ImageRecipeArgs;
import com.pulumi.aws.imagebuilder.InfrastructureConfiguration;
import com.pulumi.aws.imagebuilder.InfrastructureConfigurationArgs;
import com.pulumi.aws.imagebuilder.inputs.DistributionConfigurationDistributionAmiDistributionConfigurationArgs;
import com.pulumi.aws.imagebuilder.inputs.DistributionConfigurationDistributionArgs;
import com.pulumi.aws.imagebuilder.inputs.ImageImageTestsConfigurationArgs;
import com.pulumi.aws.imagebuilder.inputs.ImagePipelineImageTestsConfigurationArgs;
import com.pulumi.aws.imagebuilder.inputs.ImagePipelineScheduleArgs;
import com.pulumi.aws.imagebuilder.inputs.ImageRecipeComponentArgs;
import com.pulumi.aws.imagebuilder.inputs.ImageRecipeComponentParameterArgs;
import com.pulumi.aws.imagebuilder.inputs.ImageRecipeSystemsManagerAgentArgs;
import com.pulumi.aws.imagebuilder.inputs.InfrastructureConfigurationInstanceMetadataOptionsArgs;
import com.pulumi.aws.imagebuilder.outputs.ImageOutputResource;
import com.pulumi.aws.imagebuilder.outputs.ImageOutputResourceAmi;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import io.redisha.topology.NodeTunings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A tuned redis-ha node AMI built by EC2 Image Builder: Redis 7, OpenJDK 17 and the SSM agent
 * on Ubuntu 24.04, with the guide's production checklist ({@link NodeTunings}) baked in and
 * verified by AWSTOE validate (build instance) and test (fresh instance from the AMI) phases.
 *
 * <p>Children: an instance role and profile limited to EC2InstanceProfileForImageBuilder and
 * AmazonSSMManagedInstanceCore, two components, a recipe, an infrastructure and a distribution
 * configuration, the image and, when a rebuild schedule is given, a pipeline.
 */
public class RedisNodeImage extends ComponentResource {

    public static final String TYPE = "redis-ha:index:RedisNodeImage";

    static final List<String> MANAGED_POLICIES = List.of(
            "EC2InstanceProfileForImageBuilder", "AmazonSSMManagedInstanceCore");
    private static final Pattern AMI_ID = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final String EC2_TRUST_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},\
            "Action":"sts:AssumeRole"}]}""";

    private final Output<String> amiId;
    private final Output<String> imageArn;
    private final Optional<Output<String>> pipelineArn;

    public RedisNodeImage(String name, RedisNodeImageArgs args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public RedisNodeImage(String name, RedisNodeImageArgs args, ComponentResourceOptions options) {
        // Validation runs inside the super(...) argument list: invalid args throw before even the
        // component itself is registered, so nothing is declared.
        super(TYPE, name, validated(name, args), options);
        var child = CustomResourceOptions.builder().parent(this).build();
        Map<String, String> tags = new LinkedHashMap<>(args.tags());
        tags.put(NodeTunings.IMAGE_TAG_KEY, NodeTunings.IMAGE_TAG_VALUE);

        var role = new Role(name + "-instance-role", RoleArgs.builder()
                .description("redis-ha node image build/test instances (" + name + ")")
                .assumeRolePolicy(EC2_TRUST_POLICY)
                .tags(tags)
                .build(), child);
        List<RolePolicyAttachment> attachments = MANAGED_POLICIES.stream()
                .map(policy -> new RolePolicyAttachment(name + "-" + suffix(policy), RolePolicyAttachmentArgs.builder()
                        .role(role.name())
                        .policyArn("arn:" + args.partition() + ":iam::aws:policy/" + policy)
                        .build(), child))
                .toList();
        var profile = new InstanceProfile(name + "-instance-profile", InstanceProfileArgs.builder()
                .role(role.name())
                .tags(tags)
                .build(), child);

        var packages = new Component(name + "-packages", ComponentArgs.builder()
                .description("redis-server or valkey-server (recipe parameters Engine, EngineVersion, ServerSource), OpenJDK 17, SSM agent")
                .platform("Linux")
                .version(args.version())
                .data(NodeImageDocuments.packagesDocument())
                .tags(tags)
                .build(), child);
        var tunings = new Component(name + "-tunings", ComponentArgs.builder()
                .description("redis-ha kernel and service tunings: " + NodeTunings.tagValue())
                .platform("Linux")
                .version(args.version())
                .data(NodeImageDocuments.tuningsDocument())
                .tags(tags)
                .build(), child);

        var recipe = new ImageRecipe(name + "-recipe", ImageRecipeArgs.builder()
                .description("redis-ha node: " + args.parentImage() + " + " + args.engine() + " " + args.engineVersion() + " + packages + tunings")
                .parentImage(args.parentImage())
                .version(args.version())
                .components(
                        ImageRecipeComponentArgs.builder().componentArn(packages.arn()).parameters(
                                ImageRecipeComponentParameterArgs.builder().name("Engine").value(args.engine()).build(),
                                ImageRecipeComponentParameterArgs.builder().name("EngineVersion").value(args.engineVersion()).build(),
                                ImageRecipeComponentParameterArgs.builder().name("ServerSource").value(args.serverSource().name()).build()).build(),
                        ImageRecipeComponentArgs.builder().componentArn(tunings.arn()).build())
                // The bootstrap runner reaches nodes through SSM: the agent must stay in the AMI.
                .systemsManagerAgent(ImageRecipeSystemsManagerAgentArgs.builder().uninstallAfterBuild(false).build())
                .tags(tags)
                .build(), child);

        var infraArgs = InfrastructureConfigurationArgs.builder()
                .description("redis-ha node image build instances (" + name + ")")
                .instanceProfileName(profile.name())
                .instanceTypes(args.instanceTypes())
                .instanceMetadataOptions(InfrastructureConfigurationInstanceMetadataOptionsArgs.builder()
                        .httpTokens("required")
                        .build())
                .terminateInstanceOnFailure(true)
                .resourceTags(tags)
                .tags(tags);
        args.subnetId().ifPresent(infraArgs::subnetId);
        args.securityGroupIds().ifPresent(infraArgs::securityGroupIds);
        var infra = new InfrastructureConfiguration(name + "-infra", infraArgs.build(), child);

        Map<String, String> amiTags = new LinkedHashMap<>(tags);
        amiTags.putAll(NodeTunings.instanceTags());
        var distribution = new DistributionConfiguration(name + "-distribution", DistributionConfigurationArgs.builder()
                .description("redis-ha node AMI in " + String.join(", ", args.regions()))
                .distributions(args.regions().stream().map(region -> DistributionConfigurationDistributionArgs.builder()
                        .region(region)
                        .amiDistributionConfiguration(DistributionConfigurationDistributionAmiDistributionConfigurationArgs.builder()
                                .name(name + "-redis-node-{{ imagebuilder:buildDate }}")
                                .description("redis-ha node: " + NodeTunings.tagValue())
                                .amiTags(amiTags)
                                .build())
                        .build()).toList())
                .tags(tags)
                .build(), child);

        // The instance profile is useless to the build until its policies are attached.
        var afterPolicies = CustomResourceOptions.builder().parent(this)
                .dependsOn(attachments.stream().map(a -> (com.pulumi.resources.Resource) a).toList())
                .build();
        var image = new Image(name + "-image", ImageArgs.builder()
                .imageRecipeArn(recipe.arn())
                .infrastructureConfigurationArn(infra.arn())
                .distributionConfigurationArn(distribution.arn())
                .imageTestsConfiguration(ImageImageTestsConfigurationArgs.builder()
                        .imageTestsEnabled(true)
                        .timeoutMinutes(args.imageTestsTimeoutMinutes())
                        .build())
                .tags(tags)
                .build(), afterPolicies);

        this.pipelineArn = args.rebuildSchedule().map(cron -> new ImagePipeline(name + "-pipeline",
                ImagePipelineArgs.builder()
                        .description("patched rebuilds of the redis-ha node image on " + cron)
                        .imageRecipeArn(recipe.arn())
                        .infrastructureConfigurationArn(infra.arn())
                        .distributionConfigurationArn(distribution.arn())
                        .imageTestsConfiguration(ImagePipelineImageTestsConfigurationArgs.builder()
                                .imageTestsEnabled(true)
                                .timeoutMinutes(args.imageTestsTimeoutMinutes())
                                .build())
                        // Rebuild on every tick, not only when a component changes: the point
                        // is picking up OS security updates from the archive.
                        .schedule(ImagePipelineScheduleArgs.builder()
                                .scheduleExpression(cron)
                                .pipelineExecutionStartCondition("EXPRESSION_MATCH_ONLY")
                                .build())
                        .status("ENABLED")
                        .tags(tags)
                        .build(), afterPolicies).arn());

        String home = args.regions().get(0);
        this.imageArn = image.arn();
        this.amiId = image.outputResources().applyValue(resources -> amiIn(resources, home));

        Map<String, Output<?>> outputs = new LinkedHashMap<>();
        outputs.put("amiId", amiId);
        outputs.put("imageArn", imageArn);
        outputs.put("tunings", Output.of(NodeTunings.asStrings()));
        outputs.put("instanceTags", Output.of(NodeTunings.instanceTags()));
        pipelineArn.ifPresent(arn -> outputs.put("pipelineArn", arn));
        registerOutputs(outputs);
    }

    /** The AMI built in the home region (the first of {@link RedisNodeImageArgs#regions()}). */
    public Output<String> amiId() {
        return amiId;
    }

    public Output<String> imageArn() {
        return imageArn;
    }

    /** Present when a rebuild schedule was given. */
    public Optional<Output<String>> pipelineArn() {
        return pipelineArn;
    }

    /** The tunings the image guarantees, {@code key=value}; same as {@link NodeTunings#asStrings()}. */
    public List<String> tunings() {
        return NodeTunings.asStrings();
    }

    /** Tags instances from this image should carry; same as {@link NodeTunings#instanceTags()}. */
    public Map<String, String> instanceTags() {
        return NodeTunings.instanceTags();
    }

    /**
     * The AMI a cluster should use: {@code imageId} when the user brings their own AMI (then no
     * image is built), else the AMI of the image {@code build} declares. The own AMI is trusted
     * to carry the tunings; run {@link NodeTunings#CHECK_COMMAND} on it to be sure.
     */
    public static Output<String> amiOrBuild(Optional<String> imageId, Supplier<RedisNodeImage> build) {
        if (imageId.isPresent()) {
            String id = imageId.get();
            if (!AMI_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("imageId='" + id + "' is not an AMI id; use ami- followed by"
                        + " 8 or 17 hex digits, or leave it unset to build the redis-ha node image");
            }
            return Output.of(id);
        }
        return build.get().amiId();
    }

    static String amiIn(List<ImageOutputResource> resources, String region) {
        List<ImageOutputResourceAmi> amis = resources.stream().flatMap(r -> r.amis().stream())
                .filter(ami -> ami.image().isPresent()).toList();
        return amis.stream().filter(ami -> ami.region().map(region::equals).orElse(false)).findFirst()
                .or(() -> amis.stream().findFirst())
                .flatMap(ImageOutputResourceAmi::image)
                .orElseThrow(() -> new IllegalStateException("Image Builder reported no AMI for the redis-ha node image"
                        + " (expected one in " + region + "); check the image's build log in the Image Builder console"));
    }

    private static String suffix(String policy) {
        return policy.equals("AmazonSSMManagedInstanceCore") ? "ssm-core-policy" : "image-builder-policy";
    }

    private static RedisNodeImageArgs validated(String name, RedisNodeImageArgs args) {
        if (args == null) {
            throw new IllegalArgumentException("RedisNodeImage '" + name + "': args are required;"
                    + " use RedisNodeImageArgs.builder().regions(\"us-east-1\").build()");
        }
        return args.validate(name);
    }
}
