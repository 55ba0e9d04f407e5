package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementBindTest {
    private static final Plan PLAN = Planner.plan(3, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE);

    /** node-S-M at 10.0.S.M+10, listed in reverse plan order. */
    private static Map<String, NodeAddress> reversed() {
        Map<String, NodeAddress> out = new LinkedHashMap<>();
        List<PlannedNode> nodes = new ArrayList<>(PLAN.nodes());
        Collections.reverse(nodes);
        for (PlannedNode node : nodes) {
            out.put(node.name(), address(node.shard(), node.member()));
        }
        return out;
    }

    private static NodeAddress address(int shard, int member) {
        return new NodeAddress("10.0." + shard + "." + (member + 10), 6379);
    }

    @Test
    void bindsEachNodeByNameInPlanOrderWhateverTheMapOrder() {
        Placement placement = Placement.bind(PLAN, reversed());
        assertEquals(PLAN.nodes().stream().map(PlannedNode::name).toList(), List.copyOf(placement.addresses().keySet()));
        for (PlannedNode node : PLAN.nodes()) {
            assertEquals(address(node.shard(), node.member()), placement.addressOf(node.name()));
        }
    }

    @Test
    void refusesAPlannedNodeWithoutAnAddress() {
        Map<String, NodeAddress> missing = reversed();
        missing.remove("node-1-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Placement.bind(PLAN, missing));
        assertTrue(e.getMessage().contains("node-1-1"), e.getMessage());
    }

    @Test
    void refusesAnAddressForANodeThePlanDoesNotHave() {
        Map<String, NodeAddress> extra = reversed();
        extra.put("node-7-0", address(7, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Placement.bind(PLAN, extra));
        assertTrue(e.getMessage().contains("node-7-0"), e.getMessage());
    }

    @Test
    void refusesOneAddressForTwoNodes() {
        Map<String, NodeAddress> shared = reversed();
        shared.put("node-2-1", address(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Placement.bind(PLAN, shared));
        assertTrue(e.getMessage().contains("node-0-0") && e.getMessage().contains("node-2-1"), e.getMessage());
    }

    @Test
    void keepsRetiringAndReplacedNodesApartFromThePlanned() {
        Map<String, NodeAddress> retiring = Map.of("node-0-2", address(0, 2));
        Map<String, NodeAddress> replacing = Map.of("node-1-0", new NodeAddress("10.9.1.10", 6379));
        Placement placement = Placement.bind(PLAN, reversed(), retiring, replacing);
        assertEquals(retiring, placement.retiring());
        assertEquals(replacing, placement.replacing());
        assertEquals(6, placement.addresses().size());
        // a retiring node's address may not also be a planned one
        assertThrows(IllegalArgumentException.class,
                () -> Placement.bind(PLAN, reversed(), Map.of("node-0-2", address(0, 0)), Map.of()));
    }
}
