package io.redisha.policies.check;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import io.redisha.policies.ResourceView;
import io.redisha.stacks.ClusterStack;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Runs this repository's cluster stack program ({@link ClusterStack}) under {@code com.pulumi.test}
 * mocks ({@link MockedDeployment}, from the test-support module) and maps what it declared into
 * {@link ResourceView}s. Only this module ties the policy pack to the program: the analyzer jar
 * carries neither.
 */
public final class MockedStack {
    /** The stack program refused its config or failed under mocks; the message is one line saying why. */
    public static final class ProgramFailed extends Exception {
        ProgramFailed(String message) {
            super(message);
        }
    }

    static final String SDK_LOGGER = "com.pulumi.test.internal.PulumiTestInternal";

    private MockedStack() {
    }

    /** The stack program run as {@code stack} with its own config file (found from here upwards), overrides and stand-ins. */
    public static List<ResourceView> runStack(String stack, Map<String, String> overrides) throws ProgramFailed, java.io.IOException {
        java.nio.file.Path file = StackConfig.find(java.nio.file.Path.of(""), stack).orElseThrow(() -> new IllegalArgumentException(
                "--stack " + stack + " is not valid here: no stacks/Pulumi." + stack + ".yaml above " + java.nio.file.Path.of("").toAbsolutePath()));
        return runStack(stack, file, overrides);
    }

    /** The stack program run as {@code stack} with {@code configFile}, overrides and stand-ins for deploy-time values. */
    public static List<ResourceView> runStack(String stack, java.nio.file.Path configFile, Map<String, String> overrides)
            throws ProgramFailed, java.io.IOException {
        Map<String, String> config = new java.util.LinkedHashMap<>(StackConfig.read(configFile));
        config.putAll(overrides);
        StackConfig.fillDeployTimeValues(config);
        return run(stack, config);
    }

    public static List<ResourceView> run(String stack, Map<String, String> config) throws ProgramFailed {
        // The test SDK logs a program's exception with its stack trace through this logger (whose
        // level it sets itself on every run); the check reports the failure in one line instead.
        Logger sdk = Logger.getLogger(SDK_LOGGER);
        Filter before = sdk.getFilter();
        sdk.setFilter(record -> false);
        MockedDeployment.Result result;
        try {
            result = MockedDeployment.run(stack, config, MockedDeployment.DEFAULT_SECRET_KEYS, ClusterStack::define);
        } catch (RuntimeException e) {
            throw new ProgramFailed(oneLine(String.valueOf(e.getMessage())));
        } finally {
            sdk.setFilter(before);
        }
        if (result.failure().isPresent()) {
            throw new ProgramFailed(oneLine(result.failure().get()));
        }
        return result.resources().stream().map(d -> view(stack, d)).toList();
    }

    private static ResourceView view(String stack, DeclaredResource declared) {
        Set<String> secrets = new HashSet<>();
        declared.secretInputs().forEach(p -> secrets.add(p.split("\\.")[0]));
        String urn = declared.urn() == null || declared.urn().isEmpty()
                ? ResourceView.urnOf(stack, declared.type(), declared.name()) : declared.urn();
        return new ResourceView(declared.type(), urn, declared.name(), declared.inputs(), secrets);
    }

    /**
     * The program's own message, without the SDK's "Running program ... failed" preamble, the
     * exception class and the stack trace: {@code RedisCluster 'dev': masters=4 is not valid: ...}.
     */
    static String oneLine(String failure) {
        StringBuilder message = new StringBuilder();
        for (String line : failure.split("\\R")) {
            String trimmed = line.trim().replaceFirst("^(?:(?:[a-z][a-z0-9_]*\\.)+[A-Za-z0-9_$]*(?:Exception|Error):\\s*)+", "");
            boolean noise = trimmed.isEmpty() || trimmed.startsWith("at ") || trimmed.startsWith("...")
                    || trimmed.startsWith("Running program") || trimmed.startsWith("Caused by:");
            if (noise && message.length() > 0 && !trimmed.isEmpty()) {
                break; // the first message is all a reader needs; the SDK repeats it with a trace
            }
            if (!noise) {
                message.append(message.length() > 0 ? " " : "").append(trimmed);
            }
        }
        return message.length() == 0 ? failure.trim() : message.toString();
    }
}
