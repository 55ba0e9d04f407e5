package io.redisha.tests.engine;

import static io.redisha.tests.engine.PackPreview.FAILED;
import static io.redisha.tests.engine.PackPreview.assertPassesClean;
import static io.redisha.tests.engine.PackPreview.finding;
import static io.redisha.tests.engine.PackPreview.keep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy pack on OUR component under the real engine: {@code pulumi preview --policy-pack
 * policies/pulumi-analyzer-redis-ha} on the programs of stacks/Pulumi.dev.yaml and Pulumi.prod.yaml
 * (through the component provider, against the AWS double) passes; breaking a mandatory rule through
 * the component's inputs, or with a raw resource beside it, fails the preview naming the resource
 * and the fix; {@code --policy-pack-config} changes a limit; an advisory finding does not fail it.
 * The rendered redis.conf of the component's nodes embeds the bootstrap bucket's name, which AWS
 * assigns at create: the rules on it judge the nodes of a deployed stack, so the dev stack is deployed
 * once and the changes are previewed against it.
 */
class PolicyPackComponentEngineTest {
    static final Path SAFE_PROGRAM = Path.of("src", "test", "resources", "engine", "policy-pack", "safe", "Pulumi.yaml");

    @BeforeAll
    static void engine() {
        PackPreview.requireOrFail();
    }

    @Test
    void prodPassesTheCreatePreviewAndTheComponentsInputsAreJudgedThereToo() {
        ClusterProgram program = ClusterProgram.fromStackConfig("prod");
        try (EngineProject project = program.start()) {
            EngineProject.Run preview = PackPreview.preview(project);
            assertPassesClean(preview);
            keep("prod-pass", preview);

            // before anything exists, the component's own inputs show what its nodes will render
            project.writeProgram(program.set("nodeTimeoutMs", 45000).yaml());
            EngineProject.Run broken = PackPreview.preview(project);
            assertNotEquals(0, broken.exit(), broken.both());
            assertTrue(finding(broken, "redis-node-timeout-range", "redis-ha:index:RedisCluster", "prod")
                    .contains("Fix: set the RedisCluster input nodeTimeoutMs between 2000 and 30000"), broken.both());

            // a production cluster without backups is refused on the component (redis-backups-for-production)
            project.writeProgram(ClusterProgram.fromStackConfig("prod").remove("backups").yaml());
            EngineProject.Run noBackups = PackPreview.preview(project);
            assertNotEquals(0, noBackups.exit(), noBackups.both());
            assertTrue(finding(noBackups, "redis-backups-for-production", "redis-ha:index:RedisCluster", "prod")
                    .contains("takes no backups"), noBackups.both());
        }
    }

    @Test
    void devPassesAndEachBreachFailsNamingTheResourceAndTheFix() throws IOException {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        try (EngineProject project = program.start()) {
            // 1. the dev stack's program passes (the create preview), and is deployed once
            EngineProject.Run clean = PackPreview.preview(project);
            assertPassesClean(clean);
            keep("dev-pass", clean);
            project.up();

            // 2. a limit from --policy-pack-config: dev's nodeTimeoutMs 5000 is above a 4000 ms maximum
            Path config = project.dir().resolveSibling("policy-config.json");
            Files.writeString(config, "{\"redis-node-timeout-range\": {\"maxMs\": 4000}}");
            EngineProject.Run limited = PackPreview.preview(project, "--policy-pack-config", config.toString());
            assertNotEquals(0, limited.exit(), limited.both());
            assertTrue(finding(limited, "redis-node-timeout-range", "aws:ec2:Instance", "dev-node-0-0").contains("allowed 2000..4000 ms"),
                    limited.both());

            // 3. advisory only: dev counted as production, 1 replica per master is advised against, the preview passes
            Files.writeString(config, "{\"redis-replicas-for-production\": {\"productionStacks\": [\"dev\"]}}");
            EngineProject.Run advised = PackPreview.preview(project, "--policy-pack-config", config.toString());
            assertEquals(0, advised.exit(), advised.both());
            assertTrue(advised.out().contains("[advisory] [severity: medium]  redis-replicas-for-production  (aws:ec2:Instance: dev-node-0-0)"),
                    advised.both());
            assertFalse(advised.out().contains("[mandatory]"), advised.both());

            // 4. breaches through the component's inputs (all accepted by the component) and raw resources beside it
            project.writeProgram(program
                    .set("nodeTimeoutMs", 45000)         // component allows 1000..60000; the pack 2000..30000
                    .set("maxmemoryPercent", 80)         // component allows up to 80; the pack 75
                    .set("imageProvidesTunings", false)  // an AMI nothing states is tuned
                    .set("replicasPerMaster", 0).set("acceptZoneLossRisk", true).set("zones", List.of("us-east-1a", "us-east-1b"))
                    .beside(rawResourcesBeside(program.name()))
                    .yaml());
            EngineProject.Run broken = PackPreview.preview(project);
            assertNotEquals(0, broken.exit(), broken.both());
            assertTrue(broken.out().contains(FAILED), broken.both());
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("redis-node-timeout-range|redis-ha:index:RedisCluster|dev", "Fix: set the RedisCluster input nodeTimeoutMs between 2000 and 30000");
            expected.put("redis-maxmemory-headroom|redis-ha:index:RedisCluster|dev", "Fix: set maxmemoryPercent to 75 or less");
            // Existing nodes keep the redis.conf they were created with (their user data changes only through a
            // roll, see NodeGenerations), so these two breaches are the component's, not yet any node's.
            expected.put("redis-tuned-image|aws:ec2:Instance|dev-node-0-0", "imageProvidesTunings=true");
            expected.put("redis-replicas-per-master|aws:ec2:Instance|dev-node-0-0", "Fix: set replicasPerMaster to at least 1");
            expected.put("redis-masters-across-zones|redis-ha:index:RedisCluster|dev", "Fix: list at least 3 availability zones");
            expected.put("redis-zone-loss-survivable|redis-ha:index:RedisCluster|dev", "Fix: choose masters and zones");
            expected.put("redis-no-open-ports|aws:ec2:SecurityGroupRule|open-client-port", "never from 0.0.0.0/0 or ::/0");
            expected.put("redis-no-open-ports|aws:vpc:SecurityGroupIngressRule|open-bus-port", "never from 0.0.0.0/0 or ::/0");
            expected.put("redis-imdsv2-required|aws:ec2:Instance|cache-box", "Fix: set metadataOptions(httpTokens(\"required\"))");
            expected.put("redis-no-public-ip|aws:ec2:Instance|cache-box", "Fix: set associatePublicIpAddress(false)");
            List<String> missing = new ArrayList<>();
            expected.forEach((key, fix) -> {
                String[] k = key.split("\\|");
                if (!finding(broken, k[0], k[1], k[2]).contains(fix)) {
                    missing.add(k[0] + " on " + k[2] + " with '" + fix + "'");
                }
            });
            assertEquals(List.of(), missing, broken.both());
            // the hand-written host is otherwise done by the checklist: only its two breaches are reported
            assertEquals(2, broken.out().lines().filter(l -> l.contains("(aws:ec2:Instance: cache-box)")).count(), broken.both());
            keep("dev-breaches", broken);
        }
    }

    /**
     * Raw resources beside the cluster: 6379 and the bus port 16379 opened to the internet on the
     * cluster's client security group (the two rule kinds), and the hand-written Redis host of the
     * safe program (tests/src/test/resources/engine/policy-pack/safe) with a public IP and without IMDSv2.
     */
    static JsonNode rawResourcesBeside(String cluster) throws IOException {
        ObjectNode resources = EngineProject.JSON.createObjectNode();
        String group = "${" + cluster + ".clientSecurityGroupId}";
        resources.set("open-client-port", EngineProject.JSON.valueToTree(Map.of("type", "aws:ec2/securityGroupRule:SecurityGroupRule",
                "properties", Map.of("type", "ingress", "protocol", "tcp", "fromPort", 6379, "toPort", 6379,
                        "cidrBlocks", List.of("0.0.0.0/0"), "securityGroupId", group))));
        resources.set("open-bus-port", EngineProject.JSON.valueToTree(Map.of("type", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "properties", Map.of("ipProtocol", "tcp", "fromPort", 16379, "toPort", 16379, "cidrIpv4", "0.0.0.0/0",
                        "securityGroupId", group))));
        ObjectNode host = (ObjectNode) new YAMLMapper().readTree(SAFE_PROGRAM.toFile()).path("resources").path("cache-1").deepCopy();
        ObjectNode properties = (ObjectNode) host.path("properties");
        properties.remove(List.of("metadataOptions", "vpcSecurityGroupIds"));
        properties.put("associatePublicIpAddress", true);
        resources.set("cache-box", host);
        return resources;
    }
}
