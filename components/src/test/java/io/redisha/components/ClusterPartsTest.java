package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.components.node.NodeRedisConf;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.PlannedNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each part of {@link RedisCluster} on its own, under mocks ({@link PartMocks}): what it declares and returns. */
class ClusterPartsTest {
    private static final Map<String, String> TAGS = Map.of("redis-ha:cluster", "tc");

    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw")).instanceType("t3.medium");
    }

    private static ClusterNetwork.Declared givenNetwork() {
        return new ClusterNetwork.Declared(List.of(Output.of("za"), Output.of("zb"), Output.of("zc")), Output.of("vpc-1"),
                List.of(Output.of("subnet-a"), Output.of("subnet-b"), Output.of("subnet-c")), Optional.empty(), List.of());
    }

    @Test
    void networkOfAGivenVpcDeclaresNothingAndKeepsTheSubnetOrder() {
        RedisClusterArgs args = valid().zones("za", "zb", "zc").vpcId("vpc-1").subnetIds("subnet-a", "subnet-b", "subnet-c").build();
        var run = PartMocks.run(parent -> ClusterNetwork.declare(parent, "tc", args, args.validate("tc"), TAGS));
        assertEquals(List.of(), run.names());
        assertEquals("vpc-1", PartMocks.value(run.declared().vpcId()));
        assertEquals(List.of("subnet-a", "subnet-b", "subnet-c"), PartMocks.value(Output.all(run.declared().subnetIds())));
        assertEquals(List.of("za", "zb", "zc"), PartMocks.value(Output.all(run.declared().zoneNames())));
    }

    @Test
    void newNetworkHasOnePrivateSubnetPerZoneInTheRegionsFirstZonesAndTheEndpoints() {
        RedisClusterArgs args = valid().build();
        var run = PartMocks.run(parent -> ClusterNetwork.declare(parent, "tc", args, args.validate("tc"), TAGS));
        assertEquals(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), PartMocks.value(Output.all(run.declared().zoneNames())));
        for (int i = 0; i < 3; i++) {
            assertEquals("eu-west-1" + "abc".charAt(i), run.resource("tc-subnet-" + i).inputs.get("availabilityZone"));
            assertEquals(false, run.resource("tc-subnet-" + i).inputs.get("mapPublicIpOnLaunch"));
            assertTrue(run.names().contains("tc-private-rt-" + i));
        }
        assertEquals("com.amazonaws.eu-west-1.s3", run.resource("tc-s3-endpoint").inputs.get("serviceName"));
        for (String service : NodeEndpoints.INTERFACE) {
            assertEquals("com.amazonaws.eu-west-1." + service, run.resource("tc-" + service + "-endpoint").inputs.get("serviceName"));
        }
        assertEquals(1 + NodeEndpoints.INTERFACE.size(), run.declared().ready().size());
        assertEquals("pl-tc-s3-endpoint", PartMocks.value(run.declared().s3PrefixList().orElseThrow()));
    }

    @Test
    void nodeSecurityKeepsTheBusToNodesAndSplitsClientCidrsByFamily() {
        RedisClusterArgs args = valid().allowedClientCidrs(List.of("10.1.0.0/16", "fd00::/8")).build();
        var run = PartMocks.run(parent -> NodeSecurity.declare(parent, "tc", args, givenNetwork(), TAGS));
        assertEquals(List.of("tc-client-sg", "tc-node-sg"), run.names());
        List<?> ingress = (List<?>) run.resource("tc-node-sg").inputs.get("ingress");
        Map<?, ?> bus = ingress.stream().map(r -> (Map<?, ?>) r)
                .filter(r -> ((Number) r.get("fromPort")).intValue() == NodeRedisConf.BUS_PORT).findFirst().orElseThrow();
        assertEquals(true, bus.get("self"));
        assertFalse(bus.containsKey("cidrBlocks"), bus.toString());
        Map<?, ?> cidrs = ingress.stream().map(r -> (Map<?, ?>) r).filter(r -> r.containsKey("cidrBlocks")).findFirst().orElseThrow();
        assertEquals(List.of("10.1.0.0/16"), cidrs.get("cidrBlocks"));
        assertEquals(List.of("fd00::/8"), cidrs.get("ipv6CidrBlocks"));
        // no S3 prefix list (a given VPC without one): no S3 egress rule
        List<?> egress = (List<?>) run.resource("tc-node-sg").inputs.get("egress");
        assertFalse(egress.stream().anyMatch(r -> ((Map<?, ?>) r).containsKey("prefixListIds")), egress.toString());
    }

    @Test
    void secretsAreThePasswordAndWithTlsTheCertificatesAndKey() {
        RedisClusterArgs plain = valid().build();
        var run = PartMocks.run(parent -> ClusterSecrets.declare(parent, "tc", plain, plain.validate("tc"), TAGS));
        assertEquals(List.of("tc-auth"), run.names());
        assertEquals("/redis-ha/tc/auth", run.resource("tc-auth").inputs.get("name"));
        assertEquals("SecureString", run.resource("tc-auth").inputs.get("type"));

        RedisClusterArgs tls = valid().tls(true).tlsMaterial(Output.of("ca"), Output.of("cert"), Output.of("key")).build();
        var withTls = PartMocks.run(parent -> ClusterSecrets.declare(parent, "tc", tls, tls.validate("tc"), TAGS));
        assertEquals(List.of("tc-auth", "tc-tls-ca", "tc-tls-cert", "tc-tls-key"), withTls.names());
        assertEquals(4, withTls.declared().all().size());
        assertEquals("/redis-ha/tc/tls/key", withTls.resource("tc-tls-key").inputs.get("name"));
    }

    @Test
    void bootstrapArtifactUsesAGivenBucketOrDeclaresAPrivateEncryptedOne() {
        RedisClusterArgs given = valid().bootstrapBucket(Output.of("my-bucket")).build();
        var run = PartMocks.run(parent -> BootstrapArtifact.declare(parent, "tc", given, TAGS));
        assertEquals(List.of("tc-bootstrap-jar"), run.names());
        assertEquals("arn:aws:s3:::my-bucket/redis-ha/tc/redis-ha.jar", PartMocks.value(run.declared().jarArn()));

        RedisClusterArgs own = valid().build();
        var declared = PartMocks.run(parent -> BootstrapArtifact.declare(parent, "tc", own, TAGS));
        assertEquals(List.of("tc-bootstrap", "tc-bootstrap-jar", "tc-bootstrap-public-access", "tc-bootstrap-sse"), declared.names());
        assertEquals(true, declared.resource("tc-bootstrap-public-access").inputs.get("blockPublicPolicy"));
        assertEquals("tc-bootstrap-bucket", PartMocks.value(declared.declared().bucketName()));
    }

    @Test
    void nodeRoleGrantsThePlacementParameterOfTheProvidersRegionAndAccount() {
        RedisClusterArgs args = valid().bootstrapBucket(Output.of("my-bucket")).build();
        ClusterSettings settings = args.validate("tc");
        var run = PartMocks.run(parent -> {
            ClusterSecrets.Declared secrets = ClusterSecrets.declare(parent, "tc", args, settings, TAGS);
            return NodeRole.declare(parent, "tc", settings, secrets, BootstrapArtifact.declare(parent, "tc", args, TAGS), Optional.empty(), TAGS);
        });
        String policy = (String) run.resource("tc-node-access").inputs.get("policy");
        assertTrue(policy.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/redis-ha/tc/placement"), policy);
        assertTrue(policy.contains("arn:aws:s3:::my-bucket/redis-ha/tc/redis-ha.jar"), policy);
        assertEquals(4, run.declared().ready().size());
    }

    @Test
    void withBackupsAndARestoreTheNodeRoleWritesUnderThePrefixAndReadsTheBackupOfThisRegion() {
        RedisClusterArgs args = valid().bootstrapBucket(Output.of("my-bucket")).backups(BackupArgs.builder().bucket("team-backups")
                .kmsKeyArn("arn:aws:kms:eu-west-1:123456789012:key/k-1").build()).restoreFrom("s3://old/prod/20261207T031725Z").build();
        ClusterSettings settings = args.validate("tc");
        var run = PartMocks.run(parent -> {
            ClusterSecrets.Declared secrets = ClusterSecrets.declare(parent, "tc", args, settings, TAGS);
            Optional<ClusterBackups.Storage> storage = ClusterBackups.storage(parent, "tc", settings, TAGS);
            return NodeRole.declare(parent, "tc", settings, secrets, BootstrapArtifact.declare(parent, "tc", args, TAGS), storage, TAGS);
        });
        // an existing bucket and key: the component declares none of the bucket's settings, nor a key
        assertFalse(run.names().stream().anyMatch(n -> n.startsWith("tc-backups")), run.names().toString());
        String write = (String) run.resource("tc-node-backups").inputs.get("policy");
        assertTrue(write.contains("\"arn:aws:s3:::team-backups/tc/*\"") && write.contains("arn:aws:kms:eu-west-1:123456789012:key/k-1"), write);
        String read = (String) run.resource("tc-node-restore").inputs.get("policy");
        assertTrue(read.contains("\"arn:aws:s3:::old/prod/20261207T031725Z/*\"") && read.contains("s3.eu-west-1.amazonaws.com"), read);
        assertEquals(4, run.declared().ready().size(), "nodes boot without waiting for the backup policies");
    }

    @Test
    void nodesAreOneInstancePerPlannedNodeInTheSubnetOfItsZoneAndConvergeBindsThemByName() {
        RedisClusterArgs args = valid().zones("za", "zb", "zc").vpcId("vpc-1").subnetIds("subnet-a", "subnet-b", "subnet-c")
                .bootstrapBucket(Output.of("my-bucket")).build();
        ClusterSettings settings = args.validate("tc");
        var run = PartMocks.run(parent -> {
            ClusterNetwork.Declared network = givenNetwork();
            ClusterSecrets.Declared secrets = ClusterSecrets.declare(parent, "tc", args, settings, TAGS);
            BootstrapArtifact.Declared artifact = BootstrapArtifact.declare(parent, "tc", args, TAGS);
            ClusterNodes.Declared nodes = ClusterNodes.declare(parent, "tc", Output.of("ami-0123"), settings, network,
                    NodeSecurity.declare(parent, "tc", args, network, TAGS),
                    NodeRole.declare(parent, "tc", settings, secrets, artifact, Optional.empty(), TAGS), secrets, artifact, TAGS);
            ClusterConverge.Declared converge = ClusterConverge.declare(parent, "tc", args, settings, Output.of(settings.plan()),
                    nodes, secrets, artifact, List.of(), TAGS);
            return Map.entry(nodes, converge);
        });
        ClusterNodes.Declared nodes = run.declared().getKey();
        assertEquals(6, nodes.planned().size());
        assertEquals(List.of(), nodes.all().subList(6, nodes.all().size()));
        for (PlannedNode node : settings.plan().nodes()) {
            var instance = run.resource("tc-" + node.name());
            assertEquals(node.zone(), instance.inputs.get("availabilityZone"));
            assertEquals("subnet-" + node.zone().substring(1), instance.inputs.get("subnetId"));
        }
        // the published placement holds each node's own instance address, whatever the declaration order
        Placement placement = Placement.fromJson((String) run.resource("tc-placement").inputs.get("value"));
        Map<String, NodeAddress> addresses = PartMocks.value(ClusterNodes.addresses(nodes.planned()));
        assertEquals(new TreeSet<>(addresses.keySet()), new TreeSet<>(placement.addresses().keySet()));
        addresses.forEach((node, address) -> assertEquals(address, placement.addressOf(node)));
        assertTrue(run.names().contains("tc-converge-association"));
    }
}
