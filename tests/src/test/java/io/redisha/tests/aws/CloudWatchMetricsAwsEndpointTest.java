package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.aws.CloudWatchMetrics;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.Jar;
import io.redisha.it.RedisNodes;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code redis-ha metrics --publish} against a real AWS API endpoint (LocalStack or moto), run as
 * the node's timer runs it: the shipped jar, a real 3x1 cluster, AWS_ENDPOINT_URL from the
 * environment. ListMetrics and GetMetricStatistics must give the metrics back with ClusterName.
 */
class CloudWatchMetricsAwsEndpointTest {
    private static final String PASSWORD = "cw-pass";
    private static AwsEndpoint endpoint;
    private static CloudWatchMetrics cloudWatch;
    private static RedisNodes nodes;
    private static Placement placement;

    @BeforeAll
    static void start() {
        endpoint = AwsEndpoint.startOrFail();
        Map<String, String> env = endpoint.childEnvironment();
        cloudWatch = new CloudWatchMetrics(URI.create(env.get("AWS_ENDPOINT_URL")), env.get("AWS_REGION"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))));
        nodes = RedisNodes.nodes(6).withPassword(PASSWORD).start();
        placement = Planner.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(30)).converge(placement, Credentials.password(PASSWORD), ClusterListener.SILENT);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void publishPutsEveryMetricWithTheClusterNameDimension() {
        String namespace = "RedisHA-it-" + UUID.randomUUID().toString().substring(0, 8);
        String cluster = "it-cluster";
        String zones = placement.zoneByAddress().entrySet().stream().map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(","));
        Map<String, String> env = new HashMap<>(endpoint.childEnvironment());
        env.put("CW_PW", PASSWORD);
        Jar.Result run = Jar.run(env, "metrics", placement.addressOf("node-0-0").toString(), "--zones", zones,
                "--password-env", "CW_PW", "--publish", namespace, "--cluster-name", cluster, "--json");
        assertEquals(0, run.exit(), endpoint.description() + "\n" + run.both());
        assertTrue(run.out().contains("\"publishedTo\" : \"" + namespace + "\""), run.both());

        ObjectMapper json = new ObjectMapper();
        ObjectNode list = json.createObjectNode().put("Namespace", namespace);
        list.putArray("Dimensions").addObject().put("Name", "ClusterName").put("Value", cluster);
        JsonNode listed = cloudWatch.call("ListMetrics", list);
        Set<String> names = new TreeSet<>();
        for (JsonNode m : listed.path("Metrics")) {
            names.add(m.get("MetricName").asText());
            assertEquals(1, m.path("Dimensions").size(), m.toString());
            assertEquals("ClusterName", m.path("Dimensions").get(0).get("Name").asText());
            assertEquals(cluster, m.path("Dimensions").get(0).get("Value").asText());
        }
        assertEquals(new TreeSet<>(List.of("ClusterStateOk", "SlotsOk", "Masters", "Replicas", "ReplicasWithLinkDown",
                "MaxReplicationLagBytes", "MaxMasterLinkSilenceSeconds", "CurrentEpoch", "MaxMastersInOneZone",
                "SurvivesZoneLoss")), names, endpoint.description() + ": " + listed);

        long now = Instant.now().getEpochSecond();
        for (Map.Entry<String, Double> expected : Map.of("ClusterStateOk", 1.0, "Masters", 3.0, "Replicas", 3.0,
                "SurvivesZoneLoss", 1.0, "ReplicasWithLinkDown", 0.0).entrySet()) {
            ObjectNode get = json.createObjectNode().put("Namespace", namespace).put("MetricName", expected.getKey())
                    .put("StartTime", now - 600).put("EndTime", now + 60).put("Period", 60);
            get.putArray("Dimensions").addObject().put("Name", "ClusterName").put("Value", cluster);
            get.putArray("Statistics").add("Maximum");
            JsonNode stats = cloudWatch.call("GetMetricStatistics", get);
            List<Double> maxima = new java.util.ArrayList<>();
            stats.path("Datapoints").forEach(d -> maxima.add(d.get("Maximum").asDouble()));
            assertEquals(List.of(expected.getValue()), maxima, expected.getKey() + ": " + stats);
        }
    }

    /** The node timer's command line: zones from the placement and the password from SSM, as the user data runs it. */
    @Test
    void theNodeTimersCommandReadsPlacementAndPasswordFromSsm() throws Exception {
        String prefix = "/redis-ha/it-" + UUID.randomUUID().toString().substring(0, 8);
        try (software.amazon.awssdk.services.ssm.SsmClient ssm = endpoint.ssm()) {
            ssm.putParameter(r -> r.name(prefix + "/placement").type("String").value(placement.toJson()));
            ssm.putParameter(r -> r.name(prefix + "/auth").type("SecureString").value(PASSWORD));
        }
        String namespace = "RedisHA-it-" + UUID.randomUUID().toString().substring(0, 8);
        Jar.Result run = Jar.run(endpoint.childEnvironment(), "metrics", placement.addressOf("node-1-0").toString(),
                "--placement-ssm", prefix + "/placement", "--password-ssm", prefix + "/auth",
                "--publish", namespace, "--cluster-name", "timer", "--json");
        assertEquals(0, run.exit(), endpoint.description() + "\n" + run.both());
        JsonNode out = new ObjectMapper().readTree(run.out());
        assertEquals(1, out.get("metrics").get("SurvivesZoneLoss").asInt(), run.both());
        assertEquals(1, out.get("metrics").get("MaxMastersInOneZone").asInt(), run.both());

        ObjectNode list = new ObjectMapper().createObjectNode().put("Namespace", namespace).put("MetricName", "SurvivesZoneLoss");
        JsonNode listed = cloudWatch.call("ListMetrics", list);
        assertEquals(1, listed.path("Metrics").size(), listed.toString());
        assertEquals("timer", listed.path("Metrics").get(0).path("Dimensions").get(0).get("Value").asText());
    }
}
