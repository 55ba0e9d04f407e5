package io.redisha.components;

import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.RollOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rolling node replacement by generation-named instances, decided from the last deployment's
 * {@code nodeGenerations} output and the configured {@code nodeGeneration}. A new image, instance
 * type, data volume or user data never changes an existing instance (the engine keeps the deployed
 * {@link InputChanges#PINNED_INSTANCE_PROPERTIES} of declared nodes); it reaches the cluster through
 * a new generation, in two phases like scale-in:
 * <ol>
 *   <li>Phase 1: the last deployment ran generation g, the config asks g+1. Both are declared: the
 *       g nodes unchanged (termination protection lifted so phase 2 can delete them), the g+1 nodes
 *       new and empty. The placement lists each g node as replaced by its g+1 twin; converge rolls
 *       (replicas first, a graceful CLUSTER FAILOVER per master) and {@code pulumi up} waits for it.</li>
 *   <li>Phase 2: with {@code retiredGenerationDrained=true} the g nodes are no longer declared, so
 *       Pulumi deletes their instances, which the roll already took out of the cluster.</li>
 * </ol>
 * A roll is abandoned by setting {@code nodeGeneration} back to g while g+1 is declared: the same two
 * phases the other way (converge hands every node back to its g twin, and only forgets a g+1 node that
 * never joined; then phase 2 deletes generation g+1). Phase 2 deletes only what converge recorded out of
 * the cluster ({@link ConvergeRuns}). Pulumi's state matches AWS after each phase. Pure: no Pulumi, no I/O.
 *
 * @param current  the generation the plan's nodes run in after this deployment
 * @param retiring the older generation still declared while the roll runs (phase 1)
 * @param removing the generation whose instances this deployment deletes (phase 2)
 */
public record NodeGenerations(int current, Optional<Integer> retiring, Optional<Integer> removing) {
    /** Instance tag: the node's generation. */
    public static final String GENERATION_TAG = "redis-ha:generation";
    /** Instance tag on the previous generation's nodes while a roll replaces them. */
    public static final String REPLACED_TAG = "redis-ha:replaced";
    public static final NodeGenerations FIRST = new NodeGenerations(0, Optional.empty(), Optional.empty());

    /**
     * @param previous  the generations the last deployment declared (its {@code nodeGenerations} output:
     *                  the generation it retired first, the one it ran last); empty for a new stack
     * @param requested the configured {@code nodeGeneration}
     * @param drained   the user confirms the roll finished (phase 2)
     * @param problems  receives what is refused, each naming the input and the fix
     */
    static NodeGenerations decide(List<Integer> previous, int requested, boolean drained, List<String> problems) {
        if (requested < 0) {
            problems.add("nodeGeneration=" + requested + " is not valid: 0 or more");
            return FIRST;
        }
        if (previous.isEmpty()) {
            if (requested != 0 || drained) {
                problems.add("nodeGeneration=" + requested + (drained ? " with retiredGenerationDrained=true" : "")
                        + " on a stack without a previous nodeGenerations output: a new cluster starts at generation 0;"
                        + " for a running cluster, deploy once at its current generation so the output exists");
            }
            return new NodeGenerations(requested, Optional.empty(), Optional.empty());
        }
        if (previous.size() > 2 || (previous.size() == 2 && Math.abs(previous.get(0) - previous.get(1)) != 1)) {
            problems.add("the last deployment's nodeGenerations " + previous + " are not one generation or two consecutive ones;"
                    + " pass the output of the last deployment unchanged");
            return FIRST;
        }
        int running = previous.get(previous.size() - 1);
        if (previous.size() == 1) {
            if (requested == running) {
                if (drained) {
                    problems.add("retiredGenerationDrained=true, but no generation is being retired; unset it");
                }
                return new NodeGenerations(running, Optional.empty(), Optional.empty());
            }
            if (requested == running + 1) {
                if (drained) {
                    problems.add("retiredGenerationDrained=true, but generation " + running + " is only now being replaced by "
                            + requested + ": run `pulumi up` without it (converge rolls every node), check with `redis-ha check`,"
                            + " then set retiredGenerationDrained=true and run `pulumi up` again");
                }
                return new NodeGenerations(requested, Optional.of(running), Optional.empty());
            }
            problems.add("nodeGeneration=" + requested + " is not valid: the cluster runs generation " + running
                    + "; roll one generation at a time, to " + (running + 1));
            return new NodeGenerations(running, Optional.empty(), Optional.empty());
        }
        int retired = previous.get(0);
        if (requested == running) {
            // Phase 1 again until the user confirms the roll is done; then phase 2 (guarded by converge's record).
            return drained ? new NodeGenerations(running, Optional.empty(), Optional.of(retired))
                    : new NodeGenerations(running, Optional.of(retired), Optional.empty());
        }
        if (requested == retired) {
            // Turning back: converge hands every node back to generation `retired` (a node of `running`
            // that never joined is only forgotten); phase 2 then deletes generation `running`.
            if (drained) {
                problems.add("retiredGenerationDrained=true, but the roll " + (running > retired ? "to generation " + running
                        + " is only now being abandoned" : "back to generation " + running + " is only now being reversed")
                        + ": run `pulumi up` at nodeGeneration=" + requested + " without it (converge hands every node back to"
                        + " generation " + requested + "), then set retiredGenerationDrained=true and run `pulumi up` again");
            }
            return new NodeGenerations(requested, Optional.of(running), Optional.empty());
        }
        problems.add("nodeGeneration=" + requested + " is not valid: the cluster is rolling from generation " + retired + " to "
                + running + "; finish that roll (retiredGenerationDrained=true at nodeGeneration=" + running + ") or abandon it"
                + " (nodeGeneration=" + retired + ")");
        return new NodeGenerations(running, Optional.empty(), Optional.empty());
    }

    /** {@code node-<shard>-<member>} in generation 0 (the names stacks had before generations), {@code -g<N>} after. */
    public static String nodeName(PlannedNode node, int generation) {
        return generation == 0 ? node.name() : node.name() + "-g" + generation;
    }

    /**
     * The generations this deployment declares, the one it retires first and the one it runs last: its
     * {@code nodeGenerations} output, whose order tells the next deployment which way a roll runs.
     */
    public List<Integer> declared() {
        List<Integer> out = new ArrayList<>();
        retiring.ifPresent(out::add);
        out.add(current);
        return out;
    }

    /** The roll phase 1 runs, over the planned roles (live roles may differ after failovers; the engine orders by those). */
    public List<RollOrder.Step> rollPlan(Plan plan) {
        if (retiring.isEmpty()) {
            return List.of();
        }
        List<RollOrder.Replacement> replacements = new ArrayList<>();
        for (PlannedNode node : plan.nodes()) {
            replacements.add(new RollOrder.Replacement(nodeName(node, retiring.get()), nodeName(node, current),
                    String.valueOf(node.shard()), node.role(), node.zone()));
        }
        return RollOrder.order(replacements);
    }

    /** The {@code rollPlan} output: one line per step, or what happens instead; {@code pending} lines after it. */
    public String rollPlanText(Plan plan, List<String> pending) {
        String text = rollPlanText(plan);
        return pending.isEmpty() ? text : text + "\nHeld back for the next generation:\n  " + String.join("\n  ", pending);
    }

    /** The {@code rollPlan} output: one line per step, or what happens instead. */
    public String rollPlanText(Plan plan) {
        if (removing.isPresent()) {
            return "Roll finished: the instances of generation " + removing.get() + " are deleted in this deployment"
                    + " (converge recorded each of them out of the cluster).";
        }
        List<RollOrder.Step> steps = rollPlan(plan);
        if (steps.isEmpty()) {
            return "No roll: every node runs generation " + current + ". To replace the nodes (new image, instance type, data"
                    + " volume or user data) set nodeGeneration=" + (current + 1) + ".";
        }
        StringBuilder out = new StringBuilder((current < retiring.get() ? "Abandoning the roll to generation " + retiring.get()
                + ": back " : "Roll ") + "from generation " + retiring.get() + " to " + current + ": " + steps.size()
                + " nodes, one at a time; no instance is replaced or restarted in place. Converge runs:\n");
        steps.forEach(s -> out.append("  ").append(s.describe()).append('\n'));
        out.append("Then check with `redis-ha check`, set retiredGenerationDrained=true and `pulumi up` again to delete generation ")
                .append(retiring.get()).append(" (refused until converge has recorded every node of it out of the cluster).");
        return out.toString();
    }
}
