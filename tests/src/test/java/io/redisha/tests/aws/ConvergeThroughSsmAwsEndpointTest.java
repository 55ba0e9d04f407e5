package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Credentials;
import io.redisha.it.Jar;
import io.redisha.it.RedisNodes;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * What the SSM document runs on a node, end to end on a loopback AWS endpoint: the placement JSON
 * and the AUTH password (SecureString) are put into SSM as the stack publishes them, the CLI jar
 * runs {@code converge --plan-ssm --password-ssm} with only AWS_ENDPOINT_URL and keys in its
 * environment, and fresh redis-server nodes end up a checked, zone-safe cluster.
 */
class ConvergeThroughSsmAwsEndpointTest {
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    private static AwsEndpoint endpoint;
    private static SsmClient ssm;

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

    @Test
    void convergeReadsPlanAndPasswordFromSsmAndFormsTheCluster() throws Exception {
        String password = "ssm-" + UUID.randomUUID();
        String prefix = "/redis-ha/it-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisNodes nodes = RedisNodes.nodes(6).withPassword(password).start()) {
            Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
            ssm.putParameter(PutParameterRequest.builder().name(prefix + "/placement").type(ParameterType.STRING)
                    .value(placement.toJson()).build());
            ssm.putParameter(PutParameterRequest.builder().name(prefix + "/auth").type(ParameterType.SECURE_STRING)
                    .value(password).build());

            Map<String, String> env = endpoint.childEnvironment();
            Jar.Result converge = Jar.run(env, "converge", "--plan-ssm", prefix + "/placement", "--password-ssm", prefix + "/auth", "--json");
            assertEquals(0, converge.exit(), "via " + endpoint.description() + "\n" + converge.both());
            JsonNode result = new ObjectMapper().readTree(converge.out()).get("result");
            assertTrue(result.get("changed").asBoolean());
            assertEquals(3, result.get("masters").asInt());
            assertEquals(3, result.get("replicas").asInt());

            CheckReport report = new ClusterEngine().check(List.of(nodes.address(0)), placement.zoneByAddress(), Credentials.password(password));
            assertTrue(report.ok(), report.toTable());
            assertEquals(6, report.summary().reachable());
            assertTrue(report.summary().zoneSafety().startsWith("survives the loss of any one zone"), report.summary().zoneSafety());

            // The SSM association runs again on every apply: a second run on a healthy cluster changes nothing.
            Jar.Result again = Jar.run(env, "converge", "--plan-ssm", prefix + "/placement", "--password-ssm", prefix + "/auth", "--json");
            assertEquals(0, again.exit(), again.both());
            assertEquals(false, new ObjectMapper().readTree(again.out()).get("result").get("changed").asBoolean(), again.out());

            Jar.Result missing = Jar.run(env, "converge", "--plan-ssm", prefix + "/nope", "--password-ssm", prefix + "/auth");
            assertEquals(2, missing.exit(), missing.both());
            assertTrue(missing.err().contains(prefix + "/nope"), missing.err());
        }
    }
}
