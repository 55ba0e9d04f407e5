package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Formation and growth lower cluster-node-timeout and repl-diskless-sync-delay on the nodes they
 * add, and every value is back, read from the nodes themselves, when converge returns; members of
 * the serving cluster are never touched.
 */
class IdleFloorsTest {
    private static final String NODE_TIMEOUT = "5000";

    @Test
    void formationLowersTheFloorsOnTheFreshNodesAndRestoresThem() {
        try (RedisNodes nodes = RedisNodes.nodes(6).start()) {
            List<String> delays = nodes.addresses().stream().map(a -> config(nodes, a, "repl-diskless-sync-delay")).toList();
            ConvergeResult formed = new ClusterEngine().converge(Resharding.assign(nodes.zoned(List.of("a", "b", "c")), 1,
                    ZoneLoss.MUST_SURVIVE, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
            assertEquals(6, formed.actions().stream().filter(a -> a.startsWith("CONFIG SET")).count(), formed.actions().toString());
            assertTrue(formed.actions().contains("restored cluster-node-timeout, repl-diskless-sync-delay and cluster-replica-no-failover on every node touched, and read them back"));
            for (int i = 0; i < 6; i++) {
                assertEquals(NODE_TIMEOUT, config(nodes, nodes.address(i), "cluster-node-timeout"));
                assertEquals(delays.get(i), config(nodes, nodes.address(i), "repl-diskless-sync-delay"));
                assertEquals("no", config(nodes, nodes.address(i), "cluster-replica-no-failover"));
            }
            ConvergeResult again = new ClusterEngine().converge(Resharding.assign(nodes.zoned(List.of("a", "b", "c")), 1,
                    ZoneLoss.MUST_SURVIVE, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
            assertEquals(List.of(), again.actions(), "a formed cluster is left alone, settings included");
        }
    }

    @Test
    void growthLowersTheFloorsOnlyOnTheNewNodes() {
        try (RedisNodes nodes = RedisNodes.nodes(4).withReplicasPerMaster(0).start()) {
            List<ZonedNode> zoned = nodes.zoned(List.of("a", "b", "c", "a"));
            new ClusterEngine().converge(Resharding.assign(zoned.subList(0, 3), 0, ZoneLoss.ACCEPT_RISK, Credentials.none()),
                    Credentials.none(), ClusterListener.SILENT);
            ConvergeResult grown = new ClusterEngine().converge(Resharding.assign(zoned, 0, ZoneLoss.ACCEPT_RISK, Credentials.none()),
                    Credentials.none(), ClusterListener.SILENT);
            List<String> lowered = grown.actions().stream().filter(a -> a.startsWith("CONFIG SET")).toList();
            assertEquals(1, lowered.size(), grown.actions().toString());
            assertTrue(lowered.get(0).contains(" on " + nodes.address(3) + " "), lowered.get(0));
            for (int i = 0; i < 3; i++) {
                NodeAddress member = nodes.address(i);
                assertFalse(lowered.get(0).contains(" on " + member + " "), "a serving member keeps its settings");
            }
            for (NodeAddress a : nodes.addresses()) {
                assertEquals(NODE_TIMEOUT, config(nodes, a, "cluster-node-timeout"), a.toString());
            }
        }
    }

    private static String config(RedisNodes nodes, NodeAddress a, String name) {
        try (Jedis j = nodes.jedis(a)) {
            return j.configGet(name).get(name);
        }
    }
}
