package io.redisha.cluster;

import io.redisha.text.Count;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.redisha.text.Table;
import java.util.List;

/**
 * What check found. {@code FAIL} means the cluster is broken or one failure away from losing data
 * or availability; {@code WARN} is advice; {@code OK} records what was verified.
 */
public record CheckReport(List<Finding> findings, Summary summary) {

    public enum Severity { OK, WARN, FAIL }

    /** @param node the node it is about ({@code host:port (id)}), or {@code cluster} */
    public record Finding(Severity severity, String node, String message) {
    }

    /** @param zoneSafety the live zone-safety summary; empty when no zones were given */
    public record Summary(int nodes, int reachable, int masters, int replicas, int slotsAssigned,
                          boolean ok, int failures, int warnings, String zoneSafety) {
    }

    public CheckReport {
        findings = List.copyOf(findings);
    }

    @JsonIgnore
    public boolean ok() {
        return summary.ok();
    }

    public List<Finding> failures() {
        return findings.stream().filter(f -> f.severity() == Severity.FAIL).toList();
    }

    public String toTable() {
        Table table = new Table("SEVERITY", "NODE", "FINDING");
        findings.forEach(f -> table.row(f.severity(), f.node(), f.message()));
        return table + "\n" + summaryLine() + "\n";
    }

    public String summaryLine() {
        return (summary.ok() ? "Cluster OK: " : "Cluster NOT OK: ") + Count.of(summary.nodes(), "node") + " (" + summary.reachable()
                + " reachable), " + Count.of(summary.masters(), "master") + ", " + Count.of(summary.replicas(), "replica") + ", "
                + summary.slotsAssigned() + "/16384 slots; " + Count.of(summary.failures(), "failure") + ", " + Count.of(summary.warnings(), "warning")
                + (summary.zoneSafety().isEmpty() ? "" : "; zones: " + summary.zoneSafety());
    }
}
