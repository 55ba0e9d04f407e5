package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.aws.SsmParameters;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * The bootstrap's SSM reading against a real AWS API endpoint (LocalStack or moto): the stack
 * publishes the placement as a String and the password as a SecureString, exactly as
 * {@code RedisCluster} does; {@link SsmParameters} reads them back for {@code redis-ha converge}.
 */
class SsmParametersAwsEndpointTest {
    private static AwsEndpoint endpoint;
    private static SsmClient ssm;
    private final String prefix = "/redis-ha/it-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startEndpoint() {
        endpoint = AwsEndpoint.startOrFail();
        ssm = endpoint.ssm();
    }

    @AfterAll
    static void stopEndpoint() {
        if (ssm != null) {
            ssm.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private static Placement placement() {
        Plan plan = Planner.plan(3, 1, List.of("us-east-1a", "us-east-1b", "us-east-1c"), ZoneLoss.MUST_SURVIVE);
        Map<String, NodeAddress> addresses = new LinkedHashMap<>();
        int n = 10;
        for (PlannedNode node : plan.nodes()) {
            addresses.put(node.name(), new NodeAddress("10.42." + node.shard() + "." + n++, 6379));
        }
        return new Placement(plan, addresses);
    }

    @Test
    void placementStringAndPasswordSecureStringReadBackThroughSsmParameters() {
        Placement published = placement();
        String password = "it-" + UUID.randomUUID();
        ssm.putParameter(PutParameterRequest.builder().name(prefix + "/placement").type(ParameterType.STRING)
                .tier("Advanced").value(published.toJson()).build());
        ssm.putParameter(PutParameterRequest.builder().name(prefix + "/auth").type(ParameterType.SECURE_STRING)
                .value(password).build());

        try (SsmParameters parameters = new SsmParameters(endpoint.ssm())) {
            Placement read = Placement.fromJson(parameters.read(prefix + "/placement"));
            assertEquals(published, read, "placement round trip via " + endpoint.description());
            assertEquals(published.plan().summary(), read.plan().summary());
            assertEquals(new NodeAddress("10.42.0.10", 6379), read.addressOf("node-0-0"));
            assertEquals(password, parameters.read(prefix + "/auth"), "SecureString is decrypted");
        }
    }

    @Test
    void aMissingParameterNamesItAndTheFix() {
        try (SsmParameters parameters = new SsmParameters(endpoint.ssm())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.read(prefix + "/nope"));
            assertTrue(e.getMessage().contains(prefix + "/nope") && e.getMessage().contains("stack's outputs"), e.getMessage());
        }
    }
}
