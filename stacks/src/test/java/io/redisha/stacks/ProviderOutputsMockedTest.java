package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.MockedDeployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A provider may return fewer outputs than pulumi-aws: the deployment must not crash on them. */
class ProviderOutputsMockedTest {
    @Test
    void mockedS3EndpointWithoutPrefixListDeploysWithoutTheS3Rule() {
        MockedDeployment.Result r = MockedDeployment.runWithoutOutputs("dev", Stacks.config("dev"), Stacks.secretKeys(), ClusterStack::define, Map.of(),
                Set.of("aws:ec2/vpcEndpoint:VpcEndpoint.prefixListId"));
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<?> egress = (List<?>) r.resource("dev-node-sg").inputs().get("egress");
        assertFalse(egress.isEmpty());
        assertFalse(egress.stream().anyMatch(rule -> ((Map<?, ?>) rule).containsKey("prefixListIds")), egress.toString());
    }

    @Test
    void mockedS3EndpointWithPrefixListGetsTheS3Rule() {
        MockedDeployment.Result r = Stacks.run("dev", Map.of());
        List<?> egress = (List<?>) r.resource("dev-node-sg").inputs().get("egress");
        assertEquals(1, egress.stream().filter(rule -> ((Map<?, ?>) rule).containsKey("prefixListIds")).count(), egress.toString());
    }

    @Test
    void mockedParameterWithoutArnFailsWithAMessageNamingIt() {
        MockedDeployment.Result r = MockedDeployment.runWithoutOutputs("dev", Stacks.config("dev"), Stacks.secretKeys(), ClusterStack::define, Map.of(),
                Set.of("aws:ssm/parameter:Parameter.arn"));
        assertTrue(r.failure().orElse("").contains("dev-auth: the AWS provider returned no arn"), r.failure().orElse("passed"));
    }
}
