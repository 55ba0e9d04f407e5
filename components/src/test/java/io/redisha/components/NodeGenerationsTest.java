package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.Plan;
import io.redisha.topology.Planner;
import io.redisha.topology.RollOrder;
import io.redisha.topology.ZoneLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeGenerationsTest {
    private static NodeGenerations decide(List<Integer> previous, int requested, boolean drained, List<String> problems) {
        return NodeGenerations.decide(previous, requested, drained, problems);
    }

    @Test
    void steadyPhaseOneAgainAndPhaseTwo() {
        List<String> problems = new ArrayList<>();
        assertEquals(new NodeGenerations(0, Optional.empty(), Optional.empty()), decide(List.of(), 0, false, problems));
        assertEquals(new NodeGenerations(3, Optional.empty(), Optional.empty()), decide(List.of(3), 3, false, problems));
        assertEquals(new NodeGenerations(4, Optional.of(3), Optional.empty()), decide(List.of(3), 4, false, problems));
        assertEquals(new NodeGenerations(4, Optional.of(3), Optional.empty()), decide(List.of(3, 4), 4, false, problems));
        assertEquals(new NodeGenerations(4, Optional.empty(), Optional.of(3)), decide(List.of(3, 4), 4, true, problems));
        assertEquals(List.of(), problems);
        assertEquals(List.of(3, 4), decide(List.of(3), 4, false, problems).declared());
    }

    @Test
    void aRollIsAbandonedByTheSameTwoPhasesTheOtherWay() {
        List<String> problems = new ArrayList<>();
        // forward phase 1 declared [3, 4]; asking 3 again hands every node back to generation 3
        NodeGenerations back = decide(List.of(3, 4), 3, false, problems);
        assertEquals(new NodeGenerations(3, Optional.of(4), Optional.empty()), back);
        assertEquals(List.of(4, 3), back.declared(), "the retired generation first, the running one last");
        // the next deployment reads that order: 3 runs, 4 is retired; drained deletes generation 4
        assertEquals(new NodeGenerations(3, Optional.empty(), Optional.of(4)), decide(back.declared(), 3, true, problems));
        assertEquals(new NodeGenerations(3, Optional.of(4), Optional.empty()), decide(back.declared(), 3, false, problems));
        // or turn forward again
        assertEquals(new NodeGenerations(4, Optional.of(3), Optional.empty()), decide(back.declared(), 4, false, problems));
        assertEquals(List.of(), problems);
        assertTrue(back.rollPlanText(Planner.plan(3, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE))
                .startsWith("Abandoning the roll to generation 4: back from generation 4 to 3"));
    }

    @Test
    void refusals() {
        for (Object[] c : new Object[][] {
                {List.of(), 1, false, "a new cluster starts at generation 0"},
                {List.of(0), 2, false, "roll one generation at a time, to 1"},
                {List.of(0), 1, true, "generation 0 is only now being replaced by 1"},
                {List.of(0, 1), 2, false, "finish that roll"},
                {List.of(0, 1), 0, true, "the roll to generation 1 is only now being abandoned"},
                {List.of(1, 0), 1, true, "the roll back to generation 0 is only now being reversed"},
                {List.of(0, 1), -1, false, "nodeGeneration=-1 is not valid"},
                {List.of(1), 0, false, "roll one generation at a time, to 2"},
                {List.of(1), 1, true, "no generation is being retired"},
                {List.of(0, 2), 2, false, "not one generation or two consecutive ones"},
                {List.of(0), -1, false, "nodeGeneration=-1 is not valid"}}) {
            List<String> problems = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Integer> previous = (List<Integer>) c[0];
            decide(previous, (int) c[1], (boolean) c[2], problems);
            assertEquals(1, problems.size(), java.util.Arrays.toString(c) + " -> " + problems);
            assertTrue(problems.get(0).contains((String) c[3]), problems.get(0));
        }
    }

    @Test
    void namesAndTheRollPlanOverPlannedRoles() {
        Plan plan = Planner.plan(3, 2, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE);
        assertEquals("node-1-2", NodeGenerations.nodeName(plan.node("node-1-2"), 0));
        assertEquals("node-1-2-g7", NodeGenerations.nodeName(plan.node("node-1-2"), 7));
        List<RollOrder.Step> steps = new NodeGenerations(1, Optional.of(0), Optional.empty()).rollPlan(plan);
        assertEquals(9, steps.size());
        assertEquals(6, steps.stream().takeWhile(s -> !s.isHandover()).count(), "six replicas first");
        for (RollOrder.Step s : steps) {
            assertEquals(s.replacement().old() + "-g1", s.replacement().replacement());
            assertEquals(plan.node(s.replacement().old()).zone(), s.replacement().zone(), "same zone");
            assertEquals(s.isHandover(), plan.node(s.replacement().old()).isMaster());
        }
        assertEquals(List.of(), NodeGenerations.FIRST.rollPlan(plan));
    }
}
