package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.components.ClusterSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        assertEquals(List.of("redis-ha:typo"), ClusterStack.unknownKeys(java.util.Map.of("redis-ha:masters", "3", "redis-ha:typo", "1")));
    }

    @Test
    void theConfigTableListsEveryKey() throws IOException {
        Set<String> documented = firstCells("| key | meaning | type | default |");
        Set<String> keys = new TreeSet<>(ClusterStack.KEYS);
        keys.add("aws:region");
        assertEquals(keys, documented, "docs/aws.md's config table and the config keys (ClusterStack.KEYS) differ");
    }

    @Test
    void theOutputsTableListsEveryExport() throws IOException {
        Set<String> exports = Stream.concat(ClusterSchema.OUTPUTS.stream().map(ClusterSchema.OutputSpec::stackExport), Stream.of("imageId"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(exports, firstCells("| output | meaning |"), "docs/aws.md's outputs table and the stack's exports differ");
    }

    /** The names in the first column of the table under {@code header}: {@code `a` / `b`} gives a and b. */
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
