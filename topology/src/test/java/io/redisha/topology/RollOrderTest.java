package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RollOrderTest {
    private static RollOrder.Replacement r(String old, String neu, String shard, Role role) {
        return new RollOrder.Replacement(old, neu, shard, role, "z-" + shard);
    }

    @Test
    void replicasFirstThenMastersEachHandingOverToItsReplacement() {
        List<RollOrder.Step> steps = RollOrder.order(List.of(r("m0", "m0'", "0", Role.MASTER), r("r1", "r1'", "1", Role.REPLICA),
                r("m1", "m1'", "1", Role.MASTER), r("r0", "r0'", "0", Role.REPLICA)));
        assertEquals(List.of("r0", "r1", "m0", "m1"), steps.stream().map(s -> s.replacement().old()).toList());
        assertEquals(List.of(1, 2, 3, 4), steps.stream().map(RollOrder.Step::number).toList());
        assertEquals(List.of(false, false, true, true), steps.stream().map(RollOrder.Step::isHandover).toList());
        assertTrue(steps.get(2).handover().contains("CLUSTER FAILOVER on m0'"), steps.get(2).handover());
        assertTrue(RollOrder.toTable(steps).contains("CLUSTER FAILOVER on m1'"));
    }

    @Test
    void refusesAmbiguousReplacements() {
        assertThrows(InvalidPlanException.class, () -> RollOrder.order(List.of(r("a", "x", "0", Role.MASTER), r("a", "y", "0", Role.REPLICA))));
        assertThrows(InvalidPlanException.class, () -> RollOrder.order(List.of(r("a", "x", "0", Role.MASTER), r("b", "x", "0", Role.REPLICA))));
        InvalidPlanException chained = assertThrows(InvalidPlanException.class,
                () -> RollOrder.order(List.of(r("a", "b", "0", Role.MASTER), r("b", "c", "0", Role.REPLICA))));
        assertTrue(chained.getMessage().contains("a new node that is not itself being replaced"), chained.getMessage());
    }
}
