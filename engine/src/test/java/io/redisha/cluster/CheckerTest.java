package io.redisha.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.CheckReport.Finding;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checker's judgement over a loaded cluster model (each node's own CLUSTER NODES, CLUSTER INFO and
 * replication answers, as Redis 7 prints them), without a server: a 3x1 cluster on six hosts in three
 * zones, healthy, then broken one way at a time.
 */
class CheckerTest {
    private record Node(String id, String host, String zone, String masterId, String slots) {
        NodeAddress address() {
            return new NodeAddress(host, 6379);
        }

        boolean master() {
            return masterId.equals("-");
        }
    }

    private static final List<Node> HEALTHY = List.of(
            new Node("a".repeat(40), "10.0.0.1", "zone-a", "-", "0-5460"),
            new Node("b".repeat(40), "10.0.0.2", "zone-b", "-", "5461-10922"),
            new Node("c".repeat(40), "10.0.0.3", "zone-c", "-", "10923-16383"),
            new Node("d".repeat(40), "10.0.0.4", "zone-b", "a".repeat(40), ""),
            new Node("e".repeat(40), "10.0.0.5", "zone-c", "b".repeat(40), ""),
            new Node("f".repeat(40), "10.0.0.6", "zone-a", "c".repeat(40), ""));

    @Test
    void aHealthyClusterIsOkWithEverythingItVerified() {
        CheckReport report = judge(HEALTHY, Map.of(), Map.of());
        assertTrue(report.ok(), report.toTable());
        assertEquals(new CheckReport.Summary(6, 6, 3, 3, 16384, true, 0, 0, report.summary().zoneSafety()), report.summary());
        assertFalse(report.summary().zoneSafety().isEmpty());
        assertTrue(messages(report).contains("all 16384 slots assigned"), report.toTable());
        assertTrue(messages(report).contains("no open (importing/migrating) slots"), report.toTable());
    }

    @Test
    void anOpenSlotFailsOnTheNodeThatHoldsIt() {
        Map<String, String> openOn = Map.of("a".repeat(40), " [42->-" + "b".repeat(40) + "]");
        CheckReport report = judge(HEALTHY, openOn, Map.of());
        assertFalse(report.ok());
        assertTrue(failure(report, "open slots: ").node().startsWith("10.0.0.1:6379"), report.toTable());
    }

    @Test
    void unassignedSlotsAreNamed() {
        List<Node> gap = new ArrayList<>(HEALTHY);
        gap.set(2, new Node("c".repeat(40), "10.0.0.3", "zone-c", "-", "10923-16000"));
        CheckReport report = judge(gap, Map.of(), Map.of());
        assertEquals(16001, report.summary().slotsAssigned());
        assertTrue(failure(report, "383 slots are not assigned: 16001-16383").node().equals("cluster"), report.toTable());
    }

    @Test
    void aReplicaWhoseLinkIsDownFailsAndLeavesItsMasterWithoutACopy() {
        CheckReport report = judge(HEALTHY, Map.of(), Map.of("d".repeat(40), "down"));
        assertTrue(failure(report, "replica link to 10.0.0.1:6379").node().startsWith("10.0.0.4:6379"), report.toTable());
        assertTrue(failure(report, "master has no replica with its link up").node().startsWith("10.0.0.1:6379"), report.toTable());
    }

    @Test
    void aReplicaInItsMastersZoneFails() {
        List<Node> sameZone = new ArrayList<>(HEALTHY);
        sameZone.set(3, new Node("d".repeat(40), "10.0.0.4", "zone-a", "a".repeat(40), ""));
        CheckReport report = judge(sameZone, Map.of(), Map.of());
        assertTrue(failure(report, "replica runs in its master's zone zone-a").node().startsWith("10.0.0.4:6379"), report.toTable());
    }

    @Test
    void nodesThatDisagreeOnTheSlotMapAreNamed() {
        // Node f still sees slot 16383 on master b: a slot map that did not settle.
        CheckReport report = judge(HEALTHY, Map.of(), Map.of(), "f".repeat(40));
        assertEquals("10.0.0.6:6379", failure(report, "sees a different membership or slot map").node(), report.toTable());
    }

    /** Every node's answers; {@code stale} (if given) sees slot 16383 owned by b instead of c. */
    private static CheckReport judge(List<Node> nodes, Map<String, String> openSlots, Map<String, String> links, String... stale) {
        List<LiveCluster.Member> lives = new ArrayList<>();
        Map<NodeAddress, String> zones = new LinkedHashMap<>();
        for (Node viewer : nodes) {
            StringBuilder text = new StringBuilder();
            boolean staleView = List.of(stale).contains(viewer.id());
            for (Node n : nodes) {
                String slots = n.slots();
                if (staleView && n.id().equals("b".repeat(40))) {
                    slots += " 16383";
                } else if (staleView && n.id().equals("c".repeat(40))) {
                    slots = "10923-16382";
                }
                if (n.equals(viewer)) {
                    slots += openSlots.getOrDefault(n.id(), "");
                }
                text.append(n.id()).append(' ').append(n.host()).append(":6379@16379, ")
                        .append(n.equals(viewer) ? "myself," : "").append(n.master() ? "master" : "slave").append(' ')
                        .append(n.masterId()).append(" 0 1700000000000 1 connected ").append(slots).append('\n');
            }
            Map<String, String> replication = viewer.master() ? Map.of("role", "master")
                    : Map.of("role", "slave", "master_link_status", links.getOrDefault(viewer.id(), "up"));
            lives.add(new LiveCluster.Member(viewer.address(), MemberView.parse(text.toString()), Map.of("cluster_state", "ok"), replication));
            zones.put(viewer.address(), viewer.zone());
        }
        return Checker.judge(LiveCluster.of(lives, List.of()), zones);
    }

    private static List<String> messages(CheckReport report) {
        return report.findings().stream().map(Finding::message).toList();
    }

    private static Finding failure(CheckReport report, String text) {
        return report.failures().stream().filter(f -> f.message().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no failure containing '" + text + "' in\n" + report.toTable()));
    }
}
