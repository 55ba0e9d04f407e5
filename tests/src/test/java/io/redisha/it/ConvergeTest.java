package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.InvalidPlanException;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** converge against real redis-server processes: planner-driven formation, idempotency, refusals, AUTH. */
class ConvergeTest {
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    private final ClusterEngine engine = new ClusterEngine(Duration.ofSeconds(30));
    private final List<RedisNodes> started = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        started.forEach(RedisNodes::close);
    }

    private RedisNodes start(RedisNodes.Builder builder) {
        RedisNodes nodes = builder.start();
        started.add(nodes);
        return nodes;
    }

    /** Formed as planned: every node's live master is the planned one, and check (with the plan's zones) passes. */
    private void assertMatchesPlan(RedisNodes nodes, Placement placement, Credentials credentials) {
        for (PlannedNode planned : placement.plan().nodes()) {
            NodeLine me = Live.view(nodes, placement.addressOf(planned.name())).myself();
            if (planned.isMaster()) {
                assertTrue(me.isMaster(), planned.name() + " should be a master");
                assertEquals(planned.slots(), me.slots(), planned.name() + " slots");
            } else {
                String masterId = Live.myId(nodes, placement.addressOf(planned.replicaOf()));
                assertEquals(Optional.of(masterId), me.masterId(), planned.name() + " should replicate " + planned.replicaOf());
                assertEquals("up", Live.info(nodes, placement.addressOf(planned.name()), "replication").get("master_link_status"));
            }
        }
        CheckReport report = engine.check(List.of(nodes.address(0)), placement.zoneByAddress(), credentials);
        if (placement.plan().zoneSafety().survivesZoneLoss()) {
            assertTrue(report.ok(), report::toTable);
        } else {
            // An accepted risk is still reported: the zone-safety finding is the only failure.
            assertEquals(1, report.failures().size(), report::toTable);
            assertTrue(report.failures().get(0).message().contains("does NOT survive the loss of a zone"), report::toTable);
        }
        assertEquals(16384, report.summary().slotsAssigned());
    }

    private Placement form(RedisNodes nodes, int replicas, List<String> zones, ZoneLoss zoneLoss) {
        Placement placement = Planner.assign(nodes.zoned(zones), replicas, zoneLoss, Optional.empty());
        ConvergeResult result = engine.converge(placement, Credentials.none(), ClusterListener.SILENT);
        assertTrue(result.changed());
        assertMatchesPlan(nodes, placement, Credentials.none());
        return placement;
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void forms3x1OverThreeZonesAndASecondRunChangesNothing() {
        RedisNodes nodes = start(RedisNodes.nodes(6));
        Placement placement = form(nodes, 1, ZONES, ZoneLoss.MUST_SURVIVE);
        assertEquals(3, placement.plan().masters());

        long before = Live.mutations(nodes);
        ConvergeResult again = engine.converge(placement, Credentials.none(), ClusterListener.SILENT);
        assertFalse(again.changed(), () -> "second run changed: " + again.actions());
        assertTrue(again.summary().contains("already matches the plan, nothing changed"), again.summary());
        assertEquals(before, Live.mutations(nodes), "a second run must send no cluster-mutating command");
    }

    @Test
    void forms3x2OverThreeZones() {
        RedisNodes nodes = start(RedisNodes.nodes(9).withReplicasPerMaster(2));
        Placement placement = form(nodes, 2, ZONES, ZoneLoss.MUST_SURVIVE);
        // The two replicas of each master run in two zones other than the master's.
        for (PlannedNode master : placement.plan().masterNodes()) {
            Set<String> zones = placement.plan().replicasOf(master.name()).stream().map(PlannedNode::zone).collect(Collectors.toSet());
            assertEquals(2, zones.size());
            assertFalse(zones.contains(master.zone()));
        }
    }

    @Test
    void forms5x1OverThreeZones() {
        RedisNodes nodes = start(RedisNodes.nodes(10));
        Placement placement = form(nodes, 1, ZONES, ZoneLoss.MUST_SURVIVE);
        assertEquals(5, placement.plan().masters());
    }

    @Test
    void formsAboveTheMeshLimitWithoutMeetingEveryPair() {
        // Above 64 nodes converge introduces about N log N pairs and leaves the rest to gossip.
        RedisNodes nodes = start(RedisNodes.nodes(66).withReplicasPerMaster(2));
        Placement placement = Planner.assign(nodes.zoned(ZONES), 2, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ClusterEngine patient = new ClusterEngine(Duration.ofSeconds(120));
        ConvergeResult result = patient.converge(placement, Credentials.none(), ClusterListener.SILENT);
        long meets = result.actions().stream().filter(a -> a.startsWith("CLUSTER MEET")).count();
        int everyPair = 66 * 65 / 2;
        assertTrue(meets <= everyPair / 2, meets + " MEETs for 66 nodes; every pair would be " + everyPair);
        assertMatchesPlan(nodes, placement, Credentials.none());
        ConvergeResult again = patient.converge(placement, Credentials.none(), ClusterListener.SILENT);
        assertFalse(again.changed(), () -> "second run changed: " + again.actions());
    }

    @Test
    void twoZonesNeedTheRiskAcceptedAndThenForm() {
        RedisNodes nodes = start(RedisNodes.nodes(6));
        InvalidPlanException refused = assertThrows(InvalidPlanException.class,
                () -> Planner.assign(nodes.zoned(List.of("az-a", "az-b")), 1, ZoneLoss.MUST_SURVIVE, Optional.empty()));
        assertTrue(refused.getMessage().contains("accept"), refused.getMessage());
        Live.assertAllFresh(nodes, nodes.addresses());

        Placement placement = form(nodes, 1, List.of("az-a", "az-b"), ZoneLoss.ACCEPT_RISK);
        assertFalse(placement.plan().zoneSafety().survivesZoneLoss());
    }

    @Test
    void refusesANodeHoldingKeysAndTouchesNothing() {
        RedisNodes nodes = start(RedisNodes.nodes(6));
        Live.putKeyOnLoneNode(nodes, nodes.address(3), "precious", "data");
        long mutationsBefore = Live.mutations(nodes);
        Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ClusterRefusedException e = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.none(), ClusterListener.SILENT));
        assertTrue(e.getMessage().contains(nodes.address(3).toString()) && e.getMessage().contains("holds 1 key but"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        Live.assertAllFresh(nodes, nodes.addresses());
        assertEquals(mutationsBefore, Live.mutations(nodes));
        try (Jedis jedis = nodes.jedis(3)) {
            assertEquals(1, jedis.dbSize(), "the key is still there");
        }
    }

    @Test
    void refusesANodeOfAnotherClusterAndTouchesNothing() {
        RedisNodes nodes = start(RedisNodes.nodes(7));
        List<NodeAddress> planned = nodes.addresses().subList(0, 6);
        NodeAddress stranger = nodes.address(6);
        try (Jedis jedis = nodes.jedis(stranger)) {
            jedis.clusterMeet(planned.get(2).host(), planned.get(2).port());
        }
        String strangerId = Live.myId(nodes, stranger);
        Live.await("the planned node knows the stranger", () -> Live.view(nodes, planned.get(2)).memberIds().contains(strangerId));
        long mutationsBefore = Live.mutations(nodes);

        List<ZonedNode> zoned = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            zoned.add(new ZonedNode(planned.get(i), ZONES.get(i % 3)));
        }
        Placement placement = Planner.assign(zoned, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ClusterRefusedException e = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.none(), ClusterListener.SILENT));
        assertTrue(e.getMessage().contains(planned.get(2) + ") belongs to another cluster"), e.getMessage());
        assertTrue(e.getMessage().contains(stranger.toString()), e.getMessage());
        List<NodeAddress> others = new ArrayList<>(planned);
        others.remove(2);
        Live.assertAllFresh(nodes, others);
        assertEquals(mutationsBefore, Live.mutations(nodes));
    }

    @Test
    void refusesAnUnreachableNodeAndTouchesNothing() {
        RedisNodes nodes = start(RedisNodes.nodes(5));
        List<ZonedNode> zoned = new ArrayList<>(nodes.zoned(ZONES));
        NodeAddress nobody = new NodeAddress("127.0.0.1", RedisNodes.freePortPair());
        zoned.add(new ZonedNode(nobody, "az-c"));
        Placement placement = Planner.assign(zoned, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ClusterRefusedException e = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.none(), ClusterListener.SILENT));
        assertTrue(e.getMessage().contains(nobody + ": cannot connect"), e.getMessage());
        Live.assertAllFresh(nodes, nodes.addresses());
    }

    @Test
    void refusesSlotOwnershipThatDiffersFromThePlan() {
        RedisNodes nodes = start(RedisNodes.nodes(6));
        Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        NodeAddress firstMaster = placement.addressOf("node-0-0");
        try (Jedis jedis = nodes.jedis(firstMaster)) {
            jedis.clusterAddSlots(16000); // planned for shard 2
        }
        ClusterRefusedException e = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.none(), ClusterListener.SILENT));
        assertTrue(e.getMessage().contains("serves slots 16000") && e.getMessage().contains("rebalance"), e.getMessage());
        List<NodeAddress> others = new ArrayList<>(nodes.addresses());
        others.remove(firstMaster);
        Live.assertAllFresh(nodes, others);
    }

    @Test
    void completesAPartiallyFormedCluster() {
        RedisNodes nodes = start(RedisNodes.nodes(6));
        Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        // An earlier run stopped after giving shard 0 its slots and introducing two nodes.
        NodeAddress m0 = placement.addressOf("node-0-0");
        NodeAddress m1 = placement.addressOf("node-1-0");
        try (Jedis jedis = nodes.jedis(m0)) {
            jedis.clusterSetConfigEpoch(1);
            jedis.clusterAddSlotsRange(0, 5460);
            jedis.clusterMeet(m1.host(), m1.port());
        }
        ConvergeResult result = engine.converge(placement, Credentials.none(), ClusterListener.SILENT);
        assertTrue(result.changed());
        assertTrue(result.actions().stream().noneMatch(a -> a.contains("ADDSLOTSRANGE 0 5460")), result.actions()::toString);
        assertMatchesPlan(nodes, placement, Credentials.none());
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void formsWithAuthAndRefusesWrongOrMissingPasswords() {
        RedisNodes nodes = start(RedisNodes.nodes(6).withPassword("s3cret pass"));
        Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());

        ClusterRefusedException missing = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.none(), ClusterListener.SILENT));
        assertTrue(missing.getMessage().contains("requires a password"), missing.getMessage());
        ClusterRefusedException wrong = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.password("nope"), ClusterListener.SILENT));
        assertTrue(wrong.getMessage().contains("password was refused"), wrong.getMessage());
        Live.assertAllFresh(nodes, nodes.addresses());

        ConvergeResult result = engine.converge(placement, Credentials.password("s3cret pass"), ClusterListener.SILENT);
        assertTrue(result.changed());
        assertMatchesPlan(nodes, placement, Credentials.password("s3cret pass"));
    }

    @Test
    void refusesANodeWithoutMasterauthWhenTheClusterUsesAuth() {
        RedisNodes nodes = start(RedisNodes.nodes(6).withPassword("s3cret"));
        try (Jedis jedis = nodes.jedis(1)) {
            jedis.configSet("masterauth", "");
        }
        Placement placement = Planner.assign(nodes.zoned(ZONES), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        ClusterRefusedException e = assertThrows(ClusterRefusedException.class,
                () -> engine.converge(placement, Credentials.password("s3cret"), ClusterListener.SILENT));
        assertTrue(e.getMessage().contains(nodes.address(1) + ") has no masterauth"), e.getMessage());
        Live.assertAllFresh(nodes, nodes.addresses());
    }

    @Test
    void seesOwnParserAgreeWithRedis() {
        RedisNodes nodes = start(RedisNodes.nodes(1));
        MemberView view = Live.view(nodes, nodes.address(0));
        assertEquals(nodes.address(0).port(), view.myself().port());
        assertEquals(nodes.address(0).port() + 10000, view.myself().busPort());
        assertTrue(view.knowsOnlyItself());
    }
}
