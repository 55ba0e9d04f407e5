package io.redisha.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.InputLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checklist's limits are the checklist column of {@link InputLimits}, and the rules enforce exactly that range. */
class InputLimitsPolicyTest {

    private static Map<String, Object> defaults(String rule) {
        return PolicyPack.standard().rules().stream().filter(r -> r.name().equals(rule)).findFirst().orElseThrow().defaults();
    }

    @Test
    void theRulesDefaultsAreTheTablesChecklistColumn() {
        assertEquals(InputLimits.NODE_TIMEOUT_MS.checklistMin(), defaults("redis-node-timeout-range").get("minMs"));
        assertEquals(InputLimits.NODE_TIMEOUT_MS.checklistMax(), defaults("redis-node-timeout-range").get("maxMs"));
        assertEquals(InputLimits.MAXMEMORY_PERCENT.checklistMax(), defaults("redis-maxmemory-headroom").get("maxPercentOfInstanceMemory"));
        assertEquals(InputLimits.MASTERS.checklistMin(), defaults("redis-min-masters").get("minMasters"));
        assertEquals(InputLimits.REPLICAS_PER_MASTER.checklistMin(), defaults("redis-replicas-per-master").get("minReplicas"));
        assertEquals(InputLimits.ZONES.checklistMin(), defaults("redis-masters-across-zones").get("minZones"));
        assertEquals(InputLimits.ZONES.checklistMin(), defaults("redis-subnets-across-zones").get("minZones"));
    }

    private static List<Violation> nodeTimeout(long millis) {
        List<ResourceView> cluster = Fixtures.change(Fixtures.safeCluster(), "prod-node-0-1", r -> Fixtures.with(r, "userData",
                Fixtures.userData("node-0-1", Long.toString(millis), "11000mb", "yes")));
        return PolicyPack.standard().forStack("dev").evaluate(cluster).stream()
                .filter(v -> v.policy().equals("redis-node-timeout-range")).toList();
    }

    @Test
    void theNodeTimeoutRuleAllowsExactlyTheChecklistRange() {
        InputLimits.Limit limit = InputLimits.NODE_TIMEOUT_MS;
        assertEquals(List.of(), nodeTimeout(limit.checklistMin()));
        assertEquals(List.of(), nodeTimeout(limit.checklistMax()));
        for (long outside : new long[] {limit.checklistMin() - 1, limit.checklistMax() + 1}) {
            List<Violation> violations = nodeTimeout(outside);
            assertEquals(1, violations.size(), violations::toString);
            assertTrue(violations.get(0).message().contains("allowed " + limit.checklistRange() + " ms"), violations.get(0).message());
        }
    }
}
