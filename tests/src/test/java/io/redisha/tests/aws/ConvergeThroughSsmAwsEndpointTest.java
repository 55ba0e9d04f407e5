package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.Jar;
import io.redisha.it.RedisNodes;
import io.redisha.topology.ConvergeRecord;
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

    /**
     * {@code --record-ssm}: each run records its placement digest and attempt before touching a node,
     * then converged (a roll's replaced node verified out of the cluster by asking every planned node)
     * or failed with the reason; what the stack reads to re-run a failed converge and to guard phase 2.
     */
    @Test
    void convergeRecordsEachRunAndVerifiesTheReplacedNodeIsForgotten() throws Exception {
        String prefix = "/redis-ha/it-" + UUID.randomUUID().toString().substring(0, 8);
        String record = prefix + "/converge/state";
        try (RedisNodes nodes = RedisNodes.nodes(7).start()) {
            List<io.redisha.topology.ZonedNode> six = nodes.zoned(ZONES).subList(0, 6);
            Placement formed = Planner.assign(six, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
            Map<String, String> env = endpoint.childEnvironment();
            ssm.putParameter(PutParameterRequest.builder().name(prefix + "/placement").type(ParameterType.STRING)
                    .value(formed.toJson()).build());
            Jar.Result first = Jar.run(env, "converge", "--plan-ssm", prefix + "/placement", "--record-ssm", record, "--json");
            assertEquals(0, first.exit(), first.both());
            ConvergeRecord done = read(record);
            assertEquals(ConvergeRecord.CONVERGED, done.status());
            assertEquals(ConvergeRecord.digestOf(formed.toJson()), done.placementDigest());
            assertEquals(0, done.attempt());

            // a roll of one replica onto the seventh node: its old address must end up forgotten by every planned node
            String replica = formed.plan().nodes().stream().filter(n -> n.role() == io.redisha.topology.Role.REPLICA)
                    .findFirst().orElseThrow().name();
            io.redisha.topology.NodeAddress old = formed.addressOf(replica);
            Map<String, io.redisha.topology.NodeAddress> addresses = new java.util.LinkedHashMap<>(formed.addresses());
            addresses.put(replica, nodes.address(6));
            Placement roll = Placement.bind(formed.plan(), addresses, Map.of(), Map.of(replica, old));
            ssm.putParameter(PutParameterRequest.builder().name(prefix + "/placement").type(ParameterType.STRING)
                    .value(roll.toJson()).overwrite(true).build());
            Jar.Result rolled = Jar.run(env, "converge", "--plan-ssm", prefix + "/placement", "--record-ssm", record,
                    "--attempt", "3", "--json");
            assertEquals(0, rolled.exit(), rolled.both());
            ConvergeRecord after = read(record);
            assertEquals(ConvergeRecord.CONVERGED, after.status(), after.toJson());
            assertEquals(3, after.attempt());
            assertEquals(List.of(old.toString()), after.forgotten());
            assertEquals(Optional.empty(), after.missingForRemoval(List.of(replica), true, ConvergeRecord.digestOf(roll.toJson())));

            // a placement converge cannot reach: recorded as failed, with the reason, on the same digest
            Map<String, io.redisha.topology.NodeAddress> unreachable = new java.util.LinkedHashMap<>(roll.addresses());
            unreachable.put(replica, new io.redisha.topology.NodeAddress("127.0.0.1", RedisNodes.freeBasePort(1)));
            Placement broken = Placement.bind(formed.plan(), unreachable);
            ssm.putParameter(PutParameterRequest.builder().name(prefix + "/placement").type(ParameterType.STRING)
                    .value(broken.toJson()).overwrite(true).build());
            Jar.Result failed = Jar.run(env, "converge", "--plan-ssm", prefix + "/placement", "--record-ssm", record,
                    "--attempt", "4", "--timeout", "5");
            assertTrue(failed.exit() != 0, failed.both());
            ConvergeRecord refused = read(record);
            assertEquals(ConvergeRecord.FAILED, refused.status(), refused.toJson());
            assertEquals(ConvergeRecord.digestOf(broken.toJson()), refused.placementDigest());
            assertTrue(refused.error() != null && !refused.error().isBlank(), refused.toJson());
            assertEquals(5, ConvergeRecord.nextAttempt(Optional.of(refused), refused.placementDigest()));
        }
    }

    private static ConvergeRecord read(String name) {
        String value = ssm.getParameter(software.amazon.awssdk.services.ssm.model.GetParameterRequest.builder().name(name).build())
                .parameter().value();
        return ConvergeRecord.parse(value).orElseThrow(() -> new AssertionError("not a converge record: " + value));
    }
}
