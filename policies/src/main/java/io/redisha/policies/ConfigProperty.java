package io.redisha.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configurable value of a rule, with its default; published to the engine as JSON schema so
 * {@code --policy-pack-config} is validated before the analyzer sees it.
 *
 * @param type JSON schema type: integer, string, array (of strings or integers)
 */
public record ConfigProperty(String name, String type, Object defaultValue, String description) {

    public static ConfigProperty integer(String name, int defaultValue, String description) {
        return new ConfigProperty(name, "integer", defaultValue, description);
    }

    public static ConfigProperty strings(String name, List<String> defaultValue, String description) {
        return new ConfigProperty(name, "array", List.copyOf(defaultValue), description);
    }

    public Map<String, Object> jsonSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        if (type.equals("array")) {
            schema.put("items", Map.of("type", "string"));
        }
        schema.put("default", defaultValue);
        schema.put("description", description);
        return schema;
    }
}
