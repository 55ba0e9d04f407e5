package io.redisha.stacks;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.exceptions.RunException;
import io.redisha.components.BackupArgs;
import io.redisha.components.ClusterSchema;
import io.redisha.components.ClusterSchema.InputSpec;
import io.redisha.components.InvalidClusterArgsException;
import io.redisha.components.RedisCluster;
import io.redisha.components.RedisClusterArgs;
import io.redisha.components.ScaleIn;
import io.redisha.image.RedisNodeImage;
import io.redisha.image.RedisNodeImageArgs;
import io.redisha.topology.PlannedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The cluster Pulumi program (entry point of the root {@code Pulumi.yaml}): reads the stack's
 * {@code redis-ha:*} config, declares one {@link RedisCluster} and exports its outputs.
 * {@link #define} is public so tests and the policy check can run it under mocks
 * ({@code io.redisha.mock.MockedDeployment}, in the test-support module).
 */
public final class ClusterStack {
    /**
     * Every config key the program reads, under the {@code redis-ha:} namespace: the cluster's name and each
     * input declared {@link io.redisha.components.ClusterInput#stackConfig() stackConfig}, by its name.
     */
    public static final List<String> KEYS = Stream.concat(Stream.of("clusterName"),
            ClusterSchema.INPUTS.stream().filter(InputSpec::stackConfig).map(InputSpec::name)).toList();

    /** Config keys {@link #declare} reads itself (the node image), and {@code backups}, an object read by {@link #backups}. */
    static final Set<String> READ_APART = Set.of("imageId", "imageProvidesTunings", "backups");
    /** Optional strings where a blank value means unset. */
    private static final Set<String> BLANK_IS_UNSET = Set.of("alarmTopicArn", "restoreFrom");

    /** Stack outputs the next deployment reads back from this stack ({@link LastDeployment}). */
    public static final String PLAN_OUTPUT = "plan";
    public static final String RETIRING_OUTPUT = "retiringNodes";
    public static final String SCALING_BASE_OUTPUT = "scalingBase";
    public static final String GENERATIONS_OUTPUT = "nodeGenerations";
    /** The scaling summary output (the plan difference and the scale-in phase), for people and previews. */
    public static final String SCALING_PLAN_OUTPUT = "scalingPlan";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ClusterStack() {
    }

    public static void main(String[] args) {
        Pulumi.run(ClusterStack::define);
    }

    /**
     * The program. A refused config ends it with its message only (one line per refused input, naming
     * the input, the value and what is valid) and a non-zero exit: the SDK reports a
     * {@link RunException} as its message, where any other exception gets a stack trace.
     */
    public static void define(Context ctx) {
        try {
            declare(ctx);
        } catch (InvalidClusterArgsException | InvalidStackConfigException refused) {
            throw new RunException(refused.getMessage());
        }
    }

    private static void declare(Context ctx) {
        Config config = ctx.config("redis-ha");
        String name = config.get("clusterName").orElse(ctx.stackName());
        RedisClusterArgs.Builder b = builder(config);

        // the node image: our own by default, or the user's AMI (redis-ha:imageId)
        Optional<String> imageId = config.get("imageId").map(String::trim).filter(id -> !id.isEmpty());
        List<String> problems = new ArrayList<>();
        Optional<Boolean> provides = bool(config, "imageProvidesTunings", problems);
        Optional<String> region = ctx.config("aws").get("region");
        if (imageId.isEmpty()) {
            if (provides.isPresent()) {
                problems.add("redis-ha:imageProvidesTunings is only for your own AMI (redis-ha:imageId); the redis-ha"
                        + " node image built by this stack always provides them");
            }
            if (region.isEmpty()) {
                problems.add("aws:region is not set: the node image is built in the stack's region; set aws:region,"
                        + " or redis-ha:imageId to bring your own AMI");
            }
        } else if (!imageId.get().matches("ami-[0-9a-f]{8,17}")) {
            problems.add("redis-ha:imageId=" + imageId.get() + " is not an AMI id: ami- followed by 8 or 17 hex digits;"
                    + " or unset it to build the redis-ha node image");
        }
        refuseIfAny(problems);
        b.imageProvidesTunings(imageId.isEmpty() || provides.orElse(false));

        // the last deployment of this very stack (read, not declared): its plan, the nodes it was retiring
        // and the base of its scaling summary
        LastDeployment last = LastDeployment.of(ctx.organizationName() + "/" + ctx.projectName() + "/" + ctx.stackName());
        b.previousPlan(last.output(PLAN_OUTPUT).map(String::valueOf).orElse(null));
        b.previousRetiringNodes(last.output(RETIRING_OUTPUT).map(ClusterStack::retiringNodes).orElse(List.of()));
        b.previousScalingBase(last.output(SCALING_BASE_OUTPUT).map(String::valueOf).orElse(null));
        b.previousNodeGenerations(last.output(GENERATIONS_OUTPUT).map(ClusterStack::generations).orElse(List.of()));

        // The image is built for the nodes' architecture: Graviton types (r7g, m7g, ...) get an arm64 image.
        // RedisCluster declares it (calls nodeImage) only after it has validated every input, the scale-in included.
        String architecture = io.redisha.topology.InstanceTypes.architecture(config.get("instanceType").orElse(RedisClusterArgs.DEFAULT_INSTANCE_TYPE));
        AtomicReference<Output<String>> ami = new AtomicReference<>(); // set when RedisCluster asks for the image
        b.nodeImage(() -> {
            ami.set(RedisNodeImage.amiOrBuild(imageId, () -> new RedisNodeImage(name + "-image",
                    RedisNodeImageArgs.builder().regions(region.orElseThrow()).architecture(architecture)
                            .engine(config.get("engine").orElse(RedisNodeImageArgs.DEFAULT_ENGINE))
                            .engineVersion(config.get("engineVersion").orElse(RedisNodeImageArgs.DEFAULT_ENGINE_VERSION)).build())));
            return ami.get();
        });

        RedisCluster cluster = new RedisCluster(name, b.build());
        Map<String, Output<?>> outputs = ClusterSchema.outputValues(cluster);
        ClusterSchema.OUTPUTS.forEach(o -> ctx.export(o.stackExport(), outputs.get(o.name())));
        ctx.export("imageId", ami.get());
    }

    private static List<PlannedNode> retiringNodes(Object output) {
        if (!(output instanceof List<?> list)) {
            throw new InvalidStackConfigException("the last deployment's " + RETIRING_OUTPUT + " output is not a list: " + output);
        }
        try {
            return list.stream().map(e -> ScaleIn.nodeOf((Map<?, ?>) e)).toList();
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new InvalidStackConfigException("the last deployment's " + RETIRING_OUTPUT + " output is not valid: " + e.getMessage());
        }
    }

    private static List<Integer> generations(Object output) {
        if (!(output instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof Number))) {
            throw new IllegalArgumentException("the last deployment's " + GENERATIONS_OUTPUT + " output is not a list of numbers: " + output);
        }
        return list.stream().map(e -> ((Number) e).intValue()).toList();
    }

    /**
     * Config -> component args builder: each config key read as its input's type says, given to the builder
     * method of its name. Malformed values are refused here, naming the config key.
     */
    static RedisClusterArgs.Builder builder(Config config) {
        List<String> problems = new ArrayList<>();
        RedisClusterArgs.Builder b = RedisClusterArgs.builder();
        for (InputSpec input : ClusterSchema.INPUTS) {
            if (input.stackConfig() && !READ_APART.contains(input.name())) {
                read(config, input, problems).ifPresent(value -> b.input(input.name(), value));
            }
        }
        backups(config, problems).ifPresent(b::backups);
        refuseIfAny(problems);
        return b;
    }

    /** The value of {@code redis-ha:<input>} as the Java API takes it; secrets are wrapped as secrets straight away. */
    private static Optional<?> read(Config config, InputSpec input, List<String> problems) {
        String key = input.name();
        String type = input.javaType().getTypeName();
        return switch (type) {
            case "int", "java.util.Optional<java.lang.Integer>" -> integer(config, key, problems);
            case "boolean" -> bool(config, key, problems);
            case "java.lang.String", "java.util.Optional<java.lang.String>" -> text(config, key);
            case "java.util.Optional<com.pulumi.core.Output<java.lang.String>>" ->
                    text(config, key).map(v -> input.secret() ? Output.ofSecret(v) : Output.of(v));
            case "java.util.List<java.lang.String>" -> list(config, key, problems);
            case "java.util.List<com.pulumi.core.Output<java.lang.String>>" ->
                    list(config, key, problems).map(values -> values.stream().map(Output::of).toList());
            default -> throw new IllegalStateException("redis-ha:" + key + " has a type the stack cannot read from config: " + type
                    + "; read it apart (READ_APART) or mark it stackConfig = false");
        };
    }

    private static Optional<String> text(Config config, String key) {
        Optional<String> raw = config.get(key);
        return BLANK_IS_UNSET.contains(key) ? raw.map(String::trim).filter(v -> !v.isEmpty()) : raw;
    }

    /** One problem: one line; several: one line each under a heading (as {@link io.redisha.components.InvalidClusterArgsException}). */
    private static void refuseIfAny(List<String> problems) {
        if (problems.size() == 1) {
            throw new InvalidStackConfigException("redis-ha stack config: " + problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new InvalidStackConfigException("redis-ha stack config: " + problems.size() + " values are not valid:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    private static Optional<Integer> integer(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(raw.get().trim()));
        } catch (NumberFormatException e) {
            problems.add("redis-ha:" + key + "=" + raw.get() + " is not valid: a whole number");
            return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get().trim().toLowerCase();
        if (!v.equals("true") && !v.equals("false")) {
            problems.add("redis-ha:" + key + "=" + raw.get() + " is not valid: true or false");
            return Optional.empty();
        }
        return Optional.of(Boolean.parseBoolean(v));
    }

    /** The fields of {@code redis-ha:backups} (a YAML object, arriving as JSON). */
    static final List<String> BACKUP_FIELDS = List.of("schedule", "retentionDays", "bucket", "kmsKeyArn");

    /**
     * {@code redis-ha:backups}, an object of {@link #BACKUP_FIELDS}: its shape is checked here (naming the key),
     * its values by the component with every other input.
     */
    static Optional<BackupArgs> backups(Config config, List<String> problems) {
        Optional<String> raw = config.get("backups").map(String::trim).filter(v -> !v.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        com.fasterxml.jackson.databind.JsonNode object;
        try {
            object = JSON.readTree(raw.get());
        } catch (java.io.IOException e) {
            object = null;
        }
        if (object == null || !object.isObject()) {
            problems.add("redis-ha:backups=" + raw.get() + " is not valid: an object with " + String.join(", ", BACKUP_FIELDS)
                    + " (e.g. schedule: rate(1 day), retentionDays: 7)");
            return Optional.empty();
        }
        int before = problems.size();
        BackupArgs.Builder b = BackupArgs.builder();
        for (var it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            com.fasterxml.jackson.databind.JsonNode v = e.getValue();
            if (!BACKUP_FIELDS.contains(key)) {
                problems.add("redis-ha:backups." + key + " is not valid: the fields are " + String.join(", ", BACKUP_FIELDS));
            } else if (key.equals("retentionDays")) {
                if (v.canConvertToInt() && v.isIntegralNumber() || v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) {
                    b.retentionDays(Integer.parseInt(v.asText().trim()));
                } else {
                    problems.add("redis-ha:backups.retentionDays=" + v.asText() + " is not valid: a whole number of days, 1..35");
                }
            } else if (!v.isTextual()) {
                problems.add("redis-ha:backups." + key + "=" + v + " is not valid: a string");
            } else if (key.equals("schedule")) {
                b.schedule(v.asText().trim());
            } else if (key.equals("bucket")) {
                b.bucket(v.asText().trim());
            } else {
                b.kmsKeyArn(v.asText().trim());
            }
        }
        return problems.size() > before ? Optional.empty() : Optional.of(b.build());
    }

    /** A YAML list in Pulumi.<stack>.yaml arrives as a JSON array; "a,b,c" is accepted too. */
    static Optional<List<String>> list(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get().trim();
        if (v.startsWith("[")) {
            try {
                List<String> out = new ArrayList<>();
                for (var element : JSON.readTree(v)) {
                    if (!element.isValueNode()) {
                        throw new IllegalArgumentException("nested value");
                    }
                    out.add(element.asText());
                }
                return Optional.of(out);
            } catch (RuntimeException | java.io.IOException e) {
                problems.add("redis-ha:" + key + "=" + v + " is not valid: a list of strings");
                return Optional.empty();
            }
        }
        return Optional.of(v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*")));
    }

    /** Keys under redis-ha: that this program does not read; typos would otherwise be ignored silently. */
    public static List<String> unknownKeys(Map<String, String> config) {
        return config.keySet().stream().filter(k -> k.startsWith("redis-ha:"))
                .filter(k -> !KEYS.contains(k.substring("redis-ha:".length()))).sorted().toList();
    }
}
