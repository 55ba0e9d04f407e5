package io.redisha.components;

import java.util.List;

/**
 * {@link RedisCluster} inputs that are refused. Thrown before any resource is declared. The message
 * names the component, then every wrong input with its value and what would be valid, one per line.
 */
public final class InvalidClusterArgsException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidClusterArgsException(String name, List<String> problems) {
        super(problems.size() == 1
                ? "RedisCluster '" + name + "': " + problems.get(0)
                : "RedisCluster '" + name + "': " + problems.size() + " inputs are not valid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per wrong input. */
    public List<String> problems() {
        return problems;
    }
}
