package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.TlsSettings;
import io.redisha.local.LocalTls;
import io.redisha.server.RedisConf;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * TLS end to end, as on EC2: nodes on tls-port only with tls-cluster and tls-replication, AUTH on,
 * formed by the CLI jar with the flags the SSM document passes, checked over TLS (also with a
 * client certificate), used by a TLS cluster client.
 */
class TlsClusterTest {
    private static final String PASSWORD = "tls-s3cret";
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");

    @Test
    void formsChecksAndServesA3x1ClusterOverTlsWithAuth(@TempDir Path tmp) throws Exception {
        RedisConf.TlsFiles certs = LocalTls.ensure(tmp.resolve("tls"));
        try (RedisNodes nodes = RedisNodes.nodes(6).withPassword(PASSWORD).withTls(certs).start()) {
            Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
            Path plan = tmp.resolve("plan.json");
            Files.writeString(plan, placement.toJson());
            Map<String, String> env = Map.of("REDIS_HA_TEST_PASSWORD", PASSWORD);

            Jar.Result converge = Jar.run(env, "converge", "--plan-file", plan.toString(), "--password-env", "REDIS_HA_TEST_PASSWORD",
                    "--tls", "--tls-ca-cert", certs.caCert().toString(), "--json");
            assertEquals(0, converge.exit(), converge.both());
            JsonNode result = new ObjectMapper().readTree(converge.out()).get("result");
            assertEquals(3, result.get("masters").asInt(), converge.out());
            assertEquals(3, result.get("replicas").asInt(), converge.out());

            List<String> check = new ArrayList<>(List.of("check", nodes.address(0).toString(), "--password-env", "REDIS_HA_TEST_PASSWORD",
                    "--tls", "--tls-ca-cert", certs.caCert().toString(), "--tls-cert", certs.cert().toString(),
                    "--tls-key", certs.key().toString(), "--json", "--zones"));
            check.add(String.join(",", nodes.zoned(ZONES).stream().map(ZonedNode::toString).toList()));
            Jar.Result checked = Jar.run(env, check.toArray(String[]::new));
            assertEquals(0, checked.exit(), checked.both());
            JsonNode summary = new ObjectMapper().readTree(checked.out()).get("summary");
            assertEquals(6, summary.get("reachable").asInt());
            assertEquals(16384, summary.get("slotsAssigned").asInt());
            assertTrue(summary.get("zoneSafety").asText().startsWith("survives"), checked.out());

            // Without TLS the same nodes do not answer: the plain port is off.
            Jar.Result plain = Jar.run(env, "check", nodes.address(0).toString(), "--password-env", "REDIS_HA_TEST_PASSWORD");
            assertEquals(1, plain.exit(), plain.both());
            assertFalse(new ClusterEngine().check(List.of(nodes.address(0)), Map.of(), Credentials.password(PASSWORD)).ok());
            assertTrue(new ClusterEngine().check(List.of(nodes.address(0)), Map.of(),
                    Credentials.password(PASSWORD).withTls(TlsSettings.trusting(certs.caCert()))).ok());

            NodeAddress seed = nodes.address(3);
            try (RedisClusterClient client = RedisClusterClient.builder()
                    .nodes(Set.of(new HostAndPort(seed.host(), seed.port())))
                    .clientConfig(DefaultJedisClientConfig.builder().password(PASSWORD).ssl(true)
                            .sslSocketFactory(TlsSettings.trusting(certs.caCert()).socketFactory()).build()).build()) {
                for (int i = 0; i < 200; i++) {
                    client.set("tls:" + i, "v" + i);
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("v" + i, client.get("tls:" + i));
                }
            }
        }
    }

    @Test
    void aMissingCaOrAHalfClientPairIsInvalidInput(@TempDir Path tmp) {
        Jar.Result noCa = Jar.run(Map.of(), "check", "127.0.0.1:1", "--tls");
        assertEquals(2, noCa.exit(), noCa.both());
        assertTrue(noCa.err().contains("tls-ca-cert"), noCa.err());
        RedisConf.TlsFiles certs = LocalTls.ensure(tmp.resolve("tls"));
        Jar.Result half = Jar.run(Map.of(), "check", "127.0.0.1:1", "--tls-ca-cert", certs.caCert().toString(),
                "--tls-cert", certs.cert().toString());
        assertEquals(2, half.exit(), half.both());
        assertTrue(half.err().contains("--tls-key"), half.err());
    }
}
