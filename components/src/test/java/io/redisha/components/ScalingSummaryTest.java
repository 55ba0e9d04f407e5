package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scaling outputs describe the last layout change, so an unchanged deployment repeats them exactly. */
class ScalingSummaryTest {
    static Plan plan(int masters) {
        return Planner.plan(masters, 1, ScaleInTest.ZONES, ZoneLoss.MUST_SURVIVE);
    }

    static ScalingSummary summary(Optional<Plan> previous, Optional<Plan> previousBase, Plan now) {
        return ScalingSummary.of(previous, previousBase, now, ScaleIn.NONE);
    }

    @Test
    void unchangedRightAfterTheFirstDeploymentRepeatsNewCluster() {
        ScalingSummary first = summary(Optional.empty(), Optional.empty(), plan(3));
        ScalingSummary second = summary(Optional.of(plan(3)), first.base(), plan(3));
        assertTrue(first.text().startsWith(ScalingSummary.NEW_CLUSTER));
        assertEquals(first.text(), second.text());
        assertEquals(first.structured(), second.structured());
        assertEquals("", second.baseJson());
    }

    @Test
    void aLayoutChangeIsDescribedAgainstTheLastPlanAndThenRepeated() {
        ScalingSummary grown = summary(Optional.of(plan(3)), Optional.empty(), plan(5));
        assertEquals(PlanDiff.between(plan(3), plan(5)).toText(), grown.text());
        assertEquals(plan(3).toJson(), grown.baseJson());
        ScalingSummary again = summary(Optional.of(plan(5)), Optional.of(Plan.fromJson(grown.baseJson())), plan(5));
        assertEquals(grown.text(), again.text());
        assertEquals(grown.structured(), again.structured());
        assertEquals(grown.baseJson(), again.baseJson());
    }
}
