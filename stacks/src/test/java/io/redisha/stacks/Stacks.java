package io.redisha.stacks;

import io.redisha.mock.MockedDeployment;
import io.redisha.mock.MockedDiff;
import io.redisha.mock.StackConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The committed stack configs plus what a user sets outside them (the secrets), for mocked runs; the node image is built. */
final class Stacks {
    static final String PASSWORD = "mocked-auth-password-7f3a9c";
    static final String TLS_KEY = "-----BEGIN PRIVATE KEY-----mocked-key-----END PRIVATE KEY-----";

    private Stacks() {
    }

    static Path file(String stack) {
        Path here = Path.of("Pulumi." + stack + ".yaml");
        return Files.exists(here) ? here : Path.of("stacks", "Pulumi." + stack + ".yaml");
    }

    static Map<String, String> config(String stack) {
        Map<String, String> config = new LinkedHashMap<>(StackConfigFile.load(file(stack)).config());
        config.put("redis-ha:authPassword", PASSWORD);
        if ("true".equals(config.get("redis-ha:tls"))) {
            config.put("redis-ha:tlsCaCertificate", "-----BEGIN CERTIFICATE-----mocked-ca-----END CERTIFICATE-----");
            config.put("redis-ha:tlsCertificate", "-----BEGIN CERTIFICATE-----mocked-node-----END CERTIFICATE-----");
            config.put("redis-ha:tlsPrivateKey", TLS_KEY);
        }
        return config;
    }

    static MockedDeployment.Result run(String stack, Map<String, String> overrides) {
        Map<String, String> config = config(stack);
        config.putAll(overrides);
        return MockedDeployment.run(stack, config, MockedDeployment.DEFAULT_SECRET_KEYS, ClusterStack::define);
    }

    /** Two runs compared by URN, with the plans and retiring nodes the program exports. */
    static MockedDiff compare(MockedDeployment.Result before, MockedDeployment.Result after) {
        return MockedDiff.between(before, after, new MockedDiff.Outputs(ClusterStack.PLAN_OUTPUT, ClusterStack.RETIRING_OUTPUT,
                ClusterStack.SCALING_PLAN_OUTPUT));
    }

    static Set<String> secretKeys() {
        return MockedDeployment.DEFAULT_SECRET_KEYS;
    }
}
