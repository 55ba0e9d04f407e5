package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A refused input under the real engine: non-zero exit, one readable error, nothing created. */
class RefusedConfigEngineTest {
    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineRefusedInputIsOneReadableErrorAndCreatesNothing() throws Exception {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev").set("masters", 4);
        try (EngineProject project = program.start()) {
            EngineProject.Run up = project.run("up", "--yes");
            assertNotEquals(0, up.exit(), up.both());
            String text = up.out() + up.err();
            String expected = "RedisCluster 'dev': masters=4 is not valid: losing zone az-1 takes 2 of 4 masters";
            // the diagnostics list each error once (the progress row above them repeats the newest one)
            List<String> errorLines = text.lines().map(String::strip).filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errorLines.size(), "one error in the diagnostics:\n" + text);
            assertTrue(errorLines.get(0).contains(expected), errorLines.get(0));
            for (String noise : List.of("\tat ", "Exception", "SEVERE", "java.lang.", "Caused by")) {
                assertFalse(text.contains(noise), "no stack trace (" + noise + "):\n" + text);
            }
            // nothing was created: no call reached the double, and the stack holds no AWS resource
            assertEquals(List.of(), DevClusterEngineTest.changingCalls(project.takeCalls()));
            JsonNode resources = EngineProject.JSON.readTree(project.ok("stack", "export").out()).path("deployment").path("resources");
            for (JsonNode r : resources) {
                assertFalse(r.path("type").asText().startsWith("aws:") && r.path("custom").asBoolean()
                        && !r.path("type").asText().startsWith("pulumi:providers:"), "created: " + r.path("urn").asText());
            }
        }
    }
}
