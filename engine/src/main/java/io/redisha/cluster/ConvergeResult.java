package io.redisha.cluster;

import io.redisha.text.Count;
import java.time.Duration;
import java.util.List;

/**
 * What converge did.
 *
 * @param actions every mutating command sent, one line each; empty when the cluster already matched
 * @param elapsed wall time from the first connection to the last condition met
 */
public record ConvergeResult(List<String> actions, Duration elapsed, int nodes, int masters, int replicas,
                             Readiness reached) {
    public ConvergeResult {
        actions = List.copyOf(actions);
    }

    public ConvergeResult(List<String> actions, Duration elapsed, int nodes, int masters, int replicas) {
        this(actions, elapsed, nodes, masters, replicas, Readiness.SERVING);
    }

    public boolean changed() {
        return !actions.isEmpty();
    }

    public String summary() {
        String took = String.format(java.util.Locale.ROOT, "%.2f s", elapsed.toMillis() / 1000.0);
        return changed()
                ? "cluster formed to the plan: " + Count.of(masters, "master") + ", " + Count.of(replicas, "replica") + ", "
                        + Count.of(actions.size(), "change") + ", in " + took + "; " + (reached == Readiness.SERVING
                                ? "cluster_state:ok on all " + Count.of(nodes, "node") + ", every replica link up"
                                : "all " + Count.of(nodes, "node") + " agree on members, slots and replicas; cluster_state:ok follows"
                                        + " within cluster-node-timeout (Redis's rejoin delay), replicas sync in the background")
                : "already matches the plan, nothing changed (" + Count.of(nodes, "node") + " checked in " + took + ")";
    }
}
