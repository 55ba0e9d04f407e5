package io.redisha.tests.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * The real Pulumi engine and its plugins, as {@code source .ci/engine-env} provides them: the CLI and
 * the YAML language host on PATH, and in {@code PULUMI_HOME} the AWS provider double (as aws 6.83.0)
 * and the redis-ha component provider. Without them the engine tests fail, on CI and on a developer's
 * machine alike (as the AWS endpoint tests do): a skipped engine test would prove nothing.
 */
final class EngineTools {
    static final String AWS_DOUBLE_PLUGIN = "resource-aws-v6.83.0";
    static final String PROVIDER_PLUGIN_PREFIX = "resource-redis-ha-v";

    private EngineTools() {
    }

    /** What is missing, or empty when everything is there. */
    static Optional<String> unavailableReason() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("pulumi", "pulumi-language-yaml")) {
            if (onPath(tool).isEmpty()) {
                missing.add(tool + " is not on PATH");
            }
        }
        String home = System.getenv("PULUMI_HOME");
        if (home == null || home.isBlank()) {
            missing.add("PULUMI_HOME is not set");
        } else {
            Path plugins = Path.of(home, "plugins");
            if (!Files.isDirectory(plugins.resolve(AWS_DOUBLE_PLUGIN))) {
                missing.add("the AWS provider double is not installed in " + plugins + " (" + AWS_DOUBLE_PLUGIN + ")");
            }
            if (!hasProviderPlugin(plugins)) {
                missing.add("the redis-ha component provider is not installed in " + plugins);
            }
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("the Pulumi engine is not set up: " + String.join("; ", missing)
                        + ". Run `bash .ci/setup && source .ci/engine-env` first (bash .ci/test does it)");
    }

    static void requireOrFail() {
        unavailableReason().ifPresent(Assertions::fail);
    }

    static Path pulumi() {
        return onPath("pulumi").orElseThrow();
    }

    private static boolean hasProviderPlugin(Path plugins) {
        if (!Files.isDirectory(plugins)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(plugins)) {
            return entries.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(PROVIDER_PLUGIN_PREFIX));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
