package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy pack as a user runs it under the real engine: {@code --policy-pack
 * policies/pulumi-analyzer-redis-ha} (the engine starts the launcher as an analyzer plugin; the
 * launcher runs policies/target/redis-ha-policies.jar), and what the CLI prints of it.
 */
final class PackPreview {
    static final Path LAUNCHER = Path.of("..", "policies", "pulumi-analyzer-redis-ha").toAbsolutePath().normalize();
    static final String PASSED = "✅ redis-ha@v0.1.0";
    static final String FAILED = "❌ redis-ha@v0.1.0";

    private PackPreview() {
    }

    /** The engine's tools and the pack's jar, or the test fails saying what is missing. */
    static void requireOrFail() {
        EngineTools.requireOrFail();
        assertTrue(Files.isRegularFile(LAUNCHER.resolveSibling("target/redis-ha-policies.jar")),
                "the policy pack's jar is missing: mvn -B -pl policies -am package -DskipTests");
    }

    /** {@code pulumi COMMAND --policy-pack <launcher> ARGS} in the project (preview, or up with its flags); any exit code. */
    static EngineProject.Run run(EngineProject project, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--color", "never", "--policy-pack", LAUNCHER.toString()));
        all.addAll(List.of(args));
        return project.run(all.toArray(String[]::new));
    }

    static EngineProject.Run preview(EngineProject project, String... args) {
        return run(project, "preview", args);
    }

    /** Exit 0, the pack passed, and it reported nothing, not even an advisory. */
    static void assertPassesClean(EngineProject.Run preview) {
        assertEquals(0, preview.exit(), preview.both());
        assertTrue(preview.out().contains(PASSED), preview.both());
        assertFalse(preview.out().contains("[mandatory]") || preview.out().contains("[advisory]"), preview.both());
    }

    /** The message under the pack's line for {@code rule} on the resource ({@code aws:ec2:Instance}, name), or "" when not reported. */
    static String finding(EngineProject.Run preview, String rule, String type, String name) {
        List<String> lines = preview.out().lines().toList();
        String heading = "  " + rule + "  (" + type + ": " + name + ")";
        for (int i = 0; i + 1 < lines.size(); i++) {
            String line = lines.get(i);
            if ((line.contains("[mandatory]") || line.contains("[advisory]")) && line.endsWith(heading)) {
                return lines.get(i + 1).strip();
            }
        }
        return "";
    }

    /** The preview's output in target/policy-pack-previews/NAME.txt, where policies/README.md's capture is taken from. */
    static void keep(String name, EngineProject.Run preview) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "policy-pack-previews"));
            Files.writeString(dir.resolve(name + ".txt"), preview.out() + preview.err());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
