package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.components.RedisCluster;
import io.redisha.components.RedisClusterArgs;
import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** RedisCluster reused in a user's own program (mocked). */
class ReuseMockedTest {
    @Test
    void mockedTwoClustersInOneStackDoNotClash() {
        MockedDeployment.Result r = MockedDeployment.run("shared", Map.of(), Set.of(), ctx -> {
            var cache = new RedisCluster("cache", RedisClusterArgs.builder().imageId("ami-1")
                    .authPassword(Output.ofSecret("pw-cache-123")).instanceType("t3.medium").build());
            var sessions = new RedisCluster("sessions", RedisClusterArgs.builder().imageId("ami-1").masters(5).replicasPerMaster(2)
                    .vpcCidr("10.43.0.0/16").authPassword(Output.ofSecret("pw-sessions-123")).build());
            ctx.export("cacheSeeds", cache.seedEndpoints());
            ctx.export("sessionSeeds", sessions.seedEndpoints());
        });
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<String> urns = r.resources().stream().map(DeclaredResource::urn).toList();
        assertEquals(urns.size(), Set.copyOf(urns).size(), "URNs are unique");
        assertEquals(6 + 15, r.resources("aws:ec2/instance:Instance").size());
        Set<String> parameterNames = r.resources("aws:ssm/parameter:Parameter").stream().map(p -> p.string("name")).collect(Collectors.toSet());
        assertEquals(Set.of("/redis-ha/cache/auth", "/redis-ha/cache/placement", "/redis-ha/cache/converge/state",
                        "/redis-ha/sessions/auth", "/redis-ha/sessions/placement", "/redis-ha/sessions/converge/state"),
                parameterNames);
        assertTrue(r.resources("aws:ec2/instance:Instance").stream().allMatch(i -> i.urn().contains("redis-ha:index:RedisCluster$aws:ec2/instance:Instance")));
        assertEquals(5, ((List<?>) r.outputs().get("sessionSeeds")).size());
    }

    @Test
    void mockedExistingVpcUsesTheGivenSubnetPerZone() {
        MockedDeployment.Result r = MockedDeployment.run("byo", Map.of(), Set.of(), ctx -> new RedisCluster("byo",
                RedisClusterArgs.builder().imageId("ami-1").authPassword(Output.ofSecret("pw"))
                        .vpcId("vpc-existing").zones("eu-west-1a", "eu-west-1b", "eu-west-1c")
                        .subnetIds("subnet-a", "subnet-b", "subnet-c").vpcCidr("10.7.0.0/16")
                        .allowedClientCidrs(List.of("10.7.0.0/16")).build()));
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        assertTrue(r.resources("aws:ec2/vpc:Vpc").isEmpty());
        assertTrue(r.resources("aws:ec2/subnet:Subnet").isEmpty());
        for (DeclaredResource i : r.resources("aws:ec2/instance:Instance")) {
            String zone = i.string("tags.redis-ha:zone");
            assertEquals("subnet-" + zone.charAt(zone.length() - 1), i.string("subnetId"), i.name());
        }
        assertEquals("vpc-existing", r.resource("byo-node-sg").string("vpcId"));
    }
}
