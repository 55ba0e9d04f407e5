package io.redisha.cluster;

import io.redisha.text.Table;
import java.util.List;
import java.util.Optional;

/**
 * What a drill measured.
 *
 * @param recoveryMillis   fault to: every slot of the stopped masters served by a promoted replica and
 *                         cluster_state:ok on every reachable node; empty when it did not recover in time
 * @param writesFailed     writes the concurrent writer saw fail (errors and timeouts), almost all during the outage
 * @param lostWrites       acknowledged writes not readable with their value after recovery (async replication)
 * @param rejoinMillis     fault end (restart, or the pause ending) to: every stopped node back, as a replica
 *                         with its link up; empty when nothing was restarted
 */
public record DrillReport(String mode, List<String> targets, List<Failover> failovers, Optional<Long> recoveryMillis,
                          long writesAcknowledged, long writesFailed, List<String> lostWrites, long lostWritesCount,
                          Optional<Long> rejoinMillis, List<String> rejoined, List<String> notes) {

    /** @param promoted the replica that took over, empty when none did */
    public record Failover(String oldMaster, String oldMasterZone, Optional<String> promoted, Optional<String> promotedZone,
                           int slots) {
    }

    public DrillReport {
        targets = List.copyOf(targets);
        failovers = List.copyOf(failovers);
        lostWrites = List.copyOf(lostWrites.subList(0, Math.min(20, lostWrites.size())));
        rejoined = List.copyOf(rejoined);
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return recoveryMillis.isPresent() && lostWritesCount == 0 && failovers.stream().allMatch(f -> f.promoted().isPresent());
    }

    public String toTable() {
        Table table = new Table("STOPPED MASTER", "ZONE", "SLOTS", "PROMOTED REPLICA", "ZONE");
        failovers.forEach(f -> table.row(f.oldMaster(), f.oldMasterZone(), f.slots(), f.promoted().orElse("NONE"), f.promotedZone().orElse("-")));
        StringBuilder out = new StringBuilder(table.toString()).append('\n');
        out.append("Time to recovery:     ").append(recoveryMillis.map(DrillReport::seconds).orElse("did NOT recover in time")).append('\n');
        out.append("Writes acknowledged:  ").append(writesAcknowledged).append('\n');
        out.append("Writes failed:        ").append(writesFailed).append(" (during the outage)\n");
        out.append("Acknowledged lost:    ").append(lostWritesCount).append('\n');
        lostWrites.forEach(l -> out.append("    ").append(l).append('\n'));
        out.append("Rejoined as replicas: ").append(rejoinMillis.map(ms -> seconds(ms) + " (" + String.join(", ", rejoined) + ")")
                .orElse(rejoined.isEmpty() ? "-" : String.join(", ", rejoined))).append('\n');
        notes.forEach(n -> out.append("Note: ").append(n).append('\n'));
        out.append(ok() ? "Drill PASSED" : "Drill FAILED").append('\n');
        return out.toString();
    }

    private static String seconds(long ms) {
        return String.format("%.2f s", ms / 1000.0);
    }
}
