package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.stacks.mock.DeclaredResource;
import io.redisha.stacks.mock.MockedDeployment;
import io.redisha.stacks.mock.ScalingPreview;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Scaling previews under mocks: growing the cluster only adds nodes. */
class ScalingPreviewMockedTest {

    /**
     * Two resources legitimately change when the cluster grows: the placement SSM parameter (it lists
     * the new nodes) and the converge association (its placementDigest parameter changes, so SSM
     * re-runs redis-ha converge). Every other existing resource keeps exactly the same inputs.
     */
    private static void assertOnlyAdds(ScalingPreview.Diff diff, String stack, Set<String> newNodes) {
        assertEquals(List.of(), diff.removed(), diff.render());
        assertEquals(List.of(), diff.unexpectedChanges(), diff.render());
        assertEquals(Set.of(stack + "-placement", stack + "-converge-association"),
                diff.changed().stream().map(ScalingPreview.Change::name).collect(Collectors.toSet()), diff.render());
        assertEquals(newNodes, diff.added().stream().map(DeclaredResource::name).collect(Collectors.toSet()), diff.render());
        assertTrue(diff.added().stream().allMatch(r -> r.type().equals("aws:ec2/instance:Instance")), diff.render());
        assertTrue(diff.onlyAdds());
    }

    @Test
    void mockedDevPlusTwoMastersOnlyAddsTheirShards() {
        // 3 -> 4 masters over 3 zones is refused by the planner (a zone would hold 2 of 4 masters);
        // 5 is the next zone-safe count (see InvalidConfigMockedTest)
        ScalingPreview.Diff diff = ScalingPreview.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:masters", "5")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-3-0", "dev-node-3-1", "dev-node-4-0", "dev-node-4-1"));
    }

    @Test
    void mockedDevPlusOneReplicaPerMasterOnlyAddsReplicas() {
        ScalingPreview.Diff diff = ScalingPreview.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:replicasPerMaster", "2")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-0-2", "dev-node-1-2", "dev-node-2-2"));
    }

    @Test
    void mockedProdPlusTwoMastersOnlyAddsTheirShards() {
        ScalingPreview.Diff diff = ScalingPreview.compare(Stacks.run("prod", Map.of()),
                Stacks.run("prod", Map.of("redis-ha:masters", "5")));
        assertOnlyAdds(diff, "prod", Set.of("prod-node-3-0", "prod-node-3-1", "prod-node-3-2",
                "prod-node-4-0", "prod-node-4-1", "prod-node-4-2"));
        assertTrue(diff.render().contains("6 to add, 2 to change (0 unexpected), 0 to remove"), diff.render());
    }

    @Test
    void mockedOneMoreMasterWithAcceptedRiskOnlyAddsItsShard() {
        // 4 masters over 3 zones does not survive a zone loss; with the risk accepted it still only adds
        ScalingPreview.Diff diff = ScalingPreview.compare(Stacks.run("dev", Map.of("redis-ha:acceptZoneLossRisk", "true")),
                Stacks.run("dev", Map.of("redis-ha:masters", "4", "redis-ha:acceptZoneLossRisk", "true")));
        assertOnlyAdds(diff, "dev", Set.of("dev-node-3-0", "dev-node-3-1"));
    }

    @Test
    void mockedInstanceTypeChangeIsReportedAsUnexpected() {
        ScalingPreview.Diff diff = ScalingPreview.compare(Stacks.run("dev", Map.of()),
                Stacks.run("dev", Map.of("redis-ha:instanceType", "t3.large")));
        assertEquals(6, diff.unexpectedChanges().stream().filter(c -> c.type().equals("aws:ec2/instance:Instance")).count(), diff.render());
        assertTrue(diff.unexpectedChanges().get(0).changedInputs().contains("instanceType"));
        assertTrue(!diff.onlyAdds());
    }

    @Test
    void mockedCliComparesTwoConfigFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path bigger = dir.resolve("Pulumi.dev-bigger.yaml");
        java.nio.file.Files.writeString(bigger, java.nio.file.Files.readString(Stacks.file("dev"))
                .replace("redis-ha:masters: \"3\"", "redis-ha:masters: \"5\""));
        ScalingPreview.Diff diff = ScalingPreview.preview("dev", io.redisha.stacks.mock.StackConfigFile.load(Stacks.file("dev")),
                io.redisha.stacks.mock.StackConfigFile.load(bigger));
        assertEquals(4, diff.added().size(), diff.render());
        assertTrue(diff.onlyAdds(), diff.render());
    }

    @Test
    void mockedResultsAreDeterministic() {
        MockedDeployment.Result a = Stacks.run("dev", Map.of());
        MockedDeployment.Result b = Stacks.run("dev", Map.of());
        ScalingPreview.Diff diff = ScalingPreview.compare(a, b);
        assertEquals(0, diff.added().size() + diff.removed().size() + diff.changed().size(), diff.render());
    }
}
