package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.text.Count;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages count things in the right number: "1 replica", "the 1 left is", never "1 keys". */
class GrammarTest {
    @Test
    void countsPickTheNounAndVerbByNumber() {
        assertEquals("1 key", Count.of(1, "key"));
        assertEquals("0 keys", Count.of(0, "key"));
        assertEquals("4 masters", Count.of(4, "master"));
        assertEquals("2 redis-server processes", Count.of(2, "redis-server process", "redis-server processes"));
        assertEquals("is", Count.verb(1));
        assertEquals("are", Count.verb(2));
    }

    @Test
    void planSummaryAndZoneLossProblemsReadRight() {
        Plan plan = Planner.plan(4, 1, List.of("a", "b", "c"), ZoneLoss.ACCEPT_RISK);
        assertTrue(plan.summary().startsWith("4 masters x 1 replica over 3 zones"), plan.summary());
        // Two masters over two zones: losing either leaves one, which is not a majority.
        ZoneSafety two = ZoneSafety.evaluate(List.of("a", "b"),
                List.of(new ShardZones("s0", "a", List.of("b")), new ShardZones("s1", "b", List.of("a"))));
        assertTrue(two.problems().contains("losing zone a takes 1 of 2 masters; the 1 left is not a majority, so no failover can be voted"),
                two.problems().toString());
    }
}
