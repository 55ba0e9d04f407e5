package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final List<String> THREE = List.of("az-a", "az-b", "az-c");

    @Test
    void guideLayoutPutsEachReplicaInTheNextZone() {
        Plan plan = Planner.plan(3, 1, THREE, ZoneLoss.MUST_SURVIVE);
        assertEquals(List.of("node-0-0", "node-0-1", "node-1-0", "node-1-1", "node-2-0", "node-2-1"),
                plan.nodes().stream().map(PlannedNode::name).toList());
        assertEquals("az-a", plan.node("node-0-0").zone());
        assertEquals("az-b", plan.node("node-0-1").zone());
        assertEquals("az-c", plan.node("node-2-0").zone());
        assertEquals("az-a", plan.node("node-2-1").zone());
        assertEquals(List.of(new SlotRange(0, 5460)), plan.node("node-0-0").slots());
        assertEquals(List.of(new SlotRange(5461, 10922)), plan.node("node-1-0").slots());
        assertEquals(List.of(new SlotRange(10923, 16383)), plan.node("node-2-0").slots());
        assertEquals("node-1-0", plan.node("node-1-1").replicaOf());
        assertTrue(plan.zoneSafety().survivesZoneLoss());
    }

    /** Every rule, over a grid of sizes: zones, balance, coverage. */
    @Test
    void rulesHoldForEverySurvivableLayoutInTheGrid() {
        int checked = 0;
        for (int zones = 3; zones <= 5; zones++) {
            List<String> zoneNames = new ArrayList<>();
            for (int z = 0; z < zones; z++) {
                zoneNames.add("z" + z);
            }
            for (int masters = 3; masters <= 12; masters++) {
                for (int replicas = 1; replicas < zones; replicas++) {
                    Plan plan = Planner.plan(masters, replicas, zoneNames, ZoneLoss.ACCEPT_RISK);
                    assertRules(plan);
                    checked++;
                }
            }
        }
        assertTrue(checked > 50);
    }

    private static void assertRules(Plan plan) {
        assertEquals(plan.masters() * (plan.replicasPerMaster() + 1), plan.nodes().size());
        Map<String, Integer> mastersPerZone = new TreeMap<>();
        plan.zones().forEach(z -> mastersPerZone.put(z, 0));
        BitSet covered = new BitSet();
        for (PlannedNode master : plan.masterNodes()) {
            mastersPerZone.merge(master.zone(), 1, Integer::sum);
            for (SlotRange range : master.slots()) {
                for (int slot = range.first(); slot <= range.last(); slot++) {
                    assertFalse(covered.get(slot), "slot " + slot + " planned twice");
                    covered.set(slot);
                }
            }
            List<PlannedNode> replicas = plan.replicasOf(master.name());
            assertEquals(plan.replicasPerMaster(), replicas.size());
            Set<String> replicaZones = new HashSet<>();
            for (PlannedNode replica : replicas) {
                assertNotEquals(master.zone(), replica.zone(), replica.name() + " shares its master's zone");
                assertTrue(replicaZones.add(replica.zone()), "two replicas of " + master.name() + " in " + replica.zone());
            }
        }
        assertEquals(SlotRange.SLOT_COUNT, covered.cardinality());
        int max = mastersPerZone.values().stream().max(Integer::compare).orElseThrow();
        int min = mastersPerZone.values().stream().min(Integer::compare).orElseThrow();
        assertTrue(max - min <= 1, "masters unbalanced over zones: " + mastersPerZone);
        boolean majorityEverywhere = mastersPerZone.values().stream().allMatch(n -> (plan.masters() - n) * 2 > plan.masters());
        assertEquals(majorityEverywhere, plan.zoneSafety().survivesZoneLoss(), plan.summary());
    }

    @Test
    void samePlanByteForByte() {
        assertEquals(Planner.plan(5, 2, THREE, ZoneLoss.MUST_SURVIVE).toJson(),
                Planner.plan(5, 2, THREE, ZoneLoss.MUST_SURVIVE).toJson());
    }

    @Test
    void planSurvivesAJsonRoundTrip() {
        Plan plan = Planner.plan(5, 1, THREE, ZoneLoss.MUST_SURVIVE);
        Plan back = Plan.fromJson(plan.toJson());
        assertEquals(plan, back);
        assertEquals(plan.toJson(), back.toJson());
    }

    @Test
    void growingNeverMovesOrRecastsAnExistingNode() {
        List<String> fourZones = List.of("az-a", "az-b", "az-c", "az-d");
        for (int masters = 3; masters <= 9; masters++) {
            for (int replicas = 1; replicas <= 2; replicas++) {
                Plan before = Planner.plan(masters, replicas, fourZones, ZoneLoss.ACCEPT_RISK);
                assertKeepsEveryNode(before, Planner.plan(masters + 1, replicas, fourZones, ZoneLoss.ACCEPT_RISK));
                assertKeepsEveryNode(before, Planner.plan(masters, replicas + 1, fourZones, ZoneLoss.ACCEPT_RISK));
            }
        }
        assertKeepsEveryNode(Planner.plan(3, 1, THREE, ZoneLoss.MUST_SURVIVE), Planner.plan(3, 2, THREE, ZoneLoss.MUST_SURVIVE));
        assertKeepsEveryNode(Planner.plan(3, 1, THREE, ZoneLoss.MUST_SURVIVE), Planner.plan(5, 1, THREE, ZoneLoss.MUST_SURVIVE));
    }

    private static void assertKeepsEveryNode(Plan before, Plan after) {
        for (PlannedNode old : before.nodes()) {
            PlannedNode now = after.node(old.name());
            assertEquals(old.zone(), now.zone(), old.name());
            assertEquals(old.role(), now.role(), old.name());
            assertEquals(old.replicaOf(), now.replicaOf(), old.name());
        }
    }

    @Test
    void fourMastersOverThreeZonesIsRefusedWithTheReasonAndTheFix() {
        InvalidPlanException error = assertThrows(InvalidPlanException.class,
                () -> Planner.plan(4, 1, THREE, ZoneLoss.MUST_SURVIVE));
        assertEquals("masters", error.input());
        assertTrue(error.getMessage().startsWith("masters=4 is not valid"), error.getMessage());
        assertTrue(error.getMessage().contains("losing zone az-a takes 2 of 4 masters"), error.getMessage());
        assertTrue(error.getMessage().contains("Use 3 or 5 masters"), error.getMessage());

        Plan accepted = Planner.plan(4, 1, THREE, ZoneLoss.ACCEPT_RISK);
        assertFalse(accepted.zoneSafety().survivesZoneLoss());
        assertTrue(accepted.summary().contains("does NOT survive"));
    }

    @Test
    void invalidInputsNameTheInputAndWhatIsValid() {
        assertRefused("masters", () -> Planner.plan(2, 1, THREE, ZoneLoss.ACCEPT_RISK), "at least 3");
        assertRefused("replicasPerMaster", () -> Planner.plan(3, -1, THREE, ZoneLoss.ACCEPT_RISK), "0 or more");
        assertRefused("zones", () -> Planner.plan(3, 2, List.of("a", "b"), ZoneLoss.ACCEPT_RISK), "at least 3 zones for replicasPerMaster=2");
        assertRefused("zones", () -> Planner.plan(3, 1, List.of("a", "a", "b"), ZoneLoss.ACCEPT_RISK), "'a' appears twice");
        assertRefused("zones", () -> Planner.plan(3, 1, List.of(), ZoneLoss.ACCEPT_RISK), "non-empty");
        assertRefused("zones", () -> Planner.plan(3, 1, List.of("A B", "b"), ZoneLoss.ACCEPT_RISK), "lower-case");
        assertRefused("zones", () -> Planner.plan(3, 1, List.of("a", "b"), ZoneLoss.MUST_SURVIVE), "use at least 3 zones");
        assertRefused("replicasPerMaster", () -> Planner.plan(3, 0, THREE, ZoneLoss.MUST_SURVIVE), "Use 1 or more replicas");
        assertRefused("masters", () -> Planner.plan(600, 1, THREE, ZoneLoss.ACCEPT_RISK), "at most 1000 nodes");
    }

    @Test
    void twoZoneLayoutIsPossibleOnlyWhenTheRiskIsAccepted() {
        Plan plan = Planner.plan(3, 1, List.of("a", "b"), ZoneLoss.ACCEPT_RISK);
        assertFalse(plan.zoneSafety().survivesZoneLoss());
        plan.replicasOf("node-0-0").forEach(r -> assertNotEquals("a", r.zone()));
    }

    @Test
    void assignBindsNodesByZoneWhateverTheOrderTheyWereListedIn() {
        List<ZonedNode> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(ZonedNode.parse("127.0.0.1:" + (7000 + i) + "@az-" + "abc".charAt(i % 3)));
        }
        Placement placement = Planner.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        List<ZonedNode> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        assertEquals(placement, Planner.assign(reversed, 1, ZoneLoss.MUST_SURVIVE, Optional.empty()));
        placement.addresses().forEach((name, address) -> {
            String zone = nodes.stream().filter(n -> n.address().equals(address)).findFirst().orElseThrow().zone();
            assertEquals(zone, placement.plan().node(name).zone(), name + " bound to a node in another zone");
        });
        assertEquals(placement, Placement.fromJson(placement.toJson()));
    }

    @Test
    void assignFindsAZoneOrderThatFitsUnevenZones() {
        // 5 masters x 1 replica over 3 zones needs 3/4/3 nodes; here the zone with 4 nodes is az-c.
        List<ZonedNode> nodes = new ArrayList<>();
        int port = 7000;
        for (String zone : List.of("az-a", "az-a", "az-a", "az-b", "az-b", "az-b", "az-c", "az-c", "az-c", "az-c")) {
            nodes.add(ZonedNode.parse("127.0.0.1:" + port++ + "@" + zone));
        }
        Placement placement = Planner.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        assertEquals(5, placement.plan().masters());
        assertRules(placement.plan());
    }

    @Test
    void assignRefusesListsThatCannotBePlanned() {
        List<ZonedNode> dup = List.of(ZonedNode.parse("h:1@a"), ZonedNode.parse("h:1@b"), ZonedNode.parse("h:2@c"));
        assertRefused("nodes", () -> Planner.assign(dup, 0, ZoneLoss.ACCEPT_RISK, Optional.empty()), "appears twice");
        List<ZonedNode> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(ZonedNode.parse("h:" + (7000 + i) + "@z" + (i % 3)));
        }
        assertRefused("nodes", () -> Planner.assign(five, 1, ZoneLoss.MUST_SURVIVE, Optional.empty()), "a multiple of 2");
        List<ZonedNode> skewed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            skewed.add(ZonedNode.parse("h:" + (7000 + i) + "@" + (i < 4 ? "a" : i == 4 ? "b" : "c")));
        }
        assertRefused("nodes", () -> Planner.assign(skewed, 1, ZoneLoss.MUST_SURVIVE, Optional.empty()), "the zones must hold a:2 b:2 c:2");
    }

    @Test
    void growingAPlacementKeepsEveryNodeWhereItIs() {
        List<ZonedNode> nodes = sixNodesOverThreeZones();
        Placement current = Planner.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        List<ZonedNode> grown = new ArrayList<>(nodes);
        // Two more shards need: masters in az-a (shard 3) and az-b (shard 4), replicas in az-b and az-c.
        grown.add(ZonedNode.parse("10.0.0.7:6379@az-a"));
        grown.add(ZonedNode.parse("10.0.0.8:6379@az-b"));
        grown.add(ZonedNode.parse("10.0.0.9:6379@az-b"));
        grown.add(ZonedNode.parse("10.0.0.10:6379@az-c"));
        Placement next = Planner.assign(grown, 1, ZoneLoss.MUST_SURVIVE, Optional.of(current));
        current.addresses().forEach((name, address) -> assertEquals(address, next.addressOf(name), name));
        assertEquals(5, next.plan().masters());

        List<ZonedNode> missing = new ArrayList<>(grown);
        missing.remove(0);
        missing.add(ZonedNode.parse("10.0.0.11:6379@az-a"));
        assertRefused("nodes", () -> Planner.assign(missing, 1, ZoneLoss.MUST_SURVIVE, Optional.of(current)), "keeps every node of the current cluster");
    }

    @Test
    void addingAZoneMovesNoExistingNodeAndPutsTheNewMasterInTheNewZone() {
        List<ZonedNode> nodes = sixNodesOverThreeZones();
        Placement current = Planner.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        List<ZonedNode> grown = new ArrayList<>(nodes);
        grown.add(ZonedNode.parse("10.0.0.7:6379@az-d"));
        grown.add(ZonedNode.parse("10.0.0.8:6379@az-a"));
        Placement next = Planner.assign(grown, 1, ZoneLoss.MUST_SURVIVE, Optional.of(current));
        assertEquals(List.of("az-a", "az-b", "az-c", "az-d"), next.plan().zones());
        assertKeepsEveryNode(current.plan(), next.plan());
        current.addresses().forEach((name, address) -> assertEquals(address, next.addressOf(name), name));
        assertEquals("az-d", next.plan().node("node-3-0").zone());
        assertEquals("az-a", next.plan().node("node-3-1").zone());
        assertTrue(next.plan().zoneSafety().survivesZoneLoss(), next.plan().summary());
        assertEquals(next, Planner.assign(grown, 1, ZoneLoss.MUST_SURVIVE, Optional.of(current)), "deterministic");
        // Within the same zones, growing is exactly the fresh layout (the rule the existing tests pin down).
        assertEquals(Planner.plan(5, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE),
                Planner.grow(Planner.plan(3, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE), 5, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE));

        List<ZonedNode> dropped = grown.stream().filter(n -> !n.zone().equals("az-c")).toList();
        assertRefused("zones", () -> Planner.assign(dropped, 1, ZoneLoss.ACCEPT_RISK, Optional.of(next)), "leaving out az-c");
    }

    @Test
    void aDiffToAnUnsafeLayoutNamesTheNearestSafeTargets() {
        Plan three = Planner.plan(3, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE);
        Plan four = Planner.plan(4, 1, List.of("a", "b", "c"), ZoneLoss.ACCEPT_RISK);
        String text = PlanDiff.between(three, four).toText();
        assertTrue(text.contains("To survive a zone loss: Use 3 or 5 masters over these zones, or more zones."), text);
        assertFalse(PlanDiff.between(three, Planner.plan(5, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE)).toText()
                .contains("To survive"));
    }

    @Test
    void shrinkingAPlacementListsTheRemovedNodesAsRetiring() {
        List<ZonedNode> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(ZonedNode.parse("10.0.0." + (i + 1) + ":6379@az-" + "abc".charAt(i % 3)));
        }
        Placement five = Planner.assign(nodes, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        List<ZonedNode> kept = nodes.stream()
                .filter(n -> five.plan().node(five.nodeAt(n.address()).name()).shard() < 3).toList();
        Placement three = Planner.assign(kept, 1, ZoneLoss.MUST_SURVIVE, Optional.of(five));
        assertEquals(3, three.plan().masters());
        assertEquals(Set.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), three.retiring().keySet());
        three.addresses().forEach((name, address) -> assertEquals(five.addressOf(name), address));
        assertEquals(three, Placement.fromJson(three.toJson()));
        assertFalse(five.toJson().contains("retiring"), "an empty retiring list is not written");
    }

    @Test
    void portsMustLeaveRoomForTheClusterBus() {
        assertRefused("port", () -> NodeAddress.parse("h:60000"), "1..55535");
        assertRefused("node", () -> NodeAddress.parse("h"), "HOST:PORT");
        assertRefused("node", () -> ZonedNode.parse("h:7000"), "HOST:PORT@ZONE");
        assertEquals(17000, NodeAddress.parse("[::1]:7000").busPort());
        assertEquals("::1", NodeAddress.parse("[::1]:7000").bareHost());
    }

    private static List<ZonedNode> sixNodesOverThreeZones() {
        List<ZonedNode> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(ZonedNode.parse("10.0.0." + (i + 1) + ":6379@az-" + "abc".charAt(i % 3)));
        }
        return nodes;
    }

    private static void assertRefused(String input, org.junit.jupiter.api.function.Executable call, String hint) {
        InvalidPlanException error = assertThrows(InvalidPlanException.class, call);
        assertEquals(input, error.input(), error.getMessage());
        assertTrue(error.getMessage().contains(hint), "message lacks '" + hint + "': " + error.getMessage());
    }
}
