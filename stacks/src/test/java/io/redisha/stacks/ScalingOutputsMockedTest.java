package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import io.redisha.mock.MockedDiff;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import io.redisha.topology.SlotMove;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A change to a running cluster under mocks: the second run reads the first run's outputs through
 * the program's StackReference to itself, as {@code pulumi preview}/{@code up} would. Expected values
 * come from {@link PlanDiff} over the two plans, never from an earlier run's printout.
 */
class ScalingOutputsMockedTest {
    static final String INSTANCE = "aws:ec2/instance:Instance";

    static MockedDeployment.Result change(String stack, Map<String, Object> previousOutputs, Map<String, String> overrides) {
        Map<String, String> config = Stacks.config(stack);
        config.putAll(overrides);
        MockedDeployment.Result r = MockedDeployment.run(stack, config, Stacks.secretKeys(), ClusterStack::define, previousOutputs);
        return r;
    }

    /** As {@link #change}, after {@code previous} whose converge recorded success or failure on its placement. */
    static MockedDeployment.Result changeAfter(String stack, MockedDeployment.Result previous, boolean convergeSucceeded,
                                               Map<String, String> overrides) {
        Map<String, String> config = Stacks.config(stack);
        config.putAll(overrides);
        return MockedDeployment.runAfter(stack, config, Stacks.secretKeys(), ClusterStack::define, previous, convergeSucceeded);
    }

    static Plan plan(MockedDeployment.Result r) {
        return Plan.fromJson((String) r.outputs().get("plan"));
    }

    static Placement placement(MockedDeployment.Result r, String stack) {
        return Placement.fromJson(r.resource(stack + "-placement").string("value"));
    }

    static Set<String> names(List<DeclaredResource> resources) {
        return resources.stream().map(DeclaredResource::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void mockedAddingAFourthZoneMovesNoInstanceAndPutsTheNewMasterThere() {
        String three = "[\"us-east-1a\",\"us-east-1b\",\"us-east-1c\"]";
        String four = "[\"us-east-1a\",\"us-east-1b\",\"us-east-1c\",\"us-east-1d\"]";
        MockedDeployment.Result before = Stacks.run("dev", Map.of("redis-ha:zones", three));
        assertTrue(before.succeeded(), () -> before.failure().orElse(""));
        MockedDeployment.Result after = change("dev", before.outputs(), Map.of("redis-ha:zones", four, "redis-ha:masters", "4"));
        assertTrue(after.succeeded(), () -> after.failure().orElse(""));
        Plan was = plan(before);
        Plan now = plan(after);
        was.nodes().forEach(n -> assertEquals(n.zone(), now.node(n.name()).zone(), n.name() + " moved"));
        assertEquals("us-east-1d", now.node("node-3-0").zone());
        assertTrue(now.zoneSafety().survivesZoneLoss(), now.summary());
        assertEquals(List.of("node-3-0", "node-3-1"), PlanDiff.between(was, now).added());
        assertEquals(List.of(), PlanDiff.between(was, now).recast());
        // Every instance the first run declared keeps its subnet; the new master runs in the new zone's subnet.
        Map<String, String> subnetBefore = new LinkedHashMap<>();
        before.resources(INSTANCE).forEach(i -> subnetBefore.put(i.name(), i.string("subnetId")));
        after.resources(INSTANCE).stream().filter(i -> subnetBefore.containsKey(i.name()))
                .forEach(i -> assertEquals(subnetBefore.get(i.name()), i.string("subnetId"), i.name()));
        assertEquals(4, after.resources("aws:ec2/subnet:Subnet").size());

        // A later run over the same four zones keeps the grown layout (no recast of node-2-1 into the new zone).
        MockedDeployment.Result again = change("dev", after.outputs(), Map.of("redis-ha:zones", four, "redis-ha:masters", "4"));
        assertTrue(again.succeeded(), () -> again.failure().orElse(""));
        assertEquals(now, plan(again));
    }

    @Test
    void mockedGrowingThreeToFiveMastersExportsTheMovesInScalingPlan() {
        MockedDeployment.Result before = Stacks.run("dev", Map.of());
        MockedDeployment.Result after = change("dev", before.outputs(), Map.of("redis-ha:masters", "5"));
        assertTrue(after.succeeded(), () -> after.failure().orElse(""));
        PlanDiff expected = PlanDiff.between(plan(before), plan(after));
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), expected.added());
        assertTrue(expected.slotsMoved() > 0 && expected.removed().isEmpty());

        String text = (String) after.outputs().get("scalingPlan");
        assertTrue(text.startsWith(expected.toText()), text);
        assertTrue(text.contains("Nodes added:   node-3-0, node-3-1, node-4-0, node-4-1"), text);
        assertTrue(text.contains("Slot moves:    " + expected.slotsMoved() + " slots in " + expected.moves().size() + " moves"), text);
        for (SlotMove move : expected.moves()) {
            assertTrue(text.contains(move.from()) && text.contains(move.to()), move + " in\n" + text);
        }

        Map<?, ?> moves = (Map<?, ?>) after.outputs().get("scalingMoves");
        assertEquals(expected.added(), moves.get("added"));
        assertEquals(List.of(), moves.get("removed"));
        assertEquals((double) expected.slotsMoved(), ((Number) moves.get("slotsMoved")).doubleValue());
        List<?> structured = (List<?>) moves.get("moves");
        assertEquals(expected.moves().size(), structured.size());
        for (int i = 0; i < structured.size(); i++) {
            Map<?, ?> m = (Map<?, ?>) structured.get(i);
            assertEquals(expected.moves().get(i).from(), m.get("from"));
            assertEquals(expected.moves().get(i).to(), m.get("to"));
            assertEquals((double) expected.moves().get(i).slotCount(), ((Number) m.get("slots")).doubleValue());
        }
        // and the resources: only the new nodes are added
        MockedDiff diff = Stacks.compare(before, after);
        assertTrue(diff.onlyAdds(), diff.render());
        assertTrue(diff.render().contains(expected.toText()), diff.render());
    }

    @Test
    void mockedFirstDeploymentAndUnchangedRedeploy() {
        MockedDeployment.Result first = Stacks.run("dev", Map.of());
        assertTrue(String.valueOf(first.outputs().get("scalingPlan")).startsWith("new cluster"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) first.outputs().get("scalingMoves")).get("newCluster"));
        MockedDeployment.Result again = change("dev", first.outputs(), Map.of());
        MockedDiff diff = Stacks.compare(first, again);
        assertEquals(0, diff.added().size() + diff.removed().size() + diff.changed().size(), diff.render());
    }

    /** The second up right after the first changes no output at all, so the engine reports no changes. */
    @Test
    void mockedSecondRunRightAfterTheFirstChangesNoOutput() {
        MockedDeployment.Result first = Stacks.run("dev", Map.of());
        MockedDeployment.Result second = change("dev", first.outputs(), Map.of());
        assertEquals(first.outputs(), second.outputs());
    }

    /** After a scale-out, the next unchanged run keeps describing that scale-out, byte for byte. */
    @Test
    void mockedUnchangedRunAfterAScaleOutKeepsItsScalingOutputs() {
        MockedDeployment.Result first = Stacks.run("dev", Map.of());
        MockedDeployment.Result grown = change("dev", first.outputs(), Map.of("redis-ha:masters", "5"));
        assertEquals(PlanDiff.between(plan(first), plan(grown)).toText(), grown.outputs().get("scalingPlan"));
        MockedDeployment.Result again = change("dev", grown.outputs(), Map.of("redis-ha:masters", "5"));
        assertEquals(grown.outputs(), again.outputs());
    }

    /** Phase 1 keeps every instance and lists the leaving nodes as retiring; phase 2 deletes only those. */
    void twoPhaseScaleIn(String stack, Map<String, String> bigger, Map<String, String> smaller, Set<String> leaving) {
        MockedDeployment.Result big = change(stack, Map.of(), bigger);
        assertTrue(big.succeeded(), () -> big.failure().orElse(""));

        // phase 1
        MockedDeployment.Result phase1 = change(stack, big.outputs(), smaller);
        assertTrue(phase1.succeeded(), () -> phase1.failure().orElse(""));
        MockedDiff d1 = Stacks.compare(big, phase1);
        assertEquals(List.of(), d1.removed(), "phase 1 deletes nothing:\n" + d1.render());
        assertEquals(List.of(), d1.added(), d1.render());
        assertEquals(List.of(), d1.unexpectedChanges(), d1.render());
        Set<String> retiringInstances = leaving.stream().map(n -> stack + "-" + n).collect(Collectors.toCollection(TreeSet::new));
        boolean protectedNodes = Boolean.parseBoolean(Stacks.config(stack).get("redis-ha:terminationProtection"));
        Set<String> changedInstances = d1.changed().stream().filter(c -> c.type().equals(INSTANCE)).map(MockedDiff.Change::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(protectedNodes ? retiringInstances : Set.of(), changedInstances,
                "only termination protection of retiring nodes is lifted:\n" + d1.render());
        for (DeclaredResource i : phase1.resources(INSTANCE)) {
            boolean retiring = retiringInstances.contains(i.name());
            assertEquals(String.valueOf(protectedNodes && !retiring), i.string("disableApiTermination"), i.name());
        }
        Placement p1 = placement(phase1, stack);
        assertEquals(leaving, new TreeSet<>(p1.retiring().keySet()));
        Map<String, NodeAddress> bigAddresses = placement(big, stack).addresses();
        p1.retiring().forEach((node, address) -> assertEquals(bigAddresses.get(node), address, node + " keeps its address"));
        assertEquals(leaving, ((List<?>) phase1.outputs().get("retiringNodes")).stream()
                .map(n -> String.valueOf(((Map<?, ?>) n).get("name"))).collect(Collectors.toCollection(TreeSet::new)));
        PlanDiff planDiff = PlanDiff.between(plan(big), plan(phase1));
        assertEquals(leaving, new TreeSet<>(planDiff.removed()));
        String text1 = (String) phase1.outputs().get("scalingPlan");
        assertTrue(text1.startsWith(planDiff.toText()) && text1.contains("Retiring (phase 1 of 2): "), text1);

        // phase 1 again (the user re-runs up before confirming): still nothing deleted or changed
        MockedDeployment.Result again = change(stack, phase1.outputs(), smaller);
        MockedDiff dAgain = Stacks.compare(phase1, again);
        assertEquals(0, dAgain.added().size() + dAgain.removed().size() + dAgain.changed().size(), dAgain.render());

        // confirming in the same run that starts the drain is refused
        Map<String, String> hasty = new LinkedHashMap<>(smaller);
        hasty.put("redis-ha:retiredNodesDrained", "true");
        MockedDeployment.Result refused = change(stack, big.outputs(), hasty);
        assertTrue(refused.failure().orElse("").contains("leave the plan in this run"), refused.failure().orElse("passed"));
        assertTrue(refused.customResources().isEmpty(), "nothing may be declared");

        // phase 2 before converge verified the retiring nodes out of the cluster: refused, nothing deleted
        MockedDeployment.Result unverified = change(stack, again.outputs(), hasty);
        assertTrue(unverified.failure().orElse("").contains("but no converge run is recorded"), unverified.failure().orElse("passed"));
        MockedDeployment.Result failed = changeAfter(stack, again, false, hasty);
        assertTrue(failed.failure().orElse("").contains("did not finish"), failed.failure().orElse("passed"));

        // phase 2
        MockedDeployment.Result phase2 = changeAfter(stack, again, true, hasty);
        assertTrue(phase2.succeeded(), () -> phase2.failure().orElse(""));
        MockedDiff d2 = Stacks.compare(again, phase2);
        assertEquals(retiringInstances, names(d2.removed()), d2.render());
        assertEquals(List.of(), d2.added(), d2.render());
        assertEquals(Set.of(stack + "-placement", stack + "-converge-association"),
                d2.changed().stream().map(MockedDiff.Change::name).collect(Collectors.toSet()), d2.render());
        assertTrue(placement(phase2, stack).retiring().isEmpty());
        assertEquals(List.of(), phase2.outputs().get("retiringNodes"));
        assertTrue(((String) phase2.outputs().get("scalingPlan")).contains("Removing drained nodes (phase 2 of 2): "));
        assertFalse(names(phase2.resources(INSTANCE)).stream().anyMatch(retiringInstances::contains));
    }

    @Test
    void mockedDevFiveToThreeMastersInTwoPhases() {
        twoPhaseScaleIn("dev", Map.of("redis-ha:masters", "5"), Map.of("redis-ha:masters", "3"),
                new TreeSet<>(Set.of("node-3-0", "node-3-1", "node-4-0", "node-4-1")));
    }

    @Test
    void mockedProdTwoToOneReplicasInTwoPhasesLiftsProtectionOfRetiringNodesOnly() {
        twoPhaseScaleIn("prod", Map.of(), Map.of("redis-ha:replicasPerMaster", "1"),
                new TreeSet<>(Set.of("node-0-2", "node-1-2", "node-2-2")));
    }

    @Test
    void mockedStaleConfirmationDoesNotSkipPhaseOne() {
        MockedDeployment.Result big = change("dev", Map.of(), Map.of("redis-ha:masters", "5", "redis-ha:retiredNodesDrained", "true"));
        assertTrue(big.succeeded(), "a confirmation with nothing retiring is harmless: " + big.failure().orElse(""));
        MockedDeployment.Result shrink = change("dev", big.outputs(), Map.of("redis-ha:masters", "3", "redis-ha:retiredNodesDrained", "true"));
        assertTrue(shrink.failure().orElse("").contains("retiredNodesDrained=true, but node-3-0, node-3-1, node-4-0, node-4-1"),
                shrink.failure().orElse("passed"));
    }

}
