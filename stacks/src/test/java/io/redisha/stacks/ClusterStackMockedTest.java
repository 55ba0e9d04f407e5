package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import io.redisha.topology.NodeTunings;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dev and prod stacks run under com.pulumi.test mocks: nothing is deployed. */
class ClusterStackMockedTest {
    static final String INSTANCE = "aws:ec2/instance:Instance";
    static final String SG = "aws:ec2/securityGroup:SecurityGroup";
    static final String SUBNET = "aws:ec2/subnet:Subnet";
    static final String PARAMETER = "aws:ssm/parameter:Parameter";

    @ParameterizedTest(name = "mocked {0} stack declares the planned nodes and their support resources")
    @ValueSource(strings = {"dev", "prod"})
    void mockedStackResourceCounts(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        boolean prod = stack.equals("prod");
        assertEquals(prod ? 9 : 6, r.resources(INSTANCE).size());
        assertEquals(3, r.resources(SUBNET).size());
        assertEquals(3, r.resources(SG).size(), "client, node and endpoint groups");
        assertEquals(prod ? 6 : 3, r.resources(PARAMETER).size(), "placement + auth + converge record (+ 3 TLS in prod)");
        assertEquals(prod ? 2 : 1, r.resources("aws:ssm/association:Association").size(), "converge (+ the backup schedule in prod)");
        assertEquals(prod ? 2 : 1, r.resources("aws:ssm/document:Document").size(), "converge (+ backup in prod)");
        assertEquals(prod ? 1 : 0, r.resources("aws:kms/key:Key").size(), "prod's backup key");
        assertEquals(1, r.resources("aws:s3/bucketObjectv2:BucketObjectv2").size());
        assertEquals(2, r.resources("aws:iam/instanceProfile:InstanceProfile").size(), "the nodes' and the image build's");
        assertEquals(1, r.resources("aws:imagebuilder/image:Image").size(), "the node image is built by default");
        assertEquals(1, r.resources("redis-ha:index:RedisNodeImage").size());
        assertEquals(1, r.resources("redis-ha:index:RedisCluster").size());
        assertEquals(6, r.resources("aws:ec2/vpcEndpoint:VpcEndpoint").size(), "ssm, ssmmessages, ec2messages, monitoring, ec2, s3");
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (int shard = 0; shard < 3; shard++) {
            for (int member = 0; member <= (prod ? 2 : 1); member++) {
                expected.add(stack + "-node-" + shard + "-" + member);
            }
        }
        assertEquals(expected, r.resources(INSTANCE).stream().map(DeclaredResource::name).collect(Collectors.toCollection(java.util.TreeSet::new)));
    }

    @ParameterizedTest(name = "mocked {0}: every instance sits in the subnet of its planned zone; replicas apart from masters")
    @ValueSource(strings = {"dev", "prod"})
    void mockedPlacementOfInstances(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        Map<String, String> subnetZone = new HashMap<>();
        r.resources(SUBNET).forEach(s -> subnetZone.put("subnet-" + s.name(), s.string("availabilityZone")));
        Map<String, String> masterZone = new HashMap<>();
        for (DeclaredResource i : r.resources(INSTANCE)) {
            String zone = i.string("tags.redis-ha:zone");
            assertTrue(zone.startsWith("us-east-1"), zone);
            assertEquals(zone, subnetZone.get(i.string("subnetId")), i.name() + " subnet");
            assertEquals(zone, i.string("availabilityZone"), i.name());
            if (i.string("tags.redis-ha:role").equals("master")) {
                masterZone.put(i.string("tags.redis-ha:shard"), zone);
            }
        }
        assertEquals(3, masterZone.size());
        assertEquals(3, masterZone.values().stream().distinct().count(), "one master per zone");
        for (DeclaredResource i : r.resources(INSTANCE)) {
            if (i.string("tags.redis-ha:role").equals("replica")) {
                assertNotEquals(masterZone.get(i.string("tags.redis-ha:shard")), i.string("tags.redis-ha:zone"), i.name());
            }
        }
        if (stack.equals("prod")) {
            Map<String, List<String>> zonesPerShard = r.resources(INSTANCE).stream().collect(Collectors.groupingBy(
                    i -> i.string("tags.redis-ha:shard"), Collectors.mapping(i -> i.string("tags.redis-ha:zone"), Collectors.toList())));
            zonesPerShard.values().forEach(z -> assertEquals(3, z.stream().distinct().count(), "a shard spans three zones"));
        }
        assertEquals(Boolean.TRUE, r.outputs().get("survivesZoneLoss"));
        assertTrue(String.valueOf(r.outputs().get("planSummary")).contains("(us-east-1a, us-east-1b, us-east-1c): survives"),
                String.valueOf(r.outputs().get("planSummary")));
    }

    @ParameterizedTest(name = "mocked {0}: IMDSv2, no public IP, encrypted gp3 volumes, termination protection as configured")
    @ValueSource(strings = {"dev", "prod"})
    void mockedInstanceHardening(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        for (DeclaredResource i : r.resources(INSTANCE)) {
            assertEquals("required", i.string("metadataOptions.httpTokens"), i.name());
            assertEquals("false", i.string("associatePublicIpAddress"), i.name());
            assertEquals("true", i.string("rootBlockDevice.encrypted"), i.name());
            assertEquals("gp3", i.string("rootBlockDevice.volumeType"), i.name());
            assertEquals("true", i.string("ebsBlockDevices.0.encrypted"), i.name());
            assertEquals("gp3", i.string("ebsBlockDevices.0.volumeType"), i.name());
            assertEquals(String.valueOf(stack.equals("prod")), i.string("disableApiTermination"), i.name());
            assertEquals(MockedDeployment.BUILT_AMI, i.string("ami"), "the AMI of the node image the stack builds");
            NodeTunings.instanceTags().forEach((k, v) -> assertEquals(v, i.string("tags." + k), i.name() + " tag " + k));
            assertTrue(i.string("userData").contains("tcp-backlog " + NodeTunings.value("tcp_backlog") + "\n"), i.name());
            // prod (2 replicas per master) runs the safe write mode; dev (1 replica) keeps plain writes.
            assertEquals(stack.equals("prod"), i.string("userData").contains("min-replicas-to-write 1\n"), i.name());
        }
    }

    @ParameterizedTest(name = "mocked {0}: no ingress from 0.0.0.0/0 or ::/0; cluster bus only from the node group itself")
    @ValueSource(strings = {"dev", "prod"})
    void mockedSecurityGroups(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        for (DeclaredResource sg : r.resources(SG)) {
            List<?> ingress = (List<?>) sg.input("ingress").orElse(List.of());
            for (int n = 0; n < ingress.size(); n++) {
                String cidrs = sg.string("ingress." + n + ".cidrBlocks") + sg.string("ingress." + n + ".ipv6CidrBlocks");
                assertFalse(cidrs.contains("0.0.0.0/0") || cidrs.contains("::/0"), sg.name() + " ingress " + n + ": " + cidrs);
                double from = (Double) sg.input("ingress." + n + ".fromPort").get();
                if (from == 16379) {
                    assertEquals("true", sg.string("ingress." + n + ".self"), "bus only from the group itself");
                    assertEquals("", sg.string("ingress." + n + ".cidrBlocks").replace("[]", ""));
                }
            }
        }
        DeclaredResource nodeSg = r.resource(stack + "-node-sg");
        assertTrue(nodeSg.input("ingress").map(Object::toString).orElse("").contains("sg-" + stack + "-client-sg"));
        assertEquals("sg-" + stack + "-client-sg", r.outputs().get("clientSecurityGroupId"));
    }

    @ParameterizedTest(name = "mocked {0}: the password exists only as a secret (SSM SecureString), never in user data or outputs")
    @ValueSource(strings = {"dev", "prod"})
    void mockedPasswordOnlyAsSecret(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        DeclaredResource auth = r.resource(stack + "-auth");
        assertEquals("SecureString", auth.string("type"));
        assertEquals(Stacks.PASSWORD, auth.string("value"));
        assertTrue(auth.secretInputs().contains("value"), "the password is sent as a secret: " + auth.secretInputs());
        for (DeclaredResource res : r.resources()) {
            if (res == auth) {
                continue;
            }
            for (Map.Entry<String, Object> input : res.inputs().entrySet()) {
                boolean holds = String.valueOf(input.getValue()).contains(Stacks.PASSWORD);
                assertFalse(holds && !res.secretInputs().contains(input.getKey()),
                        res.name() + "." + input.getKey() + " holds the password in plain text");
            }
        }
        r.resources(INSTANCE).forEach(i -> {
            assertFalse(i.string("userData").contains(Stacks.PASSWORD));
            assertTrue(i.string("userData").contains("get-parameter --name '/redis-ha/" + stack + "/auth' --with-decryption"));
        });
        assertFalse(r.outputs().toString().contains(Stacks.PASSWORD));
        if (stack.equals("prod")) {
            DeclaredResource key = r.resource("prod-tls-key");
            assertTrue(key.secretInputs().contains("value"));
            r.resources(INSTANCE).forEach(i -> assertFalse(i.string("userData").contains("mocked-key")));
        }
    }

    @ParameterizedTest(name = "mocked {0}: placement parameter is the plan bound to the instances' private IPs")
    @ValueSource(strings = {"dev", "prod"})
    void mockedPlacementParameter(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        DeclaredResource parameter = r.resource(stack + "-placement");
        assertEquals("/redis-ha/" + stack + "/placement", parameter.string("name"));
        assertEquals("String", parameter.string("type"));
        Placement placement = Placement.fromJson(parameter.string("value"));
        for (DeclaredResource i : r.resources(INSTANCE)) {
            String node = i.string("tags.redis-ha:node");
            assertEquals(i.string("tags.redis-ha:zone"), placement.plan().node(node).zone());
        }
        List<?> nodes = (List<?>) r.outputs().get("nodes");
        assertEquals(placement.plan().nodes().size(), nodes.size());
        for (Object o : nodes) {
            Map<?, ?> node = (Map<?, ?>) o;
            assertEquals(placement.addressOf((String) node.get("name")).host(), node.get("privateIp"));
        }
        assertEquals(3, ((List<?>) r.outputs().get("seedEndpoints")).size());
        DeclaredResource association = r.resource(stack + "-converge-association");
        assertEquals("900.0", association.string("waitForSuccessTimeoutSeconds"), association.inputs().toString());
        assertEquals("/redis-ha/" + stack + "/placement", association.string("parameters.planParameter"));
        assertEquals("/redis-ha/" + stack + "/auth", association.string("parameters.passwordParameter"));
        assertEquals(stack + "-node-0-0-id", association.string("targets.0.values.0"));
        assertTrue(r.resource(stack + "-bootstrap-jar").string("source").endsWith("cli/target/redis-ha-node.jar"));
        String tls = r.resources(INSTANCE).get(0).string("userData");
        assertEquals(stack.equals("prod"), tls.contains("tls-port 6379"));
        assertEquals(placement.plan().toJson(), Plan.fromJson((String) r.outputs().get("plan")).toJson(), "the plan output is the placement's plan");
        assertEquals(List.of(), r.outputs().get("retiringNodes"));
        assertTrue(placement.retiring().isEmpty());
        assertTrue(String.valueOf(r.outputs().get("scalingPlan")).startsWith("new cluster: 3 masters"), String.valueOf(r.outputs().get("scalingPlan")));
        assertEquals(MockedDeployment.BUILT_AMI, r.outputs().get("imageId"));
    }

    @ParameterizedTest(name = "mocked {0}: the converge document runs redis-ha converge over TLS exactly when the nodes serve TLS")
    @ValueSource(strings = {"dev", "prod"})
    void mockedConvergeDocumentTls(String stack) throws Exception {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        String content = r.resource(stack + "-converge").string("content");
        boolean tls = stack.equals("prod");
        assertTrue(content.contains("converge --plan-ssm"), content);
        assertEquals(tls, content.contains(" --tls --tls-ca-cert /etc/redis/tls/ca.crt"), content);
        assertEquals(tls, r.resources(INSTANCE).get(0).string("userData").contains("/etc/redis/tls/ca.crt"));
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(content); // still valid JSON
    }

    @org.junit.jupiter.api.Test
    void mockedOwnImageIdSkipsTheImageBuildAndTagsTuningsOnlyWhenStated() {
        MockedDeployment.Result byo = Stacks.run("dev", Map.of("redis-ha:imageId", "ami-0123456789abcdef0"));
        assertTrue(byo.succeeded(), () -> byo.failure().orElse(""));
        assertTrue(byo.resources("aws:imagebuilder/image:Image").isEmpty(), "no image is built for an own AMI");
        assertTrue(byo.resources("redis-ha:index:RedisNodeImage").isEmpty());
        for (DeclaredResource i : byo.resources(INSTANCE)) {
            assertEquals("ami-0123456789abcdef0", i.string("ami"));
            assertEquals("", i.string("tags." + NodeTunings.TUNINGS_TAG_KEY), "unstated tunings are not claimed");
            assertTrue(i.string("userData").contains("tcp-backlog 65535\n"), "set in redis.conf, not through an include the AMI may lack");
            assertFalse(i.string("userData").contains(NodeTunings.REDIS_CONF_INCLUDE));
        }
        MockedDeployment.Result stated = Stacks.run("dev", Map.of("redis-ha:imageId", "ami-0123456789abcdef0",
                "redis-ha:imageProvidesTunings", "true"));
        for (DeclaredResource i : stated.resources(INSTANCE)) {
            assertEquals(NodeTunings.tagValue(), i.string("tags." + NodeTunings.TUNINGS_TAG_KEY), i.name());
            assertEquals(NodeTunings.IMAGE_TAG_VALUE, i.string("tags." + NodeTunings.IMAGE_TAG_KEY), i.name());
        }
    }

    @ParameterizedTest(name = "mocked {0}: node IAM policy reads only this cluster's parameters and jar")
    @ValueSource(strings = {"dev", "prod"})
    void mockedIamPolicy(String stack) {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        String policy = r.resource(stack + "-node-access").string("policy");
        assertTrue(policy.contains("arn:aws:ssm:us-east-1:123456789012:parameter/redis-ha/" + stack + "/placement"), policy);
        assertTrue(policy.contains("arn:aws:ssm:us-east-1:123456789012:parameter/redis-ha/" + stack + "/auth"), policy);
        assertTrue(policy.contains("/redis-ha/" + stack + "/redis-ha.jar"), policy);
        assertFalse(policy.contains("\"Action\":\"*\"") || policy.contains("ssm:*") || policy.contains("s3:*"), policy);
        assertEquals("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", r.resource(stack + "-node-ssm-core").string("policyArn"));
    }

    @ParameterizedTest(name = "committed Pulumi.{0}.yaml holds no plain secret")
    @ValueSource(strings = {"dev", "prod"})
    void committedConfigHasNoPlainSecret(String stack) throws Exception {
        String text = Files.readString(Stacks.file(stack));
        assertFalse(text.lines().anyMatch(l -> l.trim().startsWith("redis-ha:authPassword:") && !l.contains("secure:")));
        assertFalse(text.lines().anyMatch(l -> l.trim().startsWith("redis-ha:tlsPrivateKey:") && !l.contains("secure:")));
        assertTrue(ClusterStack.unknownKeys(io.redisha.mock.StackConfigFile.load(Stacks.file(stack)).config()).isEmpty());
    }
}
