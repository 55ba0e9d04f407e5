package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import io.redisha.mock.MockedDiff;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Scaling under mocks, two runs compared: growing the cluster only adds nodes. */
class ScalingPreviewMockedTest {

    /**
     * Two resources legitimately change when the cluster grows: the placement SSM parameter (it lists
     * the new nodes) and the converge association (its placementDigest parameter changes, so SSM
     * re-runs redis-ha converge). Every other existing resource keeps exactly the same inputs.
     */
    private static void assertOnlyAdds(MockedDiff diff, String stack, Set<String> newNodes) {
        assertEquals(List.of(), diff.removed(), diff.render());
        assertEquals(List.of(), diff.unexpectedChanges(), diff.render());
        assertEquals(Set.of(stack + "-placement", stack + "-converge-association"),
                diff.changed().stream().map(MockedDiff.Change::name).collect(Collectors.toSet()), diff.render());
        assertEquals(newNodes, diff.added().stream().map(DeclaredResource::name).collect(Collectors.toSet()), diff.render());
        assertTrue(diff.added().stream().allMatch(r -> r.type().equals("aws:ec2/instance:Instance")), diff.render());
        assertTrue(diff.onlyAdds());
    }

    @Test
    void mockedDevPlusTwoMastersOnlyAddsTheirShards() {
        // 3 -> 4 masters over 3 zones is refused by the planner (a zone would hold 2 of 4 masters);
        // 5 is the next zone-safe count (see InvalidConfigMockedTest)
        MockedDiff diff = Stacks.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:masters", "5")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-3-0", "dev-node-3-1", "dev-node-4-0", "dev-node-4-1"));
    }

    @Test
    void mockedDevPlusOneReplicaPerMasterOnlyAddsReplicas() {
        MockedDiff diff = Stacks.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:replicasPerMaster", "2")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-0-2", "dev-node-1-2", "dev-node-2-2"));
    }

    @Test
    void mockedProdPlusTwoMastersOnlyAddsTheirShards() {
        MockedDiff diff = Stacks.compare(Stacks.run("prod", Map.of()),
                Stacks.run("prod", Map.of("redis-ha:masters", "5")));
        assertOnlyAdds(diff, "prod", Set.of("prod-node-3-0", "prod-node-3-1", "prod-node-3-2",
                "prod-node-4-0", "prod-node-4-1", "prod-node-4-2"));
        assertTrue(diff.render().contains("6 to add, 2 to change (0 unexpected), 0 to remove"), diff.render());
    }

    @Test
    void mockedOneMoreMasterWithAcceptedRiskOnlyAddsItsShard() {
        // 4 masters over 3 zones does not survive a zone loss; with the risk accepted it still only adds
        MockedDiff diff = Stacks.compare(Stacks.run("dev", Map.of("redis-ha:acceptZoneLossRisk", "true")),
                Stacks.run("dev", Map.of("redis-ha:masters", "4", "redis-ha:acceptZoneLossRisk", "true")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-3-0", "dev-node-3-1"));
    }

    @Test
    void mockedInstanceTypeChangeIsReportedAsUnexpected() {
        MockedDiff diff = Stacks.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:instanceType", "t3.large")));
        assertEquals(6, diff.unexpectedChanges().stream().filter(c -> c.type().equals("aws:ec2/instance:Instance")).count(), diff.render());
        assertTrue(diff.unexpectedChanges().get(0).changedInputs().contains("instanceType"));
        assertTrue(!diff.onlyAdds());
    }

    @Test
    void mockedResultsAreDeterministic() {
        MockedDeployment.Result a = Stacks.run("dev", Map.of());
        MockedDeployment.Result b = Stacks.run("dev", Map.of());
        MockedDiff diff = Stacks.compare(a, b);
        assertEquals(0, diff.added().size() + diff.removed().size() + diff.changed().size(), diff.render());
    }
}
