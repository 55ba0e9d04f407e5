package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.RollOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Replacing every node (here a new instance type) under mocks, through the stack's own outputs read
 * back as {@code pulumi up} would: phase 1 adds a new generation beside the running one and hands
 * converge the roll; phase 2 deletes the old generation. No existing instance is replaced in place.
 */
class RollMockedTest {
    private static final String INSTANCE = ScalingOutputsMockedTest.INSTANCE;

    private static Set<String> instanceNames(MockedDeployment.Result r) {
        return ScalingOutputsMockedTest.names(r.resources(INSTANCE));
    }

    private static List<Integer> generations(MockedDeployment.Result r) {
        return ((List<?>) r.outputs().get("nodeGenerations")).stream().map(g -> ((Number) g).intValue()).toList();
    }

    /** The next deployment after {@code previous}, whose converge succeeded (it recorded so). */
    private static MockedDeployment.Result next(MockedDeployment.Result previous, Map<String, String> overrides) {
        return ScalingOutputsMockedTest.changeAfter("dev", previous, true, overrides);
    }

    @Test
    void mockedInstanceTypeChangeRollsThroughANewGenerationInTwoPhases() {
        MockedDeployment.Result before = Stacks.run("dev", Map.of());
        assertTrue(before.succeeded(), () -> before.failure().orElse(""));
        assertEquals(List.of(0), generations(before));
        assertTrue(((String) before.outputs().get("rollPlan")).startsWith("No roll"), (String) before.outputs().get("rollPlan"));
        Plan plan = ScalingOutputsMockedTest.plan(before);
        Set<String> gen0 = instanceNames(before);

        // Phase 1: generation 1 on r6i.large beside generation 0, which stays declared.
        MockedDeployment.Result phase1 = next(before, Map.of("redis-ha:nodeGeneration", "1", "redis-ha:instanceType", "r6i.large"));
        assertTrue(phase1.succeeded(), () -> phase1.failure().orElse(""));
        Set<String> names = instanceNames(phase1);
        assertTrue(names.containsAll(gen0), "no generation-0 instance is deleted in phase 1: " + names);
        Set<String> added = new TreeSet<>(names);
        added.removeAll(gen0);
        Set<String> expected = new TreeSet<>();
        plan.nodes().forEach(n -> expected.add("dev-" + n.name() + "-g1"));
        assertEquals(expected, added, "one new node per planned node, named -g1");
        for (String name : gen0) {
            DeclaredResource old = phase1.resource(name);
            assertEquals("true", old.string("tags.redis-ha:replaced"), name);
            assertEquals(false, old.input("disableApiTermination").orElse(false), name + " may be deleted in phase 2");
        }
        for (String name : added) {
            assertEquals("r6i.large", phase1.resource(name).string("instanceType"), name);
            assertEquals("1", phase1.resource(name).string("tags.redis-ha:generation"), name);
        }
        // The placement names the new nodes and, for each, the old node it replaces (same planned node).
        Placement placement = ScalingOutputsMockedTest.placement(phase1, "dev");
        Placement was = ScalingOutputsMockedTest.placement(before, "dev");
        assertEquals(plan.nodes().size(), placement.replacing().size());
        for (PlannedNode node : plan.nodes()) {
            assertEquals(was.addressOf(node.name()), placement.replacing().get(node.name()), node.name() + " is replaced where it ran");
            NodeAddress now = placement.addressOf(node.name());
            assertFalse(was.addresses().containsValue(now), node.name() + " moves to a new instance, not " + now);
        }
        // The rollPlan output: replicas first, then each master hands over to its own replacement.
        String rollPlan = (String) phase1.outputs().get("rollPlan");
        List<RollOrder.Replacement> replacements = new ArrayList<>();
        plan.nodes().forEach(n -> replacements.add(new RollOrder.Replacement(n.name(), n.name() + "-g1", String.valueOf(n.shard()), n.role(), n.zone())));
        for (RollOrder.Step step : RollOrder.order(replacements)) {
            assertTrue(rollPlan.contains(step.describe()), step.describe() + " in\n" + rollPlan);
        }
        int firstMaster = rollPlan.indexOf(" master ");
        int lastReplica = rollPlan.lastIndexOf(" replica node-");
        assertTrue(firstMaster > lastReplica, "replicas first:\n" + rollPlan);
        assertEquals(List.of(0, 1), generations(phase1));

        // Running phase 1 again (converge resumes a killed roll) declares the same.
        MockedDeployment.Result again = next(phase1, Map.of("redis-ha:nodeGeneration", "1", "redis-ha:instanceType", "r6i.large"));
        assertTrue(again.succeeded(), () -> again.failure().orElse(""));
        assertEquals(names, instanceNames(again));

        // Phase 2 after a converge that failed is refused, naming why, and deletes nothing.
        Map<String, String> drain = Map.of("redis-ha:nodeGeneration", "1", "redis-ha:instanceType", "r6i.large",
                "redis-ha:retiredGenerationDrained", "true");
        MockedDeployment.Result unverified = ScalingOutputsMockedTest.changeAfter("dev", again, false, drain);
        assertFalse(unverified.succeeded(), "phase 2 without a converged record deletes nothing");
        assertTrue(unverified.failure().get().contains("retiredGenerationDrained=true deletes the 6 instances of generation 0, but the last"
                + " converge run (attempt 0, failed: mocked: converge failed) did not finish"), unverified.failure().get());

        // Phase 2: the roll is confirmed done; generation 0 is no longer declared, so Pulumi deletes it.
        MockedDeployment.Result phase2 = next(again, Map.of("redis-ha:nodeGeneration", "1", "redis-ha:instanceType", "r6i.large",
                "redis-ha:retiredGenerationDrained", "true"));
        assertTrue(phase2.succeeded(), () -> phase2.failure().orElse(""));
        assertEquals(expected, instanceNames(phase2));
        assertEquals(List.of(1), generations(phase2));
        assertTrue(ScalingOutputsMockedTest.placement(phase2, "dev").replacing().isEmpty());
        assertTrue(((String) phase2.outputs().get("rollPlan")).startsWith("Roll finished"), (String) phase2.outputs().get("rollPlan"));
    }

    @Test
    void mockedAbandonedRollHandsBackToTheOldGenerationThenDeletesOnlyTheNewOne() {
        MockedDeployment.Result before = Stacks.run("dev", Map.of());
        Set<String> gen0 = instanceNames(before);
        MockedDeployment.Result phase1 = next(before, Map.of("redis-ha:nodeGeneration", "1"));
        assertTrue(phase1.succeeded(), () -> phase1.failure().orElse(""));
        Set<String> gen1 = new TreeSet<>(instanceNames(phase1));
        gen1.removeAll(gen0);

        // back to 0: nothing deleted; converge hands each node back from its generation-1 twin
        MockedDeployment.Result back = next(phase1, Map.of("redis-ha:nodeGeneration", "0"));
        assertTrue(back.succeeded(), () -> back.failure().orElse(""));
        assertEquals(instanceNames(phase1), instanceNames(back), "turning back deletes nothing");
        assertEquals(List.of(1, 0), generations(back));
        Placement placement = ScalingOutputsMockedTest.placement(back, "dev");
        Placement forward = ScalingOutputsMockedTest.placement(phase1, "dev");
        for (PlannedNode node : ScalingOutputsMockedTest.plan(before).nodes()) {
            assertEquals(forward.addressOf(node.name()), placement.replacing().get(node.name()), node.name() + ": its g1 twin gives way");
            assertEquals(forward.replacing().get(node.name()), placement.addressOf(node.name()), node.name() + ": back where it ran");
        }
        for (String name : gen1) {
            assertEquals("true", back.resource(name).string("tags.redis-ha:replaced"), name);
        }
        assertTrue(((String) back.outputs().get("rollPlan")).startsWith("Abandoning the roll to generation 1"), (String) back.outputs().get("rollPlan"));

        // draining at once while turning back is refused; after converge handed back, only generation 1 goes
        MockedDeployment.Result hasty = next(phase1, Map.of("redis-ha:nodeGeneration", "0", "redis-ha:retiredGenerationDrained", "true"));
        assertTrue(hasty.failure().orElse("").contains("the roll to generation 1 is only now being abandoned"), hasty.failure().orElse("passed"));
        MockedDeployment.Result dropped = next(back, Map.of("redis-ha:nodeGeneration", "0", "redis-ha:retiredGenerationDrained", "true"));
        assertTrue(dropped.succeeded(), () -> dropped.failure().orElse(""));
        assertEquals(gen0, instanceNames(dropped), "only the generation-1 instances are deleted");
        assertEquals(List.of(0), generations(dropped));
    }

    @Test
    void mockedRollRefusesSkippingAGenerationDrainingEarlyAndScalingAtOnce() {
        MockedDeployment.Result before = Stacks.run("dev", Map.of());
        MockedDeployment.Result skip = next(before, Map.of("redis-ha:nodeGeneration", "2"));
        assertFalse(skip.succeeded(), "nodeGeneration=2 from 0 is refused");
        assertTrue(skip.failure().get().contains("nodeGeneration=2 is not valid: the cluster runs generation 0; roll one generation at a time, to 1"),
                skip.failure().get());

        MockedDeployment.Result early = next(before, Map.of("redis-ha:nodeGeneration", "1", "redis-ha:retiredGenerationDrained", "true"));
        assertFalse(early.succeeded(), "draining in the run that starts the roll is refused");
        assertTrue(early.failure().get().contains("retiredGenerationDrained=true, but generation 0 is only now being replaced by 1"),
                early.failure().get());

        MockedDeployment.Result both = next(before, Map.of("redis-ha:nodeGeneration", "1", "redis-ha:masters", "5"));
        assertFalse(both.succeeded(), "a roll together with a resize is refused");
        assertTrue(both.failure().get().contains("one change at a time"), both.failure().get());
    }
}
