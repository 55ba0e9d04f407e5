package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.image.RedisNodeImageArgs;
import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The node image is built for the nodes' architecture: Graviton types get an arm64 image, others x86_64. */
class GravitonMockedTest {

    @ParameterizedTest(name = "mocked dev on {0}: the image is built from {1} on {2}")
    @CsvSource({
        "r7g.large, " + RedisNodeImageArgs.ARM64_PARENT_IMAGE + ", t4g.medium",
        "m7g.xlarge, " + RedisNodeImageArgs.ARM64_PARENT_IMAGE + ", t4g.medium",
        "r6i.large, " + RedisNodeImageArgs.DEFAULT_PARENT_IMAGE + ", t3.medium"})
    void theImageMatchesTheInstanceArchitecture(String instanceType, String parentImage, String buildType) {
        MockedDeployment.Result r = Stacks.run("dev", Map.of("redis-ha:instanceType", instanceType));
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<DeclaredResource> recipes = r.resources("aws:imagebuilder/imageRecipe:ImageRecipe");
        assertEquals(1, recipes.size());
        assertEquals(parentImage, recipes.get(0).string("parentImage"));
        List<DeclaredResource> infra = r.resources("aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration");
        assertEquals(buildType, infra.get(0).string("instanceTypes.0"));
        r.resources("aws:ec2/instance:Instance").forEach(i -> assertEquals(instanceType, i.string("instanceType"), i.name()));
    }
}
