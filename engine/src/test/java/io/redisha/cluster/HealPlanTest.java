package io.redisha.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.HealPlan.Node;
import io.redisha.cluster.HealPlan.Shard;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealPlanTest {
    private static final List<String> ZONES = List.of("a", "b", "c");

    private static Node n(String id, String zone) {
        return new Node(id, id, zone);
    }

    private static Shard shard(Node master, Node... replicas) {
        return new Shard(master, List.of(replicas));
    }

    @Test
    void aHealthyLayoutNeedsNoFailover() {
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("m0", "a"), n("r0", "b")), shard(n("m1", "b"), n("r1", "c")),
                shard(n("m2", "c"), n("r2", "a"))));
        assertEquals(List.of(), r.failovers());
        assertTrue(r.before().survivesZoneLoss());
        assertEquals(List.of(), r.unfixable());
    }

    @Test
    void afterAFailoverIntoZoneBTheOldMasterIsPromotedBack() {
        // m0 (a) died, r0 (b) took over, m0 came back as its replica: zone b holds two masters, zone a none.
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("r0", "b"), n("m0", "a")), shard(n("m1", "b"), n("r1", "c")),
                shard(n("m2", "c"), n("r2", "a"))));
        assertFalse(r.before().survivesZoneLoss(), r.before().summary());
        assertEquals(1, r.failovers().size());
        assertEquals("m0", r.failovers().get(0).replica().id());
        assertEquals("r0", r.failovers().get(0).from().id());
        assertTrue(r.after().survivesZoneLoss(), r.after().summary());
        assertEquals(Map.of("a", 1, "b", 1, "c", 1), r.after().mastersPerZone());
    }

    @Test
    void aChainThroughAFullZoneWhenNoDirectReplicaExists() {
        // Zone b has two masters, but neither has a replica in the empty zone a; m2 (c) has one in a.
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("x", "b"), n("xr", "c")), shard(n("y", "b"), n("yr", "c")),
                shard(n("m2", "c"), n("r2", "a"))));
        assertEquals(2, r.failovers().size(), r.failovers().toString());
        assertEquals(Map.of("a", 1, "b", 1, "c", 1), r.after().mastersPerZone());
        assertTrue(r.after().survivesZoneLoss());
    }

    @Test
    void theFewestFailoversForTwoMisplacedShards() {
        // 6 masters in 3 zones, after two failovers into zone c: c=4, a=1, b=1. Two failovers restore 2/2/2.
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(
                shard(n("m0", "a"), n("r0", "b")), shard(n("m1", "b"), n("r1", "c")),
                shard(n("m2", "c"), n("r2", "a")), shard(n("m3", "c"), n("r3", "b")),
                shard(n("p4", "c"), n("o4", "a")), shard(n("p5", "c"), n("o5", "b"))));
        assertEquals(2, r.failovers().size(), r.failovers().toString());
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), r.after().mastersPerZone());
    }

    @Test
    void aReplicaInItsMastersZoneIsReportedNotFailedOver() {
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("m0", "a"), n("r0", "a")), shard(n("m1", "b"), n("r1", "c")),
                shard(n("m2", "c"), n("r2", "b"))));
        assertEquals(List.of(), r.failovers());
        assertEquals(1, r.unfixable().size());
        assertTrue(r.unfixable().get(0).contains("r0") && r.unfixable().get(0).contains("its master's zone a"), r.unfixable().toString());
    }

    @Test
    void noReplicaInAnEmptierZoneIsUnfixableAndSaysWhy() {
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("x", "b"), n("xr", "b")), shard(n("y", "b"), n("yr", "b")),
                shard(n("m2", "c"), n("r2", "c"))));
        assertEquals(List.of(), r.failovers());
        assertTrue(r.unfixable().stream().anyMatch(u -> u.contains("cannot be evened out")), r.unfixable().toString());
    }

    @Test
    void fourMastersOverThreeZonesCannotBeFixedByFailoversAndTheFixIsNamed() {
        // Evenly spread (2/1/1) and still unsafe: losing zone a leaves 2 of 4 masters.
        HealPlan.Result r = HealPlan.plan(ZONES, List.of(shard(n("m0", "a"), n("r0", "b")), shard(n("m1", "b"), n("r1", "c")),
                shard(n("m2", "c"), n("r2", "a")), shard(n("m3", "a"), n("r3", "b"))));
        assertEquals(List.of(), r.failovers());
        assertFalse(r.after().survivesZoneLoss());
        assertEquals(1, r.unfixable().size(), r.unfixable().toString());
        String why = r.unfixable().get(0);
        assertTrue(why.startsWith("failovers cannot fix this layout: losing zone a takes 2 of 4 masters; the 2 left are not a majority"), why);
        assertTrue(why.contains("Use 3 or 5 masters over these zones, or more zones."), why);
    }
}
