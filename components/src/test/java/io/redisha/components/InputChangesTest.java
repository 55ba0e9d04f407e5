package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class InputChangesTest {
    @Test
    void everyInputOfTheJavaApiHasOneRowWithAReason() {
        Set<String> fields = new TreeSet<>();
        for (Field f : RedisClusterArgs.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f.getName());
            }
        }
        assertEquals(fields, new TreeSet<>(InputChanges.table().keySet()));
        InputChanges.table().forEach((input, rule) -> assertFalse(rule.reason().isBlank(), input));
    }

    @Test
    void everythingThatReachesANodeOnlyAtBootIsCarriedByTheNextGeneration() {
        for (String input : Set.of("instanceType", "imageId", "dataVolumeSizeGib", "maxmemoryPercent", "maxmemoryMb",
                "maxmemoryPolicy", "nodeTimeoutMs")) {
            assertEquals(InputChanges.Kind.NEXT_GENERATION, InputChanges.of(input).kind(), input);
        }
        // every instance property pulumi-aws replaces the instance for, among those the component sets
        assertTrue(InputChanges.PINNED_INSTANCE_PROPERTIES.containsAll(Set.of("ami", "ebsBlockDevices", "subnetId", "availabilityZone")));
    }

    @Test
    void docsShowTheTableWordForWord() throws java.io.IOException {
        java.nio.file.Path page = java.nio.file.Path.of("..", "docs", "changes.md");
        java.util.List<String> rows = java.nio.file.Files.readAllLines(page).stream().filter(l -> l.matches("\\| `\\w+` \\| [A-Z_]+ \\| .*")).toList();
        java.util.List<String> expected = InputChanges.table().entrySet().stream()
                .map(e -> "| `" + e.getKey() + "` | " + e.getValue().kind() + " | " + e.getValue().reason() + " |").toList();
        assertEquals(expected, rows, "docs/changes.md shows InputChanges.TABLE, in its order");
    }

    @Test
    void aPendingChangeSaysWhatToDo() {
        assertEquals("instanceType t3.medium -> r6i.large is carried by the next node generation: set nodeGeneration=1 to roll"
                        + " it in; the running nodes keep t3.medium (nodes a scale-out adds in generation 0 start with r6i.large)",
                InputChanges.pending("instanceType", "t3.medium", "r6i.large", 0));
        assertThrows(IllegalArgumentException.class, () -> InputChanges.pending("tags", "a", "b", 0));
        assertThrows(IllegalArgumentException.class, () -> InputChanges.of("noSuchInput"));
    }
}
