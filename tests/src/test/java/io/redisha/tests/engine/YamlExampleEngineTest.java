package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/yaml, as a user runs it: preview, up, and a second up that changes nothing, under the real
 * engine with the component provider and the AWS double.
 */
class YamlExampleEngineTest {
    static final Path EXAMPLE = Path.of("..", "examples", "yaml", "Pulumi.yaml");

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineYamlExamplePreviewUpAndUnchangedUp() throws Exception {
        try (EngineProject project = EngineProject.create("dev", Files.readString(EXAMPLE))) {
            project.ok("config", "set", "--secret", "redisPassword", ClusterProgram.PASSWORD);
            Preview preview = project.preview();
            assertEquals(Set.of("create"), preview.operations().keySet(), preview.changes());
            assertEquals(6, preview.resources("create").stream().filter(r -> r.startsWith(DevClusterEngineTest.INSTANCE)).count(),
                    "3 masters x 1 replica:\n" + preview.changes());
            project.up();
            JsonNode outputs = project.outputs();
            assertEquals(3, outputs.path("seedEndpoints").size(), outputs.toString());
            assertTrue(outputs.path("survivesZoneLoss").asBoolean(), outputs.toString());
            project.takeCalls();
            project.ok("up", "--yes", "--expect-no-changes");
            assertEquals(List.of(), DevClusterEngineTest.changingCalls(project.takeCalls()));
        }
    }
}
