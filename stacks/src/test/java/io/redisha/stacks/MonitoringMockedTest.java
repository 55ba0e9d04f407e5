package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Monitoring under mocks: the alarms on the published metrics, the PutMetricData grant, the metrics timer in user data. */
class MonitoringMockedTest {
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:redis-ha-alarms";

    private static DeclaredResource alarm(MockedDeployment.Result r, String name) {
        return r.resources(ALARM).stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no alarm " + name + " in " + r.resources(ALARM).stream().map(DeclaredResource::name).toList()));
    }

    @ParameterizedTest(name = "mocked {0}: four alarms (five with prod's backups) on the RedisHA metrics with the ClusterName dimension, children of the cluster")
    @ValueSource(strings = {"dev", "prod"})
    void alarmsWatchThePublishedMetrics(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<String> expected = new java.util.ArrayList<>(List.of(stack + "-alarm-cluster-state", stack + "-alarm-replication-link",
                stack + "-alarm-zone-loss", stack + "-alarm-failover"));
        if (stack.equals("prod")) {
            expected.add(stack + "-alarm-backup-age"); // prod backs up daily (BackupsMockedTest)
        }
        assertEquals(new TreeSet<>(expected), r.resources(ALARM).stream().map(DeclaredResource::name).collect(Collectors.toCollection(TreeSet::new)));
        for (DeclaredResource a : r.resources(ALARM)) {
            assertTrue(a.urn().contains("redis-ha:index:RedisCluster$" + ALARM), a.urn());
            assertEquals(Optional.empty(), a.input("alarmActions"), "no topic configured: no actions");
        }
        record Expect(String name, String metric, String statistic, String comparison, double threshold) {
        }
        for (Expect e : List.of(new Expect("cluster-state", "ClusterStateOk", "Minimum", "LessThanThreshold", 1.0),
                new Expect("replication-link", "ReplicasWithLinkDown", "Maximum", "GreaterThanThreshold", 0.0),
                new Expect("zone-loss", "SurvivesZoneLoss", "Minimum", "LessThanThreshold", 1.0))) {
            DeclaredResource a = alarm(r, stack + "-alarm-" + e.name());
            assertEquals("RedisHA", a.string("namespace"));
            assertEquals(e.metric(), a.string("metricName"));
            assertEquals(stack, a.string("dimensions.ClusterName"));
            assertEquals(e.statistic(), a.string("statistic"));
            assertEquals(e.comparison(), a.string("comparisonOperator"));
            assertEquals(e.threshold(), ((Number) a.input("threshold").orElseThrow()).doubleValue());
            assertEquals(60.0, ((Number) a.input("period").orElseThrow()).doubleValue());
        }
        assertEquals("breaching", alarm(r, stack + "-alarm-cluster-state").string("treatMissingData"),
                "no metrics at all means no node can publish: that is an alarm");

        DeclaredResource failover = alarm(r, stack + "-alarm-failover");
        assertEquals("GreaterThanThreshold", failover.string("comparisonOperator"));
        assertEquals(0.0, ((Number) failover.input("threshold").orElseThrow()).doubleValue());
        assertEquals("CurrentEpoch", failover.string("metricQueries.0.metric.metricName"));
        assertEquals("RedisHA", failover.string("metricQueries.0.metric.namespace"));
        assertEquals(stack, failover.string("metricQueries.0.metric.dimensions.ClusterName"));
        assertEquals("Maximum", failover.string("metricQueries.0.metric.stat"));
        assertEquals("DIFF(epoch)", failover.string("metricQueries.1.expression"));
        assertEquals("true", failover.string("metricQueries.1.returnData"));
    }

    @ParameterizedTest(name = "mocked {0}: redis-ha:alarmTopicArn becomes the alarms' alarm and OK actions")
    @ValueSource(strings = {"dev"})
    void alarmTopicFromConfig(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of("redis-ha:alarmTopicArn", TOPIC));
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        assertEquals(4, r.resources(ALARM).size());
        for (DeclaredResource a : r.resources(ALARM)) {
            assertEquals(List.of(TOPIC), a.input("alarmActions").orElseThrow(), a.name());
            assertEquals(List.of(TOPIC), a.input("okActions").orElseThrow(), a.name());
        }
    }

    @ParameterizedTest(name = "mocked {0}: the nodes may PutMetricData only into the RedisHA namespace")
    @ValueSource(strings = {"dev", "prod"})
    void nodePolicyAllowsPutMetricDataOnlyWithTheNamespaceCondition(String stack) throws Exception {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<DeclaredResource> policies = r.resources("aws:iam/rolePolicy:RolePolicy");
        List<DeclaredResource> granting = policies.stream().filter(p -> p.string("policy").contains("cloudwatch:")).toList();
        assertEquals(List.of(stack + "-node-metrics"), granting.stream().map(DeclaredResource::name).toList());
        JsonNode doc = new ObjectMapper().readTree(granting.get(0).string("policy"));
        assertEquals(1, doc.get("Statement").size());
        JsonNode s = doc.get("Statement").get(0);
        assertEquals("Allow", s.get("Effect").asText());
        assertEquals("cloudwatch:PutMetricData", s.get("Action").asText());
        assertEquals("RedisHA", s.at("/Condition/StringEquals/cloudwatch:namespace").asText());
    }

    @ParameterizedTest(name = "mocked {0}: every node's user data installs the metrics timer with the cluster's parameters")
    @ValueSource(strings = {"dev", "prod"})
    void userDataInstallsTheMetricsTimer(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        boolean tls = stack.equals("prod");
        for (DeclaredResource i : r.resources("aws:ec2/instance:Instance")) {
            String ud = i.string("userData");
            assertTrue(ud.contains("OnCalendar=*-*-* *:*:00"), i.name());
            assertTrue(ud.contains("systemctl enable --now redis-ha-metrics.timer"), i.name());
            assertTrue(ud.contains("aws s3 cp 's3://"), i.name());
            assertTrue(ud.contains("/redis-ha/" + stack + "/redis-ha.jar' /opt/redis-ha/metrics/redis-ha.jar.tmp"), i.name());
            assertTrue(ud.contains("java -jar /opt/redis-ha/metrics/redis-ha.jar metrics \"$NODE_IP:6379\" --placement-ssm '/redis-ha/"
                    + stack + "/placement' --password-ssm '/redis-ha/" + stack + "/auth' --publish RedisHA --cluster-name '" + stack + "'"), ud);
            assertEquals(tls, ud.contains("--cluster-name '" + stack + "' --tls --tls-ca-cert /etc/redis/tls/ca.crt"), i.name());
            assertFalse(ud.contains(Stacks.PASSWORD), "never a secret in user data");
        }
    }
}
