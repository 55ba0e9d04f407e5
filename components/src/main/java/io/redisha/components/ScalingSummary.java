package io.redisha.components;

import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code scalingPlan} and {@code scalingMoves} outputs: {@link PlanDiff} between the last
 * layout change (the same text {@code redis-ha plan diff} prints), plus the state of a two-phase
 * scale-in. {@code pulumi preview} shows both, so a scaling change is read before it runs.
 *
 * <p>The summary describes the <em>last layout change</em>: against the last deployment's plan when
 * this deployment changes the layout, else against the base the last deployment's summary had
 * ({@link #base}, passed back as {@code previousScalingBase}). So a deployment that changes nothing
 * repeats the last summary byte for byte, and a second {@code pulumi up} reports no changes.
 *
 * @param base the plan the summary compares against; empty for a new cluster
 * @param diff empty for a new cluster
 */
public record ScalingSummary(Optional<Plan> base, Optional<PlanDiff> diff, Plan plan, ScaleIn scaleIn) {
    /** First line of {@link #text()} when there is no previous deployment. */
    public static final String NEW_CLUSTER = "new cluster";

    /**
     * @param previous     the last deployment's plan, if any
     * @param previousBase the base of the last deployment's summary (empty when it described a new cluster)
     */
    public static ScalingSummary of(Optional<Plan> previous, Optional<Plan> previousBase, Plan now, ScaleIn scaleIn) {
        Optional<Plan> base = previous.isEmpty() || sameLayout(previous.get(), now) ? previousBase.filter(b -> previous.isPresent()) : previous;
        return new ScalingSummary(base, base.map(p -> PlanDiff.between(p, now)), now, scaleIn);
    }

    /** The same nodes in the same zones with the same roles and slots (plans are deterministic JSON). */
    static boolean sameLayout(Plan a, Plan b) {
        return a.toJson().equals(b.toJson());
    }

    /** {@link #base} as Plan JSON, empty for a new cluster: the {@code scalingBase} output. */
    public String baseJson() {
        return base.map(Plan::toJson).orElse("");
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        if (diff.isEmpty()) {
            out.append(NEW_CLUSTER).append(": ").append(plan.summary()).append('\n');
        } else {
            out.append(diff.get().toText());
        }
        List<String> retiring = scaleIn.retiring().stream().map(n -> n.name()).toList();
        if (!retiring.isEmpty()) {
            out.append("Retiring (phase 1 of 2): ").append(String.join(", ", retiring)).append('\n')
                    .append("  converge drains their slots, forgets and resets them; their instances stay until you confirm.\n")
                    .append("  Next: `redis-ha check` shows them out of the cluster, then\n")
                    .append("  `pulumi config set redis-ha:retiredNodesDrained true` and `pulumi up` deletes them.\n");
        }
        if (!scaleIn.removing().isEmpty()) {
            out.append("Removing drained nodes (phase 2 of 2): ").append(String.join(", ", scaleIn.removing())).append('\n')
                    .append("  their instances are deleted; afterwards `pulumi config rm redis-ha:retiredNodesDrained`.\n");
        }
        return out.toString();
    }

    /** added, removed, retiring, removing, slotsMoved, moves [{from, to, slots, ranges}]. */
    public Map<String, Object> structured() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("newCluster", diff.isEmpty());
        m.put("added", diff.map(PlanDiff::added).orElse(plan.nodes().stream().map(n -> n.name()).toList()));
        m.put("removed", diff.map(PlanDiff::removed).orElse(List.of()));
        m.put("retiring", scaleIn.retiring().stream().map(n -> n.name()).toList());
        m.put("removing", scaleIn.removing());
        m.put("slotsMoved", diff.map(PlanDiff::slotsMoved).orElse(0));
        List<Map<String, Object>> moves = new ArrayList<>();
        for (SlotMove move : diff.map(PlanDiff::moves).orElse(List.of())) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("from", move.from());
            one.put("to", move.to());
            one.put("slots", move.slotCount());
            one.put("ranges", String.join(",", move.slots().stream().map(SlotRange::toString).toList()));
            moves.add(one);
        }
        m.put("moves", moves);
        return m;
    }
}
