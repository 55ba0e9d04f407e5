package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Growing and shrinking a serving cluster through converge, with writers running through every
 * change: nothing acknowledged is lost, no slot stays open, check passes. The 3->4->5 scenario
 * carries 200k keys; the replica and shrink scenarios use 20k and 50k to keep CI time down.
 */
class ScalingTest {
    private static final String PASSWORD = "scale-s3cret";
    private static final Credentials CREDENTIALS = Credentials.password(PASSWORD);
    private final ClusterEngine engine = new ClusterEngine(Duration.ofSeconds(60));
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private RedisNodes start(int count) {
        RedisNodes nodes = RedisNodes.nodes(count).withPassword(PASSWORD).start();
        started.add(nodes);
        return nodes;
    }

    private static List<ZonedNode> zoned(RedisNodes nodes, String... zones) {
        List<ZonedNode> out = new ArrayList<>();
        for (int i = 0; i < zones.length; i++) {
            out.add(new ZonedNode(nodes.address(i), zones[i]));
        }
        return out;
    }

    private ConvergeResult converge(List<ZonedNode> nodes, int replicas, ZoneLoss zoneLoss) {
        Placement placement = Resharding.assign(nodes, replicas, zoneLoss, CREDENTIALS);
        return engine.converge(placement, CREDENTIALS, ClusterListener.SILENT);
    }

    private Workload workload(List<ZonedNode> seeds, int keys) {
        Workload w = new Workload(seeds.stream().map(ZonedNode::address).toList(), PASSWORD, keys, 64);
        started.add(w);
        return w;
    }

    /** No slot open, all slots served, check passes, every loaded key and every acknowledged write readable. */
    private void assertHealthy(NodeAddress seed, Workload w, int masters) {
        LiveCluster live = LiveCluster.load(seed, CREDENTIALS);
        assertEquals(Map.of(), live.openSlots(), "open slots after the change");
        assertEquals(SlotRange.SLOT_COUNT, live.assignedSlots());
        assertEquals(masters, live.ownedRanges().values().stream().filter(r -> !r.isEmpty()).count(), "masters serving slots");
        for (List<SlotRange> owned : live.ownedRanges().values()) {
            int share = SlotRange.SLOT_COUNT / masters;
            assertTrue(Math.abs(SlotRange.total(owned) - share) <= 1, "balanced share, got " + SlotRange.total(owned) + " vs " + share);
        }
        CheckReport report = engine.check(List.of(seed), Map.of(), CREDENTIALS);
        assertTrue(report.ok(), report.toTable());
        assertEquals(List.of(), w.missingLoaded(seed), "loaded keys missing or wrong");
        assertEquals(List.of(), w.lostWrites(seed), "acknowledged writes lost");
    }

    @Test
    void growsThreeToFourToFiveMastersUnderWritersWith200kKeys() {
        RedisNodes first = start(6);
        RedisNodes second = start(2);
        RedisNodes third = start(2);
        List<ZonedNode> nodes = new ArrayList<>(zoned(first, "a", "b", "c", "a", "b", "c"));
        converge(nodes, 1, ZoneLoss.MUST_SURVIVE);
        Workload w = workload(nodes, 200_000).load();

        // Shard 3's master goes to the first zone of the layout, its replica to the next.
        nodes.addAll(zoned(second, "a", "b"));
        w.startWriters(4, 500, 200_000);
        ConvergeResult grown = converge(nodes, 1, ZoneLoss.ACCEPT_RISK);
        w.stopWriters();
        assertTrue(grown.changed());
        assertHealthy(first.address(0), w, 4);

        nodes.addAll(zoned(third, "b", "c"));
        Workload w2 = workload(nodes, 200_000);
        w2.startWriters(4, 500, 200_000);
        converge(nodes, 1, ZoneLoss.MUST_SURVIVE);
        w2.stopWriters();
        assertHealthy(first.address(0), w2, 5);
        assertTrue(w.writes() + w2.writes() > 0, "the writers wrote during the moves");

        // Converging again to the same list changes nothing.
        assertTrue(!converge(nodes, 1, ZoneLoss.MUST_SURVIVE).changed(), "second converge is a no-op");
    }

    @Test
    void growsFromOneToTwoReplicasPerMaster() {
        RedisNodes first = start(6);
        RedisNodes added = start(3);
        List<ZonedNode> nodes = new ArrayList<>(zoned(first, "a", "b", "c", "a", "b", "c"));
        converge(nodes, 1, ZoneLoss.MUST_SURVIVE);
        Workload w = workload(nodes, 20_000).load();
        Map<String, List<SlotRange>> before = LiveCluster.load(first.address(0), CREDENTIALS).ownedRanges();

        // Replica 2 of shard s lives two zones after its master: shard 0 -> c, 1 -> a, 2 -> b.
        nodes.addAll(zoned(added, "c", "a", "b"));
        w.startWriters(2, 500, 100_000);
        converge(nodes, 2, ZoneLoss.MUST_SURVIVE);
        w.stopWriters();

        LiveCluster live = LiveCluster.load(first.address(0), CREDENTIALS);
        assertEquals(before, live.ownedRanges(), "adding replicas moves no slot");
        for (LiveCluster.Member master : live.masters()) {
            long replicas = live.members().stream().filter(m -> m.self().masterId().filter(master.id()::equals).isPresent()).count();
            assertEquals(2, replicas, master.label() + " replicas");
        }
        assertHealthy(first.address(0), w, 3);
    }

    /** Slots moved off draining masters under four writers: the scaling case the version matrix runs on every server. */
    @Test
    @Tag(Servers.MATRIX_TAG)
    void shrinksFiveToThreeMastersDrainingAndForgettingTheRest() {
        RedisNodes all = start(10);
        List<ZonedNode> nodes = all.zoned(List.of("a", "b", "c"));
        Placement five = Resharding.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, CREDENTIALS);
        engine.converge(five, CREDENTIALS, ClusterListener.SILENT);
        Workload w = workload(nodes, 50_000).load();

        List<ZonedNode> keep = new ArrayList<>();
        List<NodeAddress> dropped = new ArrayList<>();
        for (PlannedNode n : five.plan().nodes()) {
            if (n.shard() < 3) {
                keep.add(new ZonedNode(five.addressOf(n.name()), n.zone()));
            } else {
                dropped.add(five.addressOf(n.name()));
            }
        }
        w.startWriters(4, 500, 200_000);
        converge(keep, 1, ZoneLoss.MUST_SURVIVE);
        w.stopWriters();

        assertHealthy(keep.get(0).address(), w, 3);
        assertEquals(6, LiveCluster.load(keep.get(0).address(), CREDENTIALS).members().size());
        for (NodeAddress gone : dropped) {
            try (Jedis j = all.jedis(gone)) {
                assertEquals(1, j.clusterNodes().strip().split("\n").length, gone + " was reset and knows only itself");
                assertEquals(0, j.dbSize(), gone + " holds no keys");
            }
        }
    }
}
