package io.redisha.mock;

import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a config change does to the declared resources, computed from two mocked runs: which
 * resources are added, removed, or keep their URN but change inputs. A scaling change (more masters,
 * more replicas per master) should only add nodes; the placement parameter and the converge
 * association change by design (the placement grows, and the association re-runs converge).
 * It also carries the plan difference ({@link PlanDiff}: nodes added and removed, slot moves, zone
 * safety) and the second run's scaling summary (which nodes retire in phase 1 or go in phase 2).
 *
 * @param planDiff    the plan difference between the two runs' plan outputs
 * @param scalingPlan the second run's scaling summary output (PlanDiff text plus scale-in phase)
 */
public record MockedDiff(List<DeclaredResource> added, List<DeclaredResource> removed, List<Change> changed,
                         PlanDiff planDiff, String scalingPlan) {
    /** Name suffixes of resources whose inputs are expected to change when the cluster grows. */
    public static final Set<String> EXPECTED_TO_CHANGE = Set.of("-placement", "-converge-association");

    /** One resource present in both runs whose inputs differ. */
    public record Change(String type, String name, String urn, List<String> changedInputs, boolean expected) {
    }

    /**
     * The stack outputs the comparison reads; the program that exported them names them.
     *
     * @param plan        the plan as JSON
     * @param retiring    the retiring nodes, a list of {@code {name, ...}}
     * @param scalingPlan the scaling summary text
     */
    public record Outputs(String plan, String retiring, String scalingPlan) {
    }

    /** Changes other than the expected ones (placement, converge association). */
    public List<Change> unexpectedChanges() {
        return changed.stream().filter(c -> !c.expected()).toList();
    }

    /** True when the change only adds resources (besides the expected changes). */
    public boolean onlyAdds() {
        return removed.isEmpty() && unexpectedChanges().isEmpty();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(scalingPlan.endsWith("\n") ? scalingPlan : scalingPlan + "\n").append('\n');
        added.forEach(r -> out.append("  + ").append(r.type()).append("  ").append(r.name()).append('\n'));
        changed.forEach(c -> out.append("  ~ ").append(c.type()).append("  ").append(c.name()).append("  ")
                .append(c.changedInputs()).append(c.expected() ? "  (expected: the placement changes, converge re-runs; a retiring node loses termination protection)" : "  (UNEXPECTED)")
                .append('\n'));
        removed.forEach(r -> out.append("  - ").append(r.type()).append("  ").append(r.name()).append('\n'));
        out.append(added.size()).append(" to add, ").append(changed.size()).append(" to change (")
                .append(unexpectedChanges().size()).append(" unexpected), ").append(removed.size()).append(" to remove\n");
        return out.toString();
    }

    /** Compares the custom resources of two runs by URN, reading the plans and the retiring nodes from {@code outputs}. */
    public static MockedDiff between(MockedDeployment.Result before, MockedDeployment.Result after, Outputs outputs) {
        Map<String, DeclaredResource> old = byUrn(before);
        Map<String, DeclaredResource> now = byUrn(after);
        Set<String> retiring = new TreeSet<>();
        if (after.outputs().get(outputs.retiring()) instanceof List<?> nodes) {
            nodes.forEach(n -> retiring.add(String.valueOf(((Map<?, ?>) n).get("name"))));
        }
        List<DeclaredResource> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        for (DeclaredResource r : now.values()) {
            DeclaredResource was = old.get(r.urn());
            if (was == null) {
                added.add(r);
                continue;
            }
            Set<String> keys = new TreeSet<>(was.inputs().keySet());
            keys.addAll(r.inputs().keySet());
            List<String> diff = keys.stream().filter(k -> !Objects.equals(was.inputs().get(k), r.inputs().get(k))).toList();
            if (!diff.isEmpty() || !was.secretInputs().equals(r.secretInputs())) {
                boolean expected = EXPECTED_TO_CHANGE.stream().anyMatch(s -> r.name().endsWith(s))
                        && (r.type().equals("aws:ssm/parameter:Parameter") || r.type().equals("aws:ssm/association:Association"))
                        // phase 1 of a scale-in lifts termination protection of the retiring nodes, nothing else
                        || r.type().equals("aws:ec2/instance:Instance") && diff.equals(List.of("disableApiTermination"))
                        && retiring.contains(r.string("tags.redis-ha:node"));
                changed.add(new Change(r.type(), r.name(), r.urn(), diff, expected));
            }
        }
        List<DeclaredResource> removed = old.values().stream().filter(r -> !now.containsKey(r.urn())).toList();
        PlanDiff planDiff = PlanDiff.between(Plan.fromJson(String.valueOf(before.outputs().get(outputs.plan()))),
                Plan.fromJson(String.valueOf(after.outputs().get(outputs.plan()))));
        Object scaling = after.outputs().get(outputs.scalingPlan());
        return new MockedDiff(added, removed, changed, planDiff, scaling == null ? planDiff.toText() : String.valueOf(scaling));
    }

    private static Map<String, DeclaredResource> byUrn(MockedDeployment.Result result) {
        if (!result.succeeded()) {
            throw new IllegalArgumentException("the config is refused: " + result.failure().get());
        }
        Map<String, DeclaredResource> map = new LinkedHashMap<>();
        result.customResources().forEach(r -> map.put(r.urn(), r));
        return map;
    }
}
