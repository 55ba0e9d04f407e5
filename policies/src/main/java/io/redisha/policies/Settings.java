package io.redisha.policies;

import java.util.List;
import java.util.Map;

/**
 * A rule's effective configuration for one run: the defaults, overridden by policy-pack config,
 * plus the stack being checked (some rules are stricter for production stacks).
 */
public record Settings(String stack, Map<String, Object> values) {

    public Settings {
        values = Map.copyOf(values);
    }

    public int integer(String key) {
        Object value = values.get(key);
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && s.trim().matches("-?\\d+")) {
            return Integer.parseInt(s.trim());
        }
        throw new IllegalArgumentException("policy config " + key + "=" + value + " is not valid: an integer");
    }

    public List<String> strings(String key) {
        Object value = values.get(key);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String s) {
            return List.of(s.split(","));
        }
        throw new IllegalArgumentException("policy config " + key + "=" + value + " is not valid: a list of strings");
    }
}
