package io.redisha.policies.check;

import io.redisha.mock.MockedDeployment;
import io.redisha.mock.MockedDiff;
import io.redisha.mock.StackConfigFile;
import io.redisha.stacks.ClusterStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a config change does to the cluster program's declared resources ({@link MockedDiff} of two
 * mocked runs of {@link ClusterStack}, the second reading the first one's outputs as its last
 * deployment, as {@code pulumi up} would): the plan difference, which nodes retire (phase 1) or go
 * (phase 2), and what is added, changed or removed.
 *
 * <p>CLI: {@code java -cp policy-check/target/redis-ha-policy-check.jar io.redisha.policies.check.ScalingPreview
 * stacks/Pulumi.prod.yaml my-bigger-prod.yaml} prints the difference; exit code 0 when only
 * additions and the expected changes happen, 3 when an existing resource would change or go.
 */
public final class ScalingPreview {
    /** The outputs of {@link ClusterStack} the comparison reads. */
    public static final MockedDiff.Outputs OUTPUTS = new MockedDiff.Outputs(ClusterStack.PLAN_OUTPUT, ClusterStack.RETIRING_OUTPUT,
            ClusterStack.SCALING_PLAN_OUTPUT);

    private ScalingPreview() {
    }

    /** Compares two runs of the cluster program. */
    public static MockedDiff compare(MockedDeployment.Result before, MockedDeployment.Result after) {
        return MockedDiff.between(before, after, OUTPUTS);
    }

    /** Runs both configs as {@code stack} under mocks, the second as a change to the first, and compares them. */
    public static MockedDiff preview(String stack, StackConfigFile before, StackConfigFile after) {
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
            MockedDiff diff = preview(stack, before, after);
            System.out.println("Scaling preview (mocked, nothing deployed): " + args[0] + " -> " + args[1]);
            System.out.print(diff.render());
            System.exit(diff.onlyAdds() ? 0 : 3);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
