package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.pulumi.Config;
import com.pulumi.deployment.internal.DeploymentImpl;
import io.redisha.components.ClusterSchema;
import io.redisha.components.RedisClusterArgs;
import java.lang.reflect.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stack's config keys and exports are derived from the inputs' and outputs' one declaration
 * ({@link ClusterSchema}); the tables users read in docs/aws.md list exactly those.
 */
class ConfigKeysTest {
    private static final Path AWS_DOCS = Path.of("..", "docs", "aws.md");

    @Test
    void everyConfigKeyButTheClusterNameIsAnInput() {
        Set<String> inputs = ClusterSchema.INPUTS.stream().map(ClusterSchema.InputSpec::name).collect(Collectors.toSet());
        assertEquals(List.of("clusterName"), ClusterStack.KEYS.stream().filter(k -> !inputs.contains(k)).toList());
        assertEquals(ClusterStack.KEYS.size(), Set.copyOf(ClusterStack.KEYS).size(), "a key read twice: " + ClusterStack.KEYS);
        assertEquals(ClusterSchema.INPUTS.stream().filter(i -> i.stackConfig() && i.secret()).map(i -> "redis-ha:" + i.name())
                .collect(Collectors.toSet()), io.redisha.mock.MockedDeployment.DEFAULT_SECRET_KEYS, "the mocks' secret keys are the secret inputs");
        assertEquals(List.of("redis-ha:typo"), ClusterStack.unknownKeys(Map.of("redis-ha:masters", "3", "redis-ha:typo", "1")));
    }

    /** Each config key the stack reads by its input's type reaches the Java API: set, it changes the args. */
    @Test
    void everyConfigKeyReachesTheJavaApi() throws Exception {
        RedisClusterArgs absent = ClusterStack.builder(config(Map.of())).build();
        for (ClusterSchema.InputSpec input : ClusterSchema.INPUTS) {
            if (!input.stackConfig() || ClusterStack.READ_APART.contains(input.name())) {
                continue;
            }
            String value = switch (input.javaType().getTypeName()) {
                case "int", "java.util.Optional<java.lang.Integer>" -> "7";
                case "boolean" -> String.valueOf(!(Boolean) input.defaultValue().orElseThrow());
                case "java.util.List<java.lang.String>", "java.util.List<com.pulumi.core.Output<java.lang.String>>" -> "[\"given\"]";
                default -> "given";
            };
            RedisClusterArgs given = ClusterStack.builder(config(Map.of("redis-ha:" + input.name(), value))).build();
            Field field = RedisClusterArgs.class.getDeclaredField(input.name());
            field.setAccessible(true);
            assertNotEquals(field.get(absent), field.get(given), "redis-ha:" + input.name() + "=" + value + " did not reach RedisClusterArgs");
        }
    }

    @Test
    void theConfigTableListsEveryKey() throws IOException {
        Set<String> documented = firstCells("| key | meaning | type | default |");
        Set<String> keys = new TreeSet<>(ClusterStack.KEYS);
        keys.add("aws:region");
        assertEquals(keys, documented, "docs/aws.md's config table and the config keys (ClusterStack.KEYS) differ");
    }

    /** The default column shows each declared default (the builder's initial value). */
    @Test
    void theConfigTableShowsEveryDefault() throws IOException {
        List<String> lines = Files.readAllLines(AWS_DOCS);
        for (ClusterSchema.InputSpec input : ClusterSchema.INPUTS) {
            if (!input.stackConfig() || input.defaultValue().isEmpty()) {
                continue;
            }
            String row = lines.stream().filter(l -> l.startsWith("| `" + input.name() + "`") || l.contains(" / `" + input.name() + "`"))
                    .findFirst().orElseThrow();
            String[] cells = row.split("\\|");
            String defaults = cells[cells.length - 1];
            assertTrue(defaults.contains(String.valueOf(input.defaultValue().get())),
                    "docs/aws.md shows " + defaults.trim() + " as the default of " + input.name() + ", the code " + input.defaultValue().get());
        }
    }

    @Test
    void theOutputsTableListsEveryExport() throws IOException {
        Set<String> exports = Stream.concat(ClusterSchema.OUTPUTS.stream().map(ClusterSchema.OutputSpec::stackExport), Stream.of("imageId"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(exports, firstCells("| output | meaning |"), "docs/aws.md's outputs table and the stack's exports differ");
    }

    /** The names in the first column of the table under {@code header}: {@code `a` / `b`} gives a and b. */
    private static Config config(Map<String, String> values) {
        return new Config(new DeploymentImpl.Config(ImmutableMap.copyOf(values), ImmutableSet.of()), "redis-ha");
    }

    private static Set<String> firstCells(String header) throws IOException {
        List<String> lines = Files.readAllLines(AWS_DOCS);
        int at = lines.indexOf(header);
        assertTrue(at >= 0, "docs/aws.md has no table " + header);
        List<String> names = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String cell = lines.get(i).split("\\|")[1].trim();
            for (String name : cell.split("\\s*/\\s*")) {
                names.add(name.replace("`", "").trim());
            }
        }
        return new TreeSet<>(names);
    }
}
