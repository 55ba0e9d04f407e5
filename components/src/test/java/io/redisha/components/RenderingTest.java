package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.components.node.ConvergeDocument;
import io.redisha.components.node.NodeRedisConf;
import org.junit.jupiter.api.Test;

class RenderingTest {
    @Test
    void redisConfHasTheGuidesClusterSettingsAndNoSecret() {
        String conf = NodeRedisConf.render(new NodeRedisConf.Settings(5000, 2867, "allkeys-lru", false));
        for (String line : new String[] {"port 6379", "cluster-enabled yes", "cluster-config-file nodes.conf",
                "cluster-node-timeout 5000", "appendonly yes", "dir /var/lib/redis", "maxmemory 2867mb",
                "maxmemory-policy allkeys-lru", "protected-mode yes", "include /etc/redis/redis-ha-auth.conf"}) {
            assertTrue(conf.contains(line + "\n"), "missing '" + line + "' in\n" + conf);
        }
        assertFalse(conf.lines().anyMatch(l -> l.startsWith("requirepass") || l.startsWith("masterauth")));
        assertFalse(conf.contains("tls-port"));
        assertTrue(conf.contains("tcp-backlog " + io.redisha.topology.NodeTunings.value("tcp_backlog") + "\n"), conf);
        assertFalse(conf.contains(io.redisha.topology.NodeTunings.REDIS_CONF_INCLUDE), "no include a bring-your-own AMI may lack");
    }

    @Test
    void safeWriteModeRendersMinReplicasOnlyWhenAsked() {
        String plain = NodeRedisConf.render(new NodeRedisConf.Settings(5000, 1000, "noeviction", false));
        assertFalse(plain.contains("min-replicas"), plain);
        String safe = NodeRedisConf.render(new NodeRedisConf.Settings(5000, 1000, "noeviction", false, 1, 10));
        assertTrue(safe.contains("min-replicas-to-write 1\n") && safe.contains("min-replicas-max-lag 10\n"), safe);
    }

    /** The same directive set as local's renderer (bootstrap's RedisConfTest asserts the same list there). */
    @Test
    void redisConfEmitsEverySharedDirectiveWithItsValue() {
        for (boolean tls : new boolean[] {false, true}) {
            String conf = NodeRedisConf.render(new NodeRedisConf.Settings(7000, 1000, "volatile-lru", tls));
            java.util.Map<String, String> directives = new java.util.HashMap<>();
            conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(" ", 2))
                    .forEach(d -> directives.put(d[0], d[1]));
            for (io.redisha.topology.RedisDirective shared : io.redisha.topology.RedisDirectives.shared(7000, "volatile-lru", tls)) {
                assertEquals(shared.value(), directives.get(shared.name()), shared.name() + " (tls=" + tls + ") in\n" + conf);
            }
        }
    }

    @Test
    void convergeDocumentUsesTlsOptionsOnlyWithTls() throws Exception {
        String plain = ConvergeDocument.content(900, false);
        String tls = ConvergeDocument.content(900, true);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String plainRun = json.readTree(plain).at("/mainSteps/0/inputs/runCommand").toString();
        String tlsRun = json.readTree(tls).at("/mainSteps/0/inputs/runCommand").toString();
        assertTrue(plainRun.contains("converge --plan-ssm") && !plainRun.contains("--tls"), plainRun);
        assertTrue(tlsRun.contains("--attempt \\\"{{ attempt }}\\\" --tls --tls-ca-cert /etc/redis/tls/ca.crt"), tlsRun);
        assertTrue(tlsRun.contains(NodeRedisConf.TLS_CA_FILE));
        assertEquals(plain, ConvergeDocument.content(900));
    }

    @Test
    void tlsConfServesTlsOnlyOnTheClientPort() {
        String conf = NodeRedisConf.render(new NodeRedisConf.Settings(5000, 1000, "noeviction", true));
        assertTrue(conf.contains("port 0\n") && conf.contains("tls-port 6379\n") && conf.contains("tls-cluster yes\n")
                && conf.contains("tls-replication yes\n"), conf);
    }

    @Test
    void userDataFetchesThePasswordFromSsmAndNeverHoldsIt() {
        String password = "hunter2-very-secret";
        ClusterSettings s = RedisClusterArgs.builder().imageId("ami-1").authPassword(Output.ofSecret(password))
                .instanceType("t3.medium").build().validate("dev");
        String userData = s.userData("node-1-1");
        assertTrue(userData.startsWith("#!/bin/bash\n"));
        assertFalse(userData.contains(password));
        assertTrue(userData.contains("aws ssm get-parameter --name '/redis-ha/dev/auth' --with-decryption"), userData);
        assertTrue(userData.contains("requirepass") && userData.contains("masterauth"));
        assertTrue(userData.contains("maxmemory 2867mb"), "t3.medium 4096 MiB x 70%");
        assertTrue(userData.contains("systemctl restart redis-server.service"));
        assertTrue(userData.contains("mkfs.xfs") && userData.contains("/var/lib/redis"));
        assertFalse(userData.contains("/redis-ha/dev/tls"));
    }

    @Test
    void tlsUserDataFetchesTheTlsMaterial() {
        ClusterSettings s = RedisClusterArgs.builder().imageId("ami-1").authPassword(Output.of("p")).tls(true)
                .tlsMaterial(Output.of("ca"), Output.of("cert"), Output.of("key")).build().validate("prod");
        String userData = s.userData("node-0-0");
        assertTrue(userData.contains("/redis-ha/prod/tls/key") && userData.contains("tls-port 6379"), userData);
    }
}
