package io.redisha.image;

import com.pulumi.aws.imagebuilder.Image;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import io.redisha.topology.NodeTunings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RedisNodeImage declared under com.pulumi.test mocks. Mocked: no Image Builder, IAM or AMI is
 * created; the mocks echo inputs back and invent ARNs and one AMI per distribution region.
 */
class RedisNodeImageMockedTest {

    private static final String ACCOUNT = "123456789012";

    /** Records every declared resource's type, name and resolved inputs. */
    static final class RecordingMocks implements Mocks {
        record Declared(String type, String name, Map<String, Object> inputs) {
        }

        final List<Declared> declared = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            declared.add(new Declared(args.type, args.name, args.inputs));
            Map<String, Object> state = new HashMap<>(args.inputs);
            state.putIfAbsent("name", args.name + "-mocked");
            String kind = args.type.substring(args.type.lastIndexOf(':') + 1).toLowerCase();
            state.put("arn", "arn:aws:mock:us-east-1:" + ACCOUNT + ":" + kind + "/" + args.name);
            if (args.type.equals("aws:imagebuilder/image:Image")) {
                state.put("outputResources", List.of(Map.of("amis", List.of(
                        Map.of("image", "ami-0eu000000000000001", "region", "eu-west-1"),
                        Map.of("image", "ami-0us000000000000001", "region", "us-east-1")))));
            }
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
        }

        Declared one(String type) {
            var found = declared.stream().filter(d -> d.type().equals(type)).toList();
            assertEquals(1, found.size(), "exactly one " + type + " in " + declared);
            return found.get(0);
        }

        List<Declared> all(String type) {
            return declared.stream().filter(d -> d.type().equals(type)).toList();
        }

        String arnOf(Declared d) {
            String kind = d.type().substring(d.type().lastIndexOf(':') + 1).toLowerCase();
            return "arn:aws:mock:us-east-1:" + ACCOUNT + ":" + kind + "/" + d.name();
        }
    }

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    private static RedisNodeImageArgs.Builder valid() {
        return RedisNodeImageArgs.builder().regions("us-east-1", "eu-west-1");
    }

    private static TestResult declare(RecordingMocks mocks, String name, RedisNodeImageArgs args,
                                      AtomicReference<RedisNodeImage> out) {
        return PulumiTest.withMocks(mocks).runTest(ctx -> out.set(new RedisNodeImage(name, args)));
    }

    @SuppressWarnings("unchecked")
    @Test
    void mockedImageBuilderWiringWithoutPipeline() {
        var mocks = new RecordingMocks();
        var component = new AtomicReference<RedisNodeImage>();
        var result = declare(mocks, "prod", valid().build(), component);
        assertEquals(List.of(), result.errors());

        // Least-privilege instance profile: EC2 trust, exactly the two managed policies.
        var role = mocks.one("aws:iam/role:Role");
        assertEquals("prod-instance-role", role.name());
        assertTrue(role.inputs().get("assumeRolePolicy").toString().contains("ec2.amazonaws.com"));
        var policies = mocks.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assertEquals(List.of("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                        "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"),
                policies.stream().map(p -> p.inputs().get("policyArn").toString()).sorted().toList());
        policies.forEach(p -> assertEquals("prod-instance-role-mocked", p.inputs().get("role")));
        var profile = mocks.one("aws:iam/instanceProfile:InstanceProfile");
        assertEquals("prod-instance-profile", profile.name());
        assertEquals("prod-instance-role-mocked", profile.inputs().get("role"));

        // Components from the module's AWSTOE documents.
        var components = mocks.all("aws:imagebuilder/component:Component");
        assertEquals(List.of("prod-packages", "prod-tunings"), components.stream().map(RecordingMocks.Declared::name).sorted().toList());
        var tunings = components.stream().filter(c -> c.name().equals("prod-tunings")).findFirst().orElseThrow();
        assertEquals(NodeImageDocuments.tuningsDocument(), tunings.inputs().get("data"));
        assertEquals("Linux", tunings.inputs().get("platform"));
        assertEquals("1.0.0", tunings.inputs().get("version"));

        // Recipe: parent image and both components, packages first.
        var recipe = mocks.one("aws:imagebuilder/imageRecipe:ImageRecipe");
        assertEquals(RedisNodeImageArgs.DEFAULT_PARENT_IMAGE, recipe.inputs().get("parentImage"));
        var recipeComponents = (List<Map<String, Object>>) recipe.inputs().get("components");
        assertEquals(List.of(mocks.arnOf(mocks.all("aws:imagebuilder/component:Component").stream()
                                .filter(c -> c.name().equals("prod-packages")).findFirst().orElseThrow()),
                        mocks.arnOf(tunings)),
                recipeComponents.stream().map(c -> c.get("componentArn")).toList());
        assertEquals(false, ((Map<String, Object>) recipe.inputs().get("systemsManagerAgent")).get("uninstallAfterBuild"));

        // Infrastructure: the dedicated profile, IMDSv2, terminate on failure.
        var infra = mocks.one("aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration");
        assertEquals("prod-instance-profile-mocked", infra.inputs().get("instanceProfileName"));
        assertEquals("required", ((Map<String, Object>) infra.inputs().get("instanceMetadataOptions")).get("httpTokens"));
        assertEquals(true, infra.inputs().get("terminateInstanceOnFailure"));
        assertEquals(List.of("t3.medium"), infra.inputs().get("instanceTypes"));

        // Distribution: one per region, AMIs tagged with the tunings.
        var distribution = mocks.one("aws:imagebuilder/distributionConfiguration:DistributionConfiguration");
        var distributions = (List<Map<String, Object>>) distribution.inputs().get("distributions");
        assertEquals(List.of("us-east-1", "eu-west-1"), distributions.stream().map(d -> d.get("region")).toList());
        for (var d : distributions) {
            var ami = (Map<String, Object>) d.get("amiDistributionConfiguration");
            assertEquals(NodeTunings.tagValue(), ((Map<String, Object>) ami.get("amiTags")).get(NodeTunings.TUNINGS_TAG_KEY));
            assertTrue(ami.get("name").toString().contains("{{ imagebuilder:buildDate }}"), ami.toString());
        }

        // Image: recipe + infrastructure + distribution, tests enabled.
        var image = mocks.one("aws:imagebuilder/image:Image");
        assertEquals(mocks.arnOf(recipe), image.inputs().get("imageRecipeArn"));
        assertEquals(mocks.arnOf(infra), image.inputs().get("infrastructureConfigurationArn"));
        assertEquals(mocks.arnOf(distribution), image.inputs().get("distributionConfigurationArn"));
        assertEquals(true, ((Map<String, Object>) image.inputs().get("imageTestsConfiguration")).get("imageTestsEnabled"));

        assertEquals(List.of(), mocks.all("aws:imagebuilder/imagePipeline:ImagePipeline"), "no schedule, no pipeline");
        assertTrue(component.get().pipelineArn().isEmpty());

        // Outputs: the home region's AMI (first region), and the tunings list.
        assertEquals("ami-0us000000000000001", PulumiTest.extractValue(component.get().amiId()));
        assertEquals(NodeTunings.asStrings(), component.get().tunings());
        assertEquals(NodeTunings.instanceTags(), component.get().instanceTags());

        // Every child is parented to the component (its name prefixes theirs).
        var image0 = result.resources().stream().filter(r -> r instanceof Image).findFirst().orElseThrow();
        assertEquals("prod-image", image0.pulumiResourceName());
        assertTrue(mocks.declared.stream().filter(d -> d.type().startsWith("aws:"))
                .allMatch(d -> d.name().startsWith("prod-")), mocks.declared.toString());
    }

    @SuppressWarnings("unchecked")
    @Test
    void mockedPipelineRebuildsOnTheSchedule() {
        var mocks = new RecordingMocks();
        var component = new AtomicReference<RedisNodeImage>();
        var result = declare(mocks, "prod", valid().rebuildSchedule("cron(0 3 ? * SUN *)").build(), component);
        assertEquals(List.of(), result.errors());
        var pipeline = mocks.one("aws:imagebuilder/imagePipeline:ImagePipeline");
        assertEquals("prod-pipeline", pipeline.name());
        var schedule = (Map<String, Object>) pipeline.inputs().get("schedule");
        assertEquals("cron(0 3 ? * SUN *)", schedule.get("scheduleExpression"));
        assertEquals("EXPRESSION_MATCH_ONLY", schedule.get("pipelineExecutionStartCondition"));
        assertEquals(mocks.arnOf(mocks.one("aws:imagebuilder/imageRecipe:ImageRecipe")), pipeline.inputs().get("imageRecipeArn"));
        assertEquals(mocks.arnOf(mocks.one("aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration")),
                pipeline.inputs().get("infrastructureConfigurationArn"));
        assertEquals(mocks.arnOf(mocks.one("aws:imagebuilder/distributionConfiguration:DistributionConfiguration")),
                pipeline.inputs().get("distributionConfigurationArn"));
        assertTrue(component.get().pipelineArn().isPresent());
    }

    @Test
    void mockedInvalidArgsAreRefusedAndDeclareNothing() {
        var mocks = new RecordingMocks();
        var args = RedisNodeImageArgs.builder().regions("us-east-1").version("1.0")
                .rebuildSchedule("weekly").parentImage("ubuntu").build();
        var result = declare(mocks, "prod", args, new AtomicReference<>());
        assertEquals(List.of(), mocks.declared, "no resource may be declared for invalid args");
        String errors = String.join("\n", result.errors())
                + result.exceptions().stream().map(Throwable::toString).reduce("", String::concat);
        assertTrue(errors.contains("RedisNodeImage 'prod'"), errors);
        assertTrue(errors.contains("version='1.0' is not a semantic version"), errors);
        assertTrue(errors.contains("rebuildSchedule='weekly'"), errors);
        assertTrue(errors.contains("parentImage='ubuntu'"), errors);
    }

    @Test
    void amiOrBuildPrefersTheGivenImageAndBuildsNothing() {
        var mocks = new RecordingMocks();
        var ami = new AtomicReference<String>();
        var result = PulumiTest.withMocks(mocks).runTest(ctx -> ami.set(PulumiTest.extractValue(
                RedisNodeImage.amiOrBuild(Optional.of("ami-0123456789abcdef0"),
                        () -> new RedisNodeImage("never", valid().build())))));
        assertEquals(List.of(), result.errors());
        assertEquals("ami-0123456789abcdef0", ami.get());
        assertEquals(List.of(), mocks.declared);

        var bad = assertThrows(IllegalArgumentException.class,
                () -> RedisNodeImage.amiOrBuild(Optional.of("ubuntu-24"), () -> { throw new AssertionError(); }));
        assertTrue(bad.getMessage().contains("imageId='ubuntu-24' is not an AMI id"), bad.getMessage());
    }

    @Test
    void mockedAmiOrBuildBuildsWhenNoImageIsGiven() {
        var mocks = new RecordingMocks();
        var ami = new AtomicReference<String>();
        var result = PulumiTest.withMocks(mocks).runTest(ctx -> ami.set(PulumiTest.extractValue(
                RedisNodeImage.amiOrBuild(Optional.empty(), () -> new RedisNodeImage("img", valid().build())))));
        assertEquals(List.of(), result.errors());
        assertEquals("ami-0us000000000000001", ami.get());
        assertFalse(mocks.all("aws:imagebuilder/image:Image").isEmpty());
    }
}
