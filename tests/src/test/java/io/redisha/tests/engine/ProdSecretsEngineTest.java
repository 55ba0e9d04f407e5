package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prod stack's cluster (stacks/Pulumi.prod.yaml: 3 x 2, TLS, termination protection) under the
 * real engine: the AUTH password and the TLS private key reach AWS (the double) but never appear in
 * plain text in the state, its history, {@code pulumi stack export} or the outputs.
 */
class ProdSecretsEngineTest {
    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineProdSecretsNeverInPlainText() {
        ClusterProgram program = ClusterProgram.fromStackConfig("prod");
        assertTrue(program.tls(), "prod uses TLS");
        try (EngineProject project = program.start()) {
            project.up();
            String export = project.ok("stack", "export").out();
            String outputs = project.ok("stack", "output", "--json").out();
            String state = project.stateFiles();
            for (String secret : List.of(ClusterProgram.PASSWORD, ClusterProgram.TLS_KEY, "engine-test-key-7731")) {
                assertFalse(export.contains(secret), "stack export shows a secret in plain text");
                assertFalse(outputs.contains(secret), "stack outputs show a secret in plain text");
                assertFalse(state.contains(secret), "the state files hold a secret in plain text");
            }
            // the secrets were delivered all the same: the SSM parameters hold them, as secrets
            JsonNode resources = EngineProject.JSON.readTree(export).path("deployment").path("resources");
            assertEquals(2, count(resources, "aws:ssm/parameter:Parameter", "SecureString", true),
                    "the auth and TLS key parameters are SecureStrings with a secret value");
            // and the second up changes nothing
            project.ok("up", "--yes", "--expect-no-changes");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parameters of the given SSM type whose value input is a secret (ciphertext in the state). */
    private static long count(JsonNode resources, String type, String ssmType, boolean secretValue) {
        long n = 0;
        for (JsonNode r : resources) {
            JsonNode inputs = r.path("inputs");
            if (r.path("type").asText().equals(type) && inputs.path("type").asText().equals(ssmType)
                    && inputs.path("value").has("ciphertext") == secretValue && isSecretParameter(inputs)) {
                n++;
            }
        }
        return n;
    }

    private static boolean isSecretParameter(JsonNode inputs) {
        String name = inputs.path("name").asText();
        return name.endsWith("/auth") || name.endsWith("/tls/key");
    }
}
