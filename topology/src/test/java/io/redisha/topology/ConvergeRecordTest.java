package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConvergeRecordTest {
    private static final Plan PLAN = Planner.plan(3, 1, List.of("a", "b", "c"), ZoneLoss.MUST_SURVIVE);

    /** A roll's placement: every planned node at 10.1.S.M, replacing its twin at 10.0.S.M. */
    private static Placement rolling() {
        Map<String, NodeAddress> now = new LinkedHashMap<>();
        Map<String, NodeAddress> old = new LinkedHashMap<>();
        for (PlannedNode n : PLAN.nodes()) {
            now.put(n.name(), new NodeAddress("10.1." + n.shard() + "." + n.member(), 6379));
            old.put(n.name(), new NodeAddress("10.0." + n.shard() + "." + n.member(), 6379));
        }
        return Placement.bind(PLAN, now, Map.of(), old);
    }

    private static List<String> names() {
        return PLAN.nodes().stream().map(PlannedNode::name).toList();
    }

    @Test
    void aRollsRecordAllowsDeletingTheOldGenerationOnlyOnceConvergeVerifiedEveryTwinGone() {
        Placement placement = rolling();
        String published = ConvergeRecord.digestOf(placement.toJson());
        ConvergeRecord started = ConvergeRecord.started(placement.toJson(), placement, 0);
        assertTrue(started.missingForRemoval(names(), true, published).orElseThrow().contains("did not finish"));

        List<NodeAddress> allButOne = placement.replacing().values().stream().skip(1).toList();
        String missing = started.converged(allButOne).missingForRemoval(names(), true, published).orElseThrow();
        assertTrue(missing.contains("node-0-0 (10.0.0.0:6379)"), missing);

        ConvergeRecord done = started.converged(placement.replacing().values());
        assertEquals(Optional.empty(), done.missingForRemoval(names(), true, published));
        // the same record says nothing about a scale-in's retiring nodes
        assertTrue(done.missingForRemoval(List.of("node-3-0"), false, published).orElseThrow().contains("[node-3-0]"));
        // nor about another placement than the one published now (the addresses it verified may not be the ones deleted)
        assertTrue(done.missingForRemoval(names(), true, "0123456789abcdef").orElseThrow().contains("not the one published now"));
    }

    @Test
    void aFailedRunOnThePlacementAsksForTheNextAttemptAConvergedOneDoesNot() {
        Placement placement = rolling();
        String digest = ConvergeRecord.digestOf(placement.toJson());
        ConvergeRecord started = ConvergeRecord.started(placement.toJson(), placement, 2);
        assertEquals(0, ConvergeRecord.nextAttempt(Optional.empty(), digest));
        assertEquals(3, ConvergeRecord.nextAttempt(Optional.of(started.failed("timeout")), digest));
        assertEquals(3, ConvergeRecord.nextAttempt(Optional.of(started), digest), "a run that never ended counts as failed");
        assertEquals(2, ConvergeRecord.nextAttempt(Optional.of(started.converged(List.of())), digest));
        assertEquals(2, ConvergeRecord.nextAttempt(Optional.of(started.failed("x")), "another placement"),
                "a new placement changes the association by itself");
    }

    @Test
    void recordsSurviveTheirJsonAndAnythingElseIsNoRecord() {
        Placement placement = rolling();
        ConvergeRecord done = ConvergeRecord.started(placement.toJson(), placement, 1).converged(placement.replacing().values());
        assertEquals(Optional.of(done), ConvergeRecord.parse(done.toJson()));
        assertEquals(Optional.empty(), ConvergeRecord.parse("{}"));
        assertEquals(Optional.empty(), ConvergeRecord.parse("not json"));
        // the document's shell writes the attempt as a string (SSM parameters are strings)
        ConvergeRecord shell = ConvergeRecord.parse("{\"placementDigest\":\"abc\",\"attempt\":\"4\",\"status\":\"failed\"}").orElseThrow();
        assertEquals(4, shell.attempt());
        assertEquals(5, ConvergeRecord.nextAttempt(Optional.of(shell), "abc"));
    }
}
