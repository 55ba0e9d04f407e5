package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.Roller;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.RollOrder;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Rolling every node of a serving cluster onto new redis-server processes with writers running:
 * nothing acknowledged is lost, masters hand over by graceful failover, the old nodes leave, check
 * passes with the zones intact. And the refusals: a master down, a slot open.
 */
class RollTest {
    static final String PASSWORD = "roll-s3cret";
    static final Credentials CREDENTIALS = Credentials.password(PASSWORD);
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private RedisNodes start(int count, int replicas) {
        RedisNodes nodes = RedisNodes.nodes(count).withPassword(PASSWORD).withReplicasPerMaster(replicas).start();
        started.add(nodes);
        return nodes;
    }

    /** A formed cluster of masters x replicas over zones a, b, c; returns its placement. */
    static Placement form(RedisNodes nodes, int replicas) {
        List<ZonedNode> zoned = nodes.zoned(List.of("a", "b", "c"));
        Placement placement = Resharding.assign(zoned, replicas, ZoneLoss.MUST_SURVIVE, CREDENTIALS);
        new ClusterEngine(Duration.ofSeconds(60)).converge(placement, CREDENTIALS, ClusterListener.SILENT);
        return placement;
    }

    static List<Roller.Replacement> pairs(RedisNodes olds, RedisNodes news) {
        List<Roller.Replacement> pairs = new ArrayList<>();
        for (int i = 0; i < olds.addresses().size(); i++) {
            pairs.add(new Roller.Replacement(olds.address(i), news.address(i)));
        }
        return pairs;
    }

    /** The new nodes are exactly the members, every old node is gone, nothing lost, check (with zones) passed. */
    static void assertRolled(RedisNodes olds, RedisNodes news, Workload w, Map<NodeAddress, String> zonesBefore) {
        LiveCluster live = LiveCluster.load(news.address(0), CREDENTIALS);
        Set<NodeAddress> members = new TreeSet<>();
        live.members().forEach(m -> members.add(m.address()));
        assertEquals(new TreeSet<>(news.addresses()), members, "members after the roll");
        assertEquals(List.of(), live.unreachable(), "unreachable members");
        assertEquals(Map.of(), live.openSlots(), "open slots");
        assertEquals(16384, live.assignedSlots(), "slots served");
        for (NodeAddress old : olds.addresses()) {
            assertTrue(Live.view(olds, old).knowsOnlyItself(), old + " still knows the cluster: it was not reset");
        }
        // Each new node runs in the zone of the node it replaced, with the same role count per zone.
        Map<NodeAddress, String> zonesAfter = new java.util.LinkedHashMap<>();
        for (int i = 0; i < olds.addresses().size(); i++) {
            zonesAfter.put(news.address(i), zonesBefore.get(olds.address(i)));
        }
        var check = new ClusterEngine().check(news.addresses(), zonesAfter, CREDENTIALS);
        assertTrue(check.ok(), check.toTable());
        assertTrue(check.summary().zoneSafety().startsWith("survives the loss of any one zone"), check.summary().zoneSafety());
        assertEquals(List.of(), w.missingLoaded(news.address(0)), "loaded keys missing or wrong");
        assertEquals(List.of(), w.lostWrites(), "acknowledged writes lost");
    }

    private void rollEveryNode(int masters, int replicas) {
        int count = masters * (1 + replicas);
        RedisNodes olds = start(count, replicas);
        RedisNodes news = start(count, replicas);
        Placement placement = form(olds, replicas);
        Map<NodeAddress, String> zones = placement.zoneByAddress();
        Workload w = new Workload(olds.addresses(), PASSWORD, 20_000, 64).load();
        started.add(w);
        w.startWriters(3, 300, Long.MAX_VALUE);

        Roller roller = new Roller(CREDENTIALS, zones, Duration.ofSeconds(60));
        List<Roller.Replacement> pairs = pairs(olds, news);
        List<RollOrder.Step> steps = roller.plan(pairs);
        Roller.Outcome outcome = roller.roll(pairs, Roller.Retirement.KEEP, ClusterListener.SILENT);
        long during = w.writes();
        w.stopWriters();

        // Replicas first, then one handover per master, each to the master's own replacement.
        assertEquals(steps, outcome.steps());
        assertEquals(count - masters, steps.stream().takeWhile(s -> !s.isHandover()).count(), "replicas come first");
        assertEquals(masters, outcome.handovers().size(), "one graceful handover per master");
        for (Roller.Handover h : outcome.handovers()) {
            assertEquals(olds.addresses().indexOf(h.from()), news.addresses().indexOf(h.to()), h + " goes to the master's replacement");
        }
        assertEquals(List.of(), outcome.heal(), "the roll keeps every zone's master: heal has nothing to do");
        assertTrue(outcome.check().ok(), outcome.check().toTable());
        assertTrue(during > 0, "the writers wrote during the roll");
        assertRolled(olds, news, w, zones);
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void rollsEveryNodeOfThreeByOneOntoNewProcessesUnderWriters() {
        rollEveryNode(3, 1);
    }

    @Test
    void rollsEveryNodeOfThreeByTwoOntoNewProcessesUnderWriters() {
        rollEveryNode(3, 2);
    }

    /** Rolling every old node onto its new twin, which must be refused. */
    private static ClusterRefusedException refusedRoll(RedisNodes olds, RedisNodes news, Placement placement) {
        Roller roller = new Roller(CREDENTIALS, placement.zoneByAddress(), Duration.ofSeconds(30));
        return assertThrows(ClusterRefusedException.class, () -> roller.roll(pairs(olds, news), Roller.Retirement.KEEP, ClusterListener.SILENT));
    }

    @Test
    void refusesWhileAMasterIsDown() {
        RedisNodes olds = start(6, 1);
        RedisNodes news = start(6, 1);
        Placement placement = form(olds, 1);
        LiveCluster live = LiveCluster.load(olds.address(0), CREDENTIALS);
        NodeAddress master = live.masters().get(0).address();
        ProcessHandle.of(olds.pid(olds.addresses().indexOf(master))).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        ClusterRefusedException refused = refusedRoll(olds, news, placement);
        assertTrue(refused.getMessage().startsWith("refusing to roll an unhealthy cluster"), refused.getMessage());
        assertTrue(refused.problems().stream().anyMatch(p -> p.contains(master.toString())), "names the dead master: " + refused.problems());
        Live.assertAllFresh(news, news.addresses());
    }

    @Test
    void refusesWhileASlotIsOpen() {
        RedisNodes olds = start(6, 1);
        RedisNodes news = start(6, 1);
        Placement placement = form(olds, 1);
        LiveCluster live = LiveCluster.load(olds.address(0), CREDENTIALS);
        LiveCluster.Member source = live.masters().get(0);
        LiveCluster.Member target = live.masters().get(1);
        int slot = source.self().slots().get(0).first();
        try (Jedis j = olds.jedis(source.address())) {
            j.clusterSetSlotMigrating(slot, target.id());
        }
        ClusterRefusedException refused = refusedRoll(olds, news, placement);
        assertTrue(refused.getMessage().startsWith("refusing to roll an unhealthy cluster"), refused.getMessage());
        assertTrue(refused.problems().stream().anyMatch(p -> p.contains("open slots") && p.contains(source.address().toString())),
                "names the open slot: " + refused.problems());
        Live.assertAllFresh(news, news.addresses());
    }

    @Test
    void refusesANewNodeThatHoldsDataAndChangesNothing() {
        RedisNodes olds = start(6, 1);
        RedisNodes news = start(6, 1);
        Placement placement = form(olds, 1);
        Live.putKeyOnLoneNode(news, news.address(2), "stray", "value");
        long before = Live.mutations(olds);
        ClusterRefusedException refused = refusedRoll(olds, news, placement);
        assertTrue(refused.problems().stream().anyMatch(p -> p.equals(news.address(2) + " holds 1 key; a new node must be empty")),
                refused.problems().toString());
        assertEquals(before, Live.mutations(olds), "no cluster command reached the running cluster");
        List<NodeAddress> others = new ArrayList<>(news.addresses());
        others.remove(news.address(2));
        Live.assertAllFresh(news, others);
    }
}
