package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two-phase scale-in decision, without Pulumi. */
class ScaleInTest {
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    static RedisClusterArgs.Builder args(int masters) {
        return RedisClusterArgs.builder().imageId("ami-0123456789abcdef0").authPassword(Output.of("pw")).masters(masters);
    }

    static String planJson(int masters) {
        return Planner.plan(masters, 1, ZONES, ZoneLoss.MUST_SURVIVE).toJson();
    }

    @Test
    void growingRetiresNothing() {
        ClusterSettings s = args(5).previousPlan(planJson(3)).build().validate("dev");
        assertEquals(ScaleIn.NONE, s.scaleIn());
        assertTrue(s.previousPlan().isPresent());
    }

    @Test
    void shrinkingKeepsTheLeavingNodesAsRetiring() {
        ClusterSettings s = args(3).previousPlan(planJson(5)).build().validate("dev");
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), s.scaleIn().retiring().stream().map(PlannedNode::name).toList());
        assertEquals(List.of(), s.scaleIn().removing());
        Plan five = Plan.fromJson(planJson(5));
        s.scaleIn().retiring().forEach(n -> assertEquals(ZONES.indexOf(five.node(n.name()).zone()), s.scaleIn().zoneIndex().get(n.name())));
    }

    @Test
    void confirmationRemovesOnlyWhatTheLastDeploymentRetired() {
        Plan five = Plan.fromJson(planJson(5));
        List<PlannedNode> retiring = five.nodes().stream().filter(n -> n.shard() >= 3).toList();
        ClusterSettings s = args(3).previousPlan(planJson(3)).previousRetiringNodes(retiring).retiredNodesDrained(true).build().validate("dev");
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), s.scaleIn().removing());
        assertEquals(List.of(), s.scaleIn().retiring());
        // the retiring list survives the round trip through the retiringNodes output
        retiring.forEach(n -> assertEquals(n.name(), ScaleIn.nodeOf(ScaleIn.describe(n)).name()));
        retiring.forEach(n -> assertEquals(n.zone(), ScaleIn.nodeOf(Map.of("name", n.name(), "zone", n.zone(), "role", "master",
                "shard", 3.0, "member", 0.0)).zone()));
    }

    @Test
    void confirmationInTheRunThatStartsTheDrainIsRefused() {
        String message = assertThrows(InvalidClusterArgsException.class,
                () -> args(3).previousPlan(planJson(5)).retiredNodesDrained(true).build().validate("dev")).getMessage();
        assertTrue(message.contains("retiredNodesDrained=true, but node-3-0, node-3-1, node-4-0, node-4-1 leave the plan in this run"), message);
    }

    @Test
    void growingBackCancelsTheRetirement() {
        Plan five = Plan.fromJson(planJson(5));
        List<PlannedNode> retiring = five.nodes().stream().filter(n -> n.shard() >= 3).toList();
        ClusterSettings s = args(5).previousPlan(planJson(3)).previousRetiringNodes(retiring).build().validate("dev");
        assertEquals(ScaleIn.NONE, s.scaleIn());
    }

    @Test
    void changedZonesAndBadPreviousPlanAreRefused() {
        String zones = assertThrows(InvalidClusterArgsException.class, () -> args(3).zones("eu-west-1a", "eu-west-1b", "eu-west-1c")
                .previousPlan(planJson(3)).build().validate("dev")).getMessage();
        assertTrue(zones.contains("differ from the last deployment's zones"), zones);
        String bad = assertThrows(InvalidClusterArgsException.class, () -> args(3).previousPlan("{not json").build().validate("dev")).getMessage();
        assertTrue(bad.contains("previousPlan is not valid"), bad);
    }
}
