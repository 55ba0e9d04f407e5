package io.redisha.stacks.mock;

import io.redisha.stacks.ClusterStack;
import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import java.nio.file.Path;
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
 * It also prints the plan difference ({@link PlanDiff}: nodes added and removed, slot moves, zone
 * safety) and, when the second run is a scale-in, which nodes retire (phase 1) or go (phase 2).
 * The second run reads the first one's outputs as its last deployment, as {@code pulumi up} would.
 *
 * <p>CLI: {@code java -cp stacks/target/redis-ha-stacks.jar io.redisha.stacks.mock.ScalingPreview
 * stacks/Pulumi.prod.yaml my-bigger-prod.yaml} prints the difference; exit code 0 when only
 * additions and the expected changes happen, 3 when an existing resource would change or go.
 */
public final class ScalingPreview {
    /** Name suffixes of resources whose inputs are expected to change when the cluster grows. */
    public static final Set<String> EXPECTED_TO_CHANGE = Set.of("-placement", "-converge-association");

    private ScalingPreview() {
    }

    /** One resource present in both runs whose inputs differ. */
    public record Change(String type, String name, String urn, List<String> changedInputs, boolean expected) {
    }

    /**
     * @param planDiff    the plan difference between the two runs' {@code plan} outputs
     * @param scalingPlan the second run's {@code scalingPlan} output (PlanDiff text plus scale-in phase)
     */
    public record Diff(List<DeclaredResource> added, List<DeclaredResource> removed, List<Change> changed,
                       PlanDiff planDiff, String scalingPlan) {
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
    }

    /** Compares the custom resources of two runs by URN. */
    public static Diff compare(MockedDeployment.Result before, MockedDeployment.Result after) {
        Map<String, DeclaredResource> old = byUrn(before);
        Map<String, DeclaredResource> now = byUrn(after);
        Set<String> retiring = new TreeSet<>();
        if (after.outputs().get(ClusterStack.RETIRING_OUTPUT) instanceof List<?> nodes) {
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
        PlanDiff planDiff = PlanDiff.between(Plan.fromJson(String.valueOf(before.outputs().get(ClusterStack.PLAN_OUTPUT))),
                Plan.fromJson(String.valueOf(after.outputs().get(ClusterStack.PLAN_OUTPUT))));
        Object scaling = after.outputs().get("scalingPlan");
        return new Diff(added, removed, changed, planDiff, scaling == null ? planDiff.toText() : String.valueOf(scaling));
    }

    private static Map<String, DeclaredResource> byUrn(MockedDeployment.Result result) {
        if (!result.succeeded()) {
            throw new IllegalArgumentException("the config is refused: " + result.failure().get());
        }
        Map<String, DeclaredResource> map = new LinkedHashMap<>();
        result.customResources().forEach(r -> map.put(r.urn(), r));
        return map;
    }

    /** Runs both configs as {@code stack} under mocks, the second as a change to the first, and compares them. */
    public static Diff preview(String stack, StackConfigFile before, StackConfigFile after) {
        MockedDeployment.Result first = MockedDeployment.run(stack, fill(before).config(), fill(before).secretKeys(), ClusterStack::define);
        if (!first.succeeded()) {
            throw new IllegalArgumentException("the config is refused: " + first.failure().get());
        }
        return compare(first, MockedDeployment.run(stack, fill(after).config(), fill(after).secretKeys(), ClusterStack::define,
                first.outputs()));
    }

    /** Required values a committed config leaves out (secrets) get mock stand-ins: nothing is deployed. */
    static StackConfigFile fill(StackConfigFile file) {
        Map<String, String> extra = new LinkedHashMap<>();
        Set<String> secrets = new TreeSet<>();
        if (!file.config().containsKey("redis-ha:authPassword")) {
            extra.put("redis-ha:authPassword", "mock-password-for-preview");
            secrets.add("redis-ha:authPassword");
        }
        if ("true".equals(file.config().get("redis-ha:tls"))) {
            extra.putIfAbsent("redis-ha:tlsCaCertificate", file.config().getOrDefault("redis-ha:tlsCaCertificate", "mock-ca"));
            extra.putIfAbsent("redis-ha:tlsCertificate", file.config().getOrDefault("redis-ha:tlsCertificate", "mock-cert"));
            if (!file.config().containsKey("redis-ha:tlsPrivateKey")) {
                extra.put("redis-ha:tlsPrivateKey", "mock-key");
                secrets.add("redis-ha:tlsPrivateKey");
            }
        }
        secrets.addAll(MockedDeployment.DEFAULT_SECRET_KEYS.stream().filter(k -> file.config().containsKey(k) || extra.containsKey(k)).toList());
        return file.with(extra, secrets);
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ScalingPreview BEFORE.yaml AFTER.yaml [STACK]\n"
                    + "  BEFORE/AFTER: Pulumi.<stack>.yaml files (a config: map); STACK names the cluster (default: dev)\n"
                    + "  Runs the cluster program for both under mocks (nothing is deployed), AFTER as a change to BEFORE, and prints\n"
                    + "  the plan difference (nodes, slot moves, zone safety) and what is added, changed, removed.");
            System.exit(2);
        }
        String stack = args.length == 3 ? args[2] : "dev";
        try {
            StackConfigFile before = StackConfigFile.load(Path.of(args[0]));
            StackConfigFile after = StackConfigFile.load(Path.of(args[1]));
            for (String unknown : ClusterStack.unknownKeys(after.config())) {
                System.err.println("warning: " + unknown + " is not a key the redis-ha program reads (typo?)");
            }
            Diff diff = preview(stack, before, after);
            System.out.println("Scaling preview (mocked, nothing deployed): " + args[0] + " -> " + args[1]);
            System.out.print(diff.render());
            System.exit(diff.onlyAdds() ? 0 : 3);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
