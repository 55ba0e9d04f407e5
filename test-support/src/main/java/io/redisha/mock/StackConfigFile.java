package io.redisha.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code Pulumi.<stack>.yaml} read the way the Pulumi CLI hands it to a program: scalars as
 * strings, lists and maps as JSON. {@code secure:} values cannot be decrypted here; they are
 * replaced by a placeholder and reported as secret keys.
 *
 * @param config     full keys ({@code redis-ha:masters}; keys without a namespace get {@code redis-ha:})
 * @param secretKeys the keys whose value was {@code secure:} in the file
 */
public record StackConfigFile(Map<String, String> config, Set<String> secretKeys) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    public static StackConfigFile load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read stack config " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        Set<String> secrets = new TreeSet<>();
        JsonNode section = root == null ? null : root.get("config");
        if (section != null && section.isObject()) {
            section.fields().forEachRemaining(e -> {
                String key = e.getKey().contains(":") ? e.getKey() : MockedDeployment.PROJECT + ":" + e.getKey();
                JsonNode value = e.getValue();
                if (value.isObject() && value.has("secure")) {
                    secrets.add(key);
                    config.put(key, "placeholder-for-secure-" + key.replace(':', '-'));
                } else if (value.isValueNode()) {
                    config.put(key, value.asText());
                } else {
                    try {
                        config.put(key, JSON.writeValueAsString(value));
                    } catch (IOException ex) {
                        throw new IllegalArgumentException("cannot read " + key + " in " + file, ex);
                    }
                }
            });
        }
        return new StackConfigFile(Collections.unmodifiableMap(config), Collections.unmodifiableSet(secrets));
    }

    /** This config with {@code extra} added (extra wins); keys in {@code extraSecrets} become secret. */
    public StackConfigFile with(Map<String, String> extra, Set<String> extraSecrets) {
        Map<String, String> merged = new LinkedHashMap<>(config);
        merged.putAll(extra);
        Set<String> secrets = new TreeSet<>(secretKeys);
        secrets.addAll(extraSecrets);
        return new StackConfigFile(Collections.unmodifiableMap(merged), Collections.unmodifiableSet(secrets));
    }
}
