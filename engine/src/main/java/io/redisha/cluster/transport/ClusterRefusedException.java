package io.redisha.cluster.transport;

import java.util.List;

/**
 * The engine will not go on: the nodes are not what the plan expects. Thrown before any change
 * when raised by validation; each problem names the node, what was found and what to do.
 */
public final class ClusterRefusedException extends RuntimeException {
    private final List<String> problems;

    public ClusterRefusedException(String headline, List<String> problems) {
        super(headline + (problems.isEmpty() ? "" : ":\n  - " + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
