package io.redisha.tests.engine;

import static io.redisha.tests.engine.DevClusterEngineTest.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisha.components.InputChanges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change matrix under the real Pulumi engine (component provider, AWS provider double): a
 * cluster from a committed stack config is deployed once, then a change of each input of the
 * provider's schema is previewed, one at a time. Whatever the input, no node instance (nor a data
 * volume) is replaced or deleted: the preview either refuses the change (and names the input) or
 * plans no such step. The inputs come from the schema the engine loads ({@code pulumi package
 * get-schema}), so an input without a row in {@link InputChanges} or a change here fails the test.
 */
class ChangeMatrixEngineTest {
    static final String VOLUME = "aws:ebs/volume:Volume";
    static final String OTHER_AMI = "ami-0fedcba9876543210";

    /**
     * One changed value per input (with the inputs it needs to be valid beside it, e.g. the TLS
     * material of tls=true), against the dev or prod baseline; {@code null} removes an input.
     */
    static Map<String, Map<String, Object>> changes(String stack) {
        Map<String, Map<String, Object>> c = new LinkedHashMap<>();
        c.put("masters", Map.of("masters", 5));
        c.put("replicasPerMaster", Map.of("replicasPerMaster", stack.equals("prod") ? 1 : 2));
        c.put("zones", Map.of("zones", List.of("us-east-1b", "us-east-1a", "us-east-1c")));
        c.put("vpcId", Map.of("vpcId", "vpc-0abc0abc0abc0abc0", "zones", List.of("us-east-1a", "us-east-1b", "us-east-1c"),
                "subnetIds", List.of("subnet-0aaa0aaa0aaa0aaa0", "subnet-0bbb0bbb0bbb0bbb0", "subnet-0ccc0ccc0ccc0ccc0")));
        c.put("subnetIds", Map.of("subnetIds", List.of("subnet-0aaa0aaa0aaa0aaa0")));
        c.put("vpcCidr", Map.of("vpcCidr", "10.43.0.0/16"));
        c.put("s3PrefixListId", Map.of("s3PrefixListId", "pl-63a5400a"));
        c.put("instanceType", Map.of("instanceType", stack.equals("prod") ? "r6i.2xlarge" : "r6i.large"));
        c.put("imageId", Map.of("imageId", OTHER_AMI));
        c.put("imageProvidesTunings", Map.of("imageProvidesTunings", false));
        c.put("previousPlan", removed("previousPlan"));
        c.put("previousScalingBase", removed("previousScalingBase"));
        c.put("previousRetiringNodes", Map.of("previousRetiringNodes", List.of(Map.of("name", "node-0-1", "zone", "us-east-1b",
                "role", "replica", "shard", "0", "member", "1", "replicaOf", "node-0-0"))));
        c.put("retiredNodesDrained", Map.of("retiredNodesDrained", true));
        c.put("nodeGeneration", Map.of("nodeGeneration", 1));
        c.put("previousNodeGenerations", Map.of("previousNodeGenerations", List.of(1)));
        c.put("retiredGenerationDrained", Map.of("retiredGenerationDrained", true));
        c.put("dataVolumeSizeGib", Map.of("dataVolumeSizeGib", 200));
        c.put("nodeTimeoutMs", Map.of("nodeTimeoutMs", 7000));
        c.put("maxmemoryPercent", Map.of("maxmemoryPercent", 60));
        c.put("maxmemoryMb", Map.of("maxmemoryMb", 2048));
        c.put("maxmemoryPolicy", Map.of("maxmemoryPolicy", "volatile-lru"));
        c.put("minReplicasToWrite", Map.of("minReplicasToWrite", 1));
        c.put("minReplicasMaxLagSeconds", Map.of("minReplicasMaxLagSeconds", 20));
        c.put("engine", Map.of("engine", "valkey", "engineVersion", "8.1"));
        c.put("engineVersion", Map.of("engineVersion", "8.2"));
        c.put("authPassword", Map.of("authPassword", "another-auth-password-1b7e"));
        c.put("allowedClientCidrs", Map.of("allowedClientCidrs", List.of("10.7.0.0/16")));
        c.put("allowedClientSecurityGroupIds", Map.of("allowedClientSecurityGroupIds", List.of("sg-0123456789abcdef0")));
        c.put("tls", stack.equals("prod") ? Map.of("tls", false) : Map.of("tls", true, "tlsCaCertificate", "-----BEGIN CERTIFICATE-----ca-----END CERTIFICATE-----",
                "tlsCertificate", "-----BEGIN CERTIFICATE-----node-----END CERTIFICATE-----")); // the key: a config secret
        c.put("tlsCaCertificate", Map.of("tlsCaCertificate", "-----BEGIN CERTIFICATE-----other-ca-----END CERTIFICATE-----"));
        c.put("tlsCertificate", Map.of("tlsCertificate", "-----BEGIN CERTIFICATE-----other-node-----END CERTIFICATE-----"));
        c.put("tlsPrivateKey", Map.of("tlsPrivateKey", "-----BEGIN PRIVATE KEY-----other-----END PRIVATE KEY-----"));
        c.put("terminationProtection", Map.of("terminationProtection", !stack.equals("prod")));
        c.put("tags", Map.of("tags", Map.of("team", "cache")));
        c.put("acceptZoneLossRisk", Map.of("acceptZoneLossRisk", true));
        c.put("bootstrapBucket", Map.of("bootstrapBucket", "my-artifacts-bucket"));
        c.put("convergeTimeoutSeconds", Map.of("convergeTimeoutSeconds", 1200));
        c.put("alarmTopicArn", Map.of("alarmTopicArn", "arn:aws:sns:us-east-1:123456789012:redis-alarms"));
        // dev takes no backups: the change adds them; prod's daily 7-day backups become twice a day kept 14 days
        c.put("backups", Map.of("backups", stack.equals("prod") ? Map.of("schedule", "rate(12 hours)", "retentionDays", 14)
                : Map.of("schedule", "cron(30 2 * * ? *)", "retentionDays", 3)));
        c.put("restoreFrom", Map.of("restoreFrom", "s3://old-backups/" + stack + "/20261207T031725Z"));
        return c;
    }

    /** The next-generation inputs whose held-back change the component can see on a running node, and so names in the preview. */
    static final Set<String> NAMED_WHEN_HELD_BACK = Set.of("instanceType", "imageId", "dataVolumeSizeGib", "maxmemoryPercent",
            "maxmemoryMb", "maxmemoryPolicy", "nodeTimeoutMs", "minReplicasToWrite", "engine", "engineVersion");

    /** Refusals that name the input as the Java API calls it, or the input it is checked against. */
    static final Map<String, String> REFUSAL_NAMES = Map.of("tlsCaCertificate", "tlsMaterial", "tlsCertificate", "tlsMaterial",
            "tlsPrivateKey", "tlsMaterial", "previousNodeGenerations", "nodeGeneration=");

    private static Map<String, Object> removed(String input) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(input, null);
        return m;
    }

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    /**
     * The inputs whose change does something else on prod than on dev (a data volume above the 20 GiB
     * floor follows maxmemory, TLS on, two replicas, termination protection, backups already taken), previewed on prod too;
     * the rest behave the same on both and are previewed on dev only, to keep the CI time down.
     */
    static final Set<String> PROD_DIFFERS = Set.of("instanceType", "imageId", "dataVolumeSizeGib", "maxmemoryPercent",
            "maxmemoryMb", "replicasPerMaster", "nodeGeneration", "tls", "tlsCaCertificate", "tlsCertificate", "tlsPrivateKey",
            "terminationProtection", "backups");

    @Test
    void engineDevNoInputChangeReplacesOrDeletesARunningNode() throws IOException {
        matrix("dev", input -> true);
    }

    @Test
    void engineProdNoInputChangeReplacesOrDeletesARunningNode() throws IOException {
        matrix("prod", PROD_DIFFERS::contains);
    }

    private static void matrix(String stack, java.util.function.Predicate<String> previewed) throws IOException {
        ClusterProgram program = ClusterProgram.fromStackConfig(stack);
        try (EngineProject project = program.start()) {
            Set<String> schemaInputs = schemaInputs(project);
            Set<String> classified = new TreeSet<>(InputChanges.table().keySet());
            classified.remove("bootstrapJarPath"); // Java API only: the component provider carries the jar
            assertEquals(schemaInputs, classified, "every input of the schema has exactly one row in InputChanges");
            Map<String, Map<String, Object>> changes = changes(stack);
            assertEquals(schemaInputs, new TreeSet<>(changes.keySet()), "every input of the schema has a change in this matrix");

            project.up();
            JsonNode deployed = project.outputs();
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> change : changes.entrySet()) {
                String input = change.getKey();
                if (!previewed.test(input)) {
                    continue;
                }
                ClusterProgram changed = ClusterProgram.fromStackConfig(stack).withLastDeployment(deployed);
                change.getValue().forEach((key, value) -> {
                    if (value == null) {
                        changed.remove(key);
                    } else if (!key.equals("authPassword")) {
                        changed.set(key, value);
                    }
                });
                project.writeProgram(changed.yaml());
                if (changed.tls() && !program.tls()) {
                    changed.setSecrets(project); // the TLS private key is a secret of the stack's config
                }
                Object password = change.getValue().get("authPassword");
                if (password != null) {
                    project.ok("config", "set", "--secret", "authPassword", password.toString());
                }
                EngineProject.Run run = project.run("preview", "--json", "--diff");
                if (password != null) {
                    program.setSecrets(project);
                }
                failures.addAll(judge(stack, input, run));
            }
            assertEquals(List.of(), failures, String.join("\n", failures));
        }
    }

    /** What is wrong with the preview of a change of {@code input}; empty when it kept the invariant. */
    private static List<String> judge(String stack, String input, EngineProject.Run run) throws IOException {
        List<String> wrong = new ArrayList<>();
        InputChanges.Kind kind = InputChanges.of(input).kind();
        // the engine's JSON escapes '>' (as Go's encoder does)
        String text = (run.out() + run.err()).replace("\\u003e", ">");
        if (run.exit() != 0) {
            // refused: the error names the input (or the input it is checked against); nothing was planned
            if (!text.contains("RedisCluster '" + stack + "'") || !text.contains(REFUSAL_NAMES.getOrDefault(input, input))) {
                wrong.add(stack + " " + input + " (" + kind + "): the preview failed without naming the input:\n" + run.both());
            }
            return wrong;
        }
        Preview preview = new Preview(EngineProject.JSON.readTree(run.out()));
        for (String op : List.of("replace", "delete", "create-replacement", "delete-replaced")) {
            for (String resource : preview.resources(op)) {
                if (resource.startsWith(INSTANCE + " ") || resource.startsWith(VOLUME + " ")) {
                    wrong.add(stack + " " + input + " (" + kind + "): " + op + " " + resource);
                }
            }
        }
        if (kind == InputChanges.Kind.NEXT_GENERATION && NAMED_WHEN_HELD_BACK.contains(input)
                && !Pattern.compile(Pattern.quote(input) + " [^\"\\n]+ -> [^\"\\n]+ is carried by the next node generation").matcher(text).find()) {
            wrong.add(stack + " " + input + ": the preview does not say the change is carried by the next node generation");
        }
        return wrong;
    }

    /** The input names of redis-ha:index:RedisCluster in the schema the engine loads from the installed provider. */
    private static Set<String> schemaInputs(EngineProject project) throws IOException {
        JsonNode schema = EngineProject.JSON.readTree(project.ok("package", "get-schema", "redis-ha").out());
        Set<String> out = new TreeSet<>();
        schema.path("resources").path("redis-ha:index:RedisCluster").path("inputProperties").fieldNames().forEachRemaining(out::add);
        assertTrue(out.size() > 20, "inputs of the schema: " + out);
        return out;
    }
}
