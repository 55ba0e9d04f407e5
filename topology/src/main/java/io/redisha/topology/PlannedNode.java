package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One node of a plan. Its name {@code node-<shard>-<member>} is stable: member 0 is the shard's
 * planned master, members 1..R its replicas, so growing the plan only ever adds names.
 *
 * @param replicaOf the name of the master this node replicates; empty for masters
 * @param slots     the hash slots a fresh cluster gives this master; empty for replicas
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlannedNode(String name, int shard, int member, Role role, String zone,
                          String replicaOf, List<SlotRange> slots) {

    public PlannedNode {
        // JSON omits empty fields, so a parsed plan may hand us nulls for them.
        replicaOf = replicaOf == null ? "" : replicaOf;
        slots = slots == null ? List.of() : List.copyOf(slots);
    }

    public static String nameOf(int shard, int member) {
        return "node-" + shard + "-" + member;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isMaster() {
        return role == Role.MASTER;
    }

    public int slotCount() {
        return SlotRange.total(slots);
    }
}
