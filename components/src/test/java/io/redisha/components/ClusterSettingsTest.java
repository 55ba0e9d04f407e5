package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import io.redisha.components.node.ConvergeDocument;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw"));
    }

    private static String refused(UnaryOperator<RedisClusterArgs.Builder> change) {
        return assertThrows(InvalidClusterArgsException.class, () -> change.apply(valid()).build().validate("prod")).getMessage();
    }

    @Test
    void defaultsAreProductionSafe() {
        ClusterSettings s = valid().build().validate("prod");
        assertEquals(3, s.plan().masters());
        assertEquals(1, s.plan().replicasPerMaster());
        assertTrue(s.plan().zoneSafety().survivesZoneLoss());
        assertEquals(List.of("az-1", "az-2", "az-3"), s.zoneLabels());
        assertFalse(s.zonesGiven());
        assertEquals("r6i.large", s.instanceType());
        assertEquals(16384 * 70 / 100, s.maxmemoryMb());
        assertEquals("noeviction", s.redis().maxmemoryPolicy());
        assertEquals(5000, s.redis().nodeTimeoutMs());
        assertTrue(s.terminationProtection());
        assertTrue(s.dataVolumeSizeGib() >= 2 * s.maxmemoryMb() / 1024);
        assertEquals("/redis-ha/prod/placement", s.placementParameter());
        assertEquals("/redis-ha/prod/auth", s.authParameter());
    }

    @Test
    void tooManyReplicasForTheZonesNamesInputValueAndZones() {
        String message = refused(b -> b.replicasPerMaster(3).zones("us-east-1a", "us-east-1b", "us-east-1c"));
        assertTrue(message.startsWith("RedisCluster 'prod': zones=us-east-1a,us-east-1b,us-east-1c is not valid: at least 4 zones for replicasPerMaster=3"), message);
        assertTrue(refused(b -> b.replicasPerMaster(3)).contains("the region's first 3 available zones"));
    }

    @Test
    void planProblemsComeFromThePlannerPrefixedWithTheComponent() {
        String message = refused(b -> b.masters(2));
        assertTrue(message.startsWith("RedisCluster 'prod': masters=2 is not valid: at least 3"), message);
        message = refused(b -> b.replicasPerMaster(0));
        assertTrue(message.contains("replicasPerMaster=0") && message.contains("acceptZoneLossRisk"), message);
        assertEquals(0, valid().replicasPerMaster(0).acceptZoneLossRisk(true).build().validate("x0").plan().replicasPerMaster());
    }

    @Test
    void safeWriteModeCannotWaitForMoreReplicasThanAMasterHas() {
        String message = refused(b -> b.replicasPerMaster(1).minReplicasToWrite(2));
        assertTrue(message.contains("minReplicasToWrite=2 is not valid: 0..1 (replicasPerMaster)"), message);
        assertTrue(refused(b -> b.minReplicasToWrite(-1)).contains("minReplicasToWrite=-1 is not valid"));
        assertTrue(refused(b -> b.minReplicasToWrite(1).minReplicasMaxLagSeconds(0)).contains("minReplicasMaxLagSeconds=0 is not valid: 1..60"));
        assertEquals(1, valid().replicasPerMaster(2).minReplicasToWrite(1).build().validate("prod").redis().minReplicasToWrite());
    }

    @Test
    void nodeTimeoutOutsideTheSafeRangeIsRefusedWithTheGuidesPitfall() {
        String message = refused(b -> b.nodeTimeoutMs(500));
        assertTrue(message.contains("nodeTimeoutMs=500 is not valid: 1000..60000"), message);
        assertTrue(message.contains("false failovers"), message);
        assertTrue(refused(b -> b.nodeTimeoutMs(120000)).contains("delays a real failover"));
    }

    @Test
    void memoryLimitsLeaveTheOsRoom() {
        assertTrue(refused(b -> b.maxmemoryPercent(90)).contains("maxmemoryPercent=90 is not valid: 10..80"));
        assertTrue(refused(b -> b.instanceType("x9z.huge")).contains("instanceType=x9z.huge has no known memory size"));
        assertEquals(2048, valid().instanceType("x9z.huge").maxmemoryMb(2048).build().validate("pp").maxmemoryMb());
        assertTrue(refused(b -> b.maxmemoryMb(15000)).contains("at most 13107"));
        assertTrue(refused(b -> b.dataVolumeSizeGib(5)).contains("dataVolumeSizeGib=5 is not valid"));
    }

    @Test
    void redisPolicyPasswordImageAndAccessAreChecked() {
        assertTrue(refused(b -> b.maxmemoryPolicy("lru")).contains("maxmemoryPolicy=lru is not valid: one of noeviction, allkeys-lru"));
        assertTrue(refused(b -> b.allowedClientCidrs(List.of("0.0.0.0/0"))).contains("allowedClientCidrs contains 0.0.0.0/0"));
        assertTrue(refused(b -> b.allowedClientCidrs(List.of("::/0"))).contains("::/0"));
        assertTrue(refused(b -> b.tls(true)).contains("tls=true needs tlsMaterial"));
        assertTrue(refused(b -> b.tags(java.util.Map.of("redis-ha:node", "x"))).contains("reserved"));
        String missing = assertThrows(InvalidClusterArgsException.class,
                () -> RedisClusterArgs.builder().build().validate("prod")).getMessage();
        assertTrue(missing.contains("authPassword is missing") && missing.contains("imageId is missing"), missing);
        assertTrue(missing.startsWith("RedisCluster 'prod': 2 inputs are not valid"), missing);
    }

    @Test
    void existingVpcNeedsExplicitZonesAndOneSubnetPerZone() {
        assertTrue(refused(b -> b.vpcId("vpc-1").subnetIds("s-1", "s-2", "s-3")).contains("zones=(default) is not valid with an existing vpcId"));
        assertTrue(refused(b -> b.vpcId("vpc-1").zones("a1", "b1", "c1").subnetIds("s-1")).contains("subnetIds has 1 entries"));
        assertTrue(refused(b -> b.subnetIds("s-1")).contains("subnetIds given without vpcId"));
        assertTrue(refused(b -> b.vpcCidr("10.0.0.0/8")).contains("vpcCidr=10.0.0.0/8"));
    }

    @Test
    void badNameIsRefused() {
        String message = assertThrows(InvalidClusterArgsException.class, () -> valid().build().validate("Prod_1")).getMessage();
        assertTrue(message.contains("name=Prod_1 is not valid"), message);
    }

    @Test
    void memoryTableAndMaxmemory() {
        assertEquals(Optional.of(16384), io.redisha.topology.InstanceTypes.mib("r6i.large"));
        assertEquals(Optional.of(65536), io.redisha.topology.InstanceTypes.mib("r7g.2xlarge"));
        assertEquals(Optional.of(4096), io.redisha.topology.InstanceTypes.mib("t3.medium"));
        assertEquals(Optional.empty(), io.redisha.topology.InstanceTypes.mib("p5.48xlarge"));
        assertEquals(2867, io.redisha.topology.InstanceTypes.maxmemoryMb(4096, 70));
        assertEquals("arm64", io.redisha.topology.InstanceTypes.architecture("r7g.large"));
        assertEquals("x86_64", io.redisha.topology.InstanceTypes.architecture("r6i.large"));
    }

    @Test
    void cidrs() {
        assertEquals(null, Cidrs.clientSourceProblem("10.0.0.0/8"));
        assertEquals(null, Cidrs.clientSourceProblem("fd00::/64"));
        assertTrue(Cidrs.clientSourceProblem("0.0.0.0/0").contains("whole internet"));
        assertTrue(Cidrs.clientSourceProblem("10.0.0.0/0").contains("whole internet"));
        assertTrue(Cidrs.clientSourceProblem("300.0.0.0/8").contains("octets"));
        assertTrue(Cidrs.clientSourceProblem("example.com").contains("a CIDR"));
        assertEquals("10.42.32.0/20", Cidrs.subnetOf("10.42.0.0/16", 2));
    }

    @Test
    void nodePolicyIsLeastPrivilege() throws Exception {
        String json = Policies.nodeAccess(List.of("arn:aws:ssm:eu-west-1:1:parameter/redis-ha/p/placement",
                "arn:aws:ssm:eu-west-1:1:parameter/redis-ha/p/auth"), "arn:aws:ssm:eu-west-1:1:parameter/redis-ha/p/converge/state",
                "arn:aws:s3:::bucket/redis-ha/p/redis-ha.jar");
        JsonNode policy = new ObjectMapper().readTree(json);
        JsonNode statements = policy.get("Statement");
        assertEquals(4, statements.size());
        for (JsonNode s : statements) {
            assertFalse(s.get("Action").asText().contains("*"), "no wildcard action: " + s);
        }
        assertEquals("ssm:GetParameter", statements.get(0).get("Action").asText());
        assertEquals(2, statements.get(0).get("Resource").size());
        assertEquals("ssm.eu-west-1.amazonaws.com", statements.get(1).get("Condition").get("StringEquals").get("kms:ViaService").asText());
        // the only write: the converge record, one parameter by its full ARN
        assertEquals("ssm:PutParameter", statements.get(2).get("Action").asText());
        assertEquals("arn:aws:ssm:eu-west-1:1:parameter/redis-ha/p/converge/state", statements.get(2).get("Resource").asText());
        assertEquals("arn:aws:s3:::bucket/redis-ha/p/redis-ha.jar", statements.get(3).get("Resource").asText());
        new ObjectMapper().readTree(Policies.ec2AssumeRole());
    }

    @Test
    void convergeDocumentIsValidJsonWithTheBootstrapCommand() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ConvergeDocument.content(900));
        assertEquals("2.2", doc.get("schemaVersion").asText());
        String commands = doc.get("mainSteps").get(0).get("inputs").get("runCommand").toString();
        assertTrue(commands.contains("aws s3 cp"), commands);
        assertTrue(commands.contains("converge --plan-ssm \\\"{{ planParameter }}\\\" --password-ssm \\\"{{ passwordParameter }}\\\""), commands);
        assertTrue(doc.get("parameters").has("placementDigest"));
    }
}
