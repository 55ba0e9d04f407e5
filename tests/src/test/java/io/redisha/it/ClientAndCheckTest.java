package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.JedisClusterCRC16;

/** One AUTH-protected 3x1 cluster: the guide's client snippet, and check on good and broken states. */
class ClientAndCheckTest {
    private static final String PASSWORD = "guide-pass";
    private static final ClusterEngine ENGINE = new ClusterEngine(Duration.ofSeconds(30));
    private static RedisNodes nodes;
    private static Placement placement;

    @BeforeAll
    static void form() {
        nodes = RedisNodes.nodes(6).withPassword(PASSWORD).start();
        placement = Planner.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ENGINE.converge(placement, Credentials.password(PASSWORD), ClusterListener.SILENT);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void theGuidesClientSnippetWorks() {
        NodeAddress seed = placement.addressOf("node-0-0");
        try (RedisClusterClient cluster = RedisClusterClient.builder()
                .nodes(Set.of(new HostAndPort(seed.host(), seed.port())))
                .clientConfig(DefaultJedisClientConfig.builder().password(PASSWORD).build()).build()) {
            cluster.set("user:1", "alice");
            assertEquals("alice", cluster.get("user:1"));

            cluster.set("{order:100}.items", "item1,item2");
            cluster.set("{order:100}.total", "59.99");
            cluster.set("{order:100}.status", "pending");
            int slot = JedisClusterCRC16.getSlot("{order:100}.items");
            assertEquals(slot, JedisClusterCRC16.getSlot("{order:100}.total"));
            assertEquals(slot, JedisClusterCRC16.getSlot("{order:100}.status"));
            // Multi-key commands work because the hash tag puts the keys on one slot.
            assertEquals(List.of("item1,item2", "59.99", "pending"),
                    cluster.mget("{order:100}.items", "{order:100}.total", "{order:100}.status"));

            try (AbstractPipeline pipe = cluster.pipelined()) {
                Response<String> items = pipe.get("{order:100}.items");
                Response<String> total = pipe.get("{order:100}.total");
                Response<String> status = pipe.get("{order:100}.status");
                pipe.sync();
                assertEquals(List.of("item1,item2", "59.99", "pending"), List.of(items.get(), total.get(), status.get()));
            }
        }
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void checkPassesOnTheFormedClusterWithPlannedZones() {
        CheckReport report = ENGINE.check(List.of(nodes.address(0)), placement.zoneByAddress(), Credentials.password(PASSWORD));
        assertTrue(report.ok(), report::toTable);
        assertEquals(6, report.summary().reachable());
        assertEquals(3, report.summary().masters());
        assertEquals(3, report.summary().replicas());
        assertTrue(report.summary().zoneSafety().startsWith("survives"), report.summary().zoneSafety());
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void checkFailsWhenAReplicaIsLabelledIntoItsMastersZone() {
        Map<NodeAddress, String> zones = new LinkedHashMap<>(placement.zoneByAddress());
        NodeAddress replica = placement.addressOf("node-0-1");
        zones.put(replica, placement.plan().node("node-0-0").zone());
        CheckReport report = ENGINE.check(List.of(nodes.address(0)), zones, Credentials.password(PASSWORD));
        assertFalse(report.ok());
        assertTrue(report.failures().stream().anyMatch(f -> f.node().startsWith(replica.toString())
                && f.message().contains("in its master's zone")), report::toTable);
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void checkFailsOnAnOpenSlotAndPassesAgainOnceItIsClosed() {
        NodeAddress master = placement.addressOf("node-0-0");
        String otherMaster = Live.myId(nodes, placement.addressOf("node-1-0"));
        try (Jedis jedis = nodes.jedis(master)) {
            jedis.clusterSetSlotImporting(6000, otherMaster);
            try {
                CheckReport report = ENGINE.check(List.of(master), Map.of(), Credentials.password(PASSWORD));
                assertFalse(report.ok());
                assertTrue(report.failures().stream().anyMatch(f -> f.message().contains("open slots: 6000 importing from")), report::toTable);
            } finally {
                jedis.clusterSetSlotStable(6000);
            }
        }
        assertTrue(ENGINE.check(List.of(master), Map.of(), Credentials.password(PASSWORD)).ok());
    }
}
