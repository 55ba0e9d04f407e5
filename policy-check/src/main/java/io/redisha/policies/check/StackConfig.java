package io.redisha.policies.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A stack's config as {@code pulumi config} would give it to the program: {@code Pulumi.<stack>.yaml}
 * read into flat {@code namespace:key -> value} strings. Encrypted values ({@code secure: ...}) cannot
 * be decrypted without the stack's key, so they become a dummy: the check judges where a secret goes,
 * never its value.
 */
public final class StackConfig {
    public static final String DUMMY_SECRET = "offline-check-dummy-secret-0123456789";

    private StackConfig() {
    }

    /** {@code stacks/Pulumi.<stack>.yaml}, looked up from {@code start} and its parents. */
    public static Optional<Path> find(Path start, String stack) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("stacks").resolve("Pulumi." + stack + ".yaml"),
                                              dir.resolve("Pulumi." + stack + ".yaml")}) {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Values a stack sets only at deploy time (see the comments in Pulumi.<stack>.yaml), filled with
     * stand-ins so the program can run: the AUTH password and, with TLS, the PEMs. The AMI is not
     * filled: without {@code imageId} the stack builds the redis-ha node image, as it does on deploy.
     * Returns the keys it filled, for the report.
     */
    public static java.util.List<String> fillDeployTimeValues(Map<String, String> config) {
        java.util.List<String> filled = new java.util.ArrayList<>();
        java.util.function.BiConsumer<String, String> fill = (key, value) -> {
            if (!config.containsKey(key)) {
                config.put(key, value);
                filled.add(key);
            }
        };
        fill.accept("redis-ha:authPassword", DUMMY_SECRET);
        if (config.getOrDefault("redis-ha:tls", "false").trim().equalsIgnoreCase("true")) {
            fill.accept("redis-ha:tlsCaCertificate", pem("CERTIFICATE"));
            fill.accept("redis-ha:tlsCertificate", pem("CERTIFICATE"));
            fill.accept("redis-ha:tlsPrivateKey", pem("PRIVATE KEY"));
        }
        return filled;
    }

    private static String pem(String kind) {
        return "-----BEGIN " + kind + "-----\nb2ZmbGluZS1jaGVjaw==\n-----END " + kind + "-----\n";
    }

    public static Map<String, String> read(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode root = yaml.readTree(file.toFile());
        Map<String, String> config = new LinkedHashMap<>();
        JsonNode node = root == null ? null : root.get("config");
        if (node == null || !node.isObject()) {
            return config;
        }
        ObjectMapper json = new ObjectMapper();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isObject() && value.has("secure")) {
                config.put(e.getKey(), DUMMY_SECRET);
            } else if (value.isValueNode()) {
                config.put(e.getKey(), value.asText());
            } else {
                config.put(e.getKey(), json.writeValueAsString(value));
            }
        }
        return config;
    }
}
