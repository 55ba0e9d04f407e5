package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.topology.InputLimits;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The component accepts exactly the valid column of {@link InputLimits}: both ends in, one step outside refused. */
class InputLimitsComponentTest {
    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw"));
    }

    private static void acceptsExactlyTheValidRange(InputLimits.Limit limit,
                                                    BiFunction<RedisClusterArgs.Builder, Integer, RedisClusterArgs.Builder> set) {
        for (int ok : new int[] {limit.validMin(), limit.validMax()}) {
            set.apply(valid(), ok).build().validate("limits");
        }
        for (int bad : new int[] {limit.validMin() - 1, limit.validMax() + 1}) {
            String message = assertThrows(InvalidClusterArgsException.class,
                    () -> set.apply(valid(), bad).build().validate("limits")).getMessage();
            assertTrue(message.contains(limit.input() + "=" + bad + " is not valid: " + limit.validRange()), message);
        }
    }

    @Test
    void nodeTimeout() {
        acceptsExactlyTheValidRange(InputLimits.NODE_TIMEOUT_MS, RedisClusterArgs.Builder::nodeTimeoutMs);
    }

    @Test
    void maxmemoryPercent() {
        acceptsExactlyTheValidRange(InputLimits.MAXMEMORY_PERCENT, RedisClusterArgs.Builder::maxmemoryPercent);
    }

    @Test
    void minReplicasMaxLag() {
        acceptsExactlyTheValidRange(InputLimits.MIN_REPLICAS_MAX_LAG_SECONDS, RedisClusterArgs.Builder::minReplicasMaxLagSeconds);
    }

    @Test
    void convergeTimeout() {
        acceptsExactlyTheValidRange(InputLimits.CONVERGE_TIMEOUT_SECONDS, RedisClusterArgs.Builder::convergeTimeoutSeconds);
    }

    @Test
    void backupRetention() {
        acceptsExactlyTheValidRange(InputLimits.BACKUP_RETENTION_DAYS,
                (b, days) -> b.backups(BackupArgs.builder().schedule("rate(1 day)").retentionDays(days).build()));
    }

    /** Below the checklist's minimum the component still plans, but only with the risk accepted. */
    @Test
    void replicasAndZonesBelowTheChecklistNeedTheRiskAccepted() {
        int replicas = InputLimits.REPLICAS_PER_MASTER.validMin();
        assertThrows(InvalidClusterArgsException.class, () -> valid().replicasPerMaster(replicas).build().validate("limits"));
        assertEquals(replicas, valid().replicasPerMaster(replicas).acceptZoneLossRisk(true).build().validate("limits")
                .plan().replicasPerMaster());
        assertThrows(InvalidClusterArgsException.class,
                () -> valid().replicasPerMaster(0).zones("us-east-1a").build().validate("limits"));
        assertEquals(InputLimits.ZONES.validMin(), valid().replicasPerMaster(0).zones("us-east-1a").acceptZoneLossRisk(true)
                .build().validate("limits").plan().zones().size());
        String masters = assertThrows(InvalidClusterArgsException.class,
                () -> valid().masters(InputLimits.MASTERS.validMin() - 1).build().validate("limits")).getMessage();
        assertTrue(masters.contains("masters=" + (InputLimits.MASTERS.validMin() - 1)), masters);
    }
}
