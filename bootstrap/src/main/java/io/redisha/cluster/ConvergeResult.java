package io.redisha.cluster;

import java.time.Duration;
import java.util.List;

/**
 * What converge did.
 *
 * @param actions every mutating command sent, one line each; empty when the cluster already matched
 * @param elapsed wall time from the first connection to the last condition met
 */
public record ConvergeResult(List<String> actions, Duration elapsed, int nodes, int masters, int replicas) {
    public ConvergeResult {
        actions = List.copyOf(actions);
    }

    public boolean changed() {
        return !actions.isEmpty();
    }

    public String summary() {
        String took = String.format(java.util.Locale.ROOT, "%.2f s", elapsed.toMillis() / 1000.0);
        return changed()
                ? "cluster formed to the plan: " + masters + " masters, " + replicas + " replicas, " + actions.size()
                        + " changes, in " + took + "; cluster_state:ok on all " + nodes + " nodes, every replica link up"
                : "already matches the plan, nothing changed (" + nodes + " nodes checked in " + took + ")";
    }
}
