package io.redisha.cluster;

import io.redisha.cluster.CheckReport.Finding;
import io.redisha.cluster.CheckReport.Severity;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.Member;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.OpenSlot;
import io.redisha.cluster.model.ZoneMap;
import io.redisha.cluster.transport.Credentials;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ShardZones;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneSafety;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Judges a loaded live cluster: read-only, from every member's own answers. */
final class Checker {

    CheckReport check(List<NodeAddress> seeds, Map<NodeAddress, String> zones, Credentials credentials) {
        return judge(LiveCluster.loadFrom(seeds, credentials), zones);
    }

    /** @param zonesGiven the zone of each node, keyed by address; empty to skip the zone checks */
    static CheckReport judge(LiveCluster cluster, Map<NodeAddress, String> zonesGiven) {
        Map<NodeAddress, String> zones = ZoneMap.withResolvedHosts(zonesGiven);
        List<Finding> findings = new ArrayList<>();
        cluster.unreachable().forEach(u -> findings.add(fail("cluster", u)));
        List<Member> lives = cluster.members();
        int known = cluster.known();
        Map<String, NodeAddress> addressById = cluster.addressById();
        if (lives.isEmpty()) {
            findings.add(fail("cluster", "no node answered; nothing could be checked"));
            return report(findings, known, 0, 0, 0, 0, "");
        }
        Map<String, NodeLine> roles = new LinkedHashMap<>();
        // A node's own line is the truth about its role and slots; other views only fill in unreachable nodes.
        lives.forEach(l -> l.view().nodes().stream().filter(n -> !n.isHandshake()).forEach(n -> roles.putIfAbsent(n.id(), n)));
        lives.forEach(l -> roles.put(l.self().id(), l.self()));
        Map<String, Member> liveById = new LinkedHashMap<>();
        lives.forEach(l -> liveById.put(l.self().id(), l));
        java.util.function.Function<String, String> label = id -> Optional.ofNullable(addressById.get(id))
                .map(a -> a + " (" + NodeLine.shortId(id) + ")").orElse(NodeLine.shortId(id));

        // Cluster state on every node.
        List<String> notOk = lives.stream().filter(l -> !"ok".equals(l.clusterInfo().get("cluster_state")))
                .map(l -> l.address() + ":" + l.clusterInfo().get("cluster_state")).toList();
        for (Member l : lives) {
            if (!"ok".equals(l.clusterInfo().get("cluster_state"))) {
                findings.add(fail(label.apply(l.self().id()), "cluster_state:" + l.clusterInfo().get("cluster_state")));
            }
        }
        if (notOk.isEmpty()) {
            findings.add(ok("cluster", "cluster_state:ok on all " + lives.size() + " reachable nodes"));
        }
        findings.add(servers(lives));

        // Coverage, as the nodes themselves claim their slots.
        TreeSet<Integer> covered = new TreeSet<>();
        roles.values().stream().filter(NodeLine::isMaster).forEach(n -> covered.addAll(Converger.slotsOf(n.slots())));
        if (covered.size() == SlotRange.SLOT_COUNT) {
            findings.add(ok("cluster", "all 16384 slots assigned"));
        } else {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int s = 0; s < SlotRange.SLOT_COUNT; s++) {
                if (!covered.contains(s)) {
                    missing.add(s);
                }
            }
            List<SlotRange> ranges = SlotRange.compress(missing);
            findings.add(fail("cluster", Count.of(missing.size(), "slot") + " " + Count.verb(missing.size()) + " not assigned: "
                    + ranges.stream().limit(5).map(SlotRange::toString).collect(Collectors.joining(","))
                    + (ranges.size() > 5 ? ",..." : "") + "; the keys hashing there cannot be served"));
        }

        // Open slots.
        boolean open = false;
        for (Member l : lives) {
            if (!l.self().openSlots().isEmpty()) {
                open = true;
                findings.add(fail(label.apply(l.self().id()), "open slots: " + l.self().openSlots().stream().map(OpenSlot::toString)
                        .collect(Collectors.joining(", ")) + "; an interrupted slot move, close it with fix (redis-cli --cluster fix)"));
            }
        }
        if (!open) {
            findings.add(ok("cluster", "no open (importing/migrating) slots"));
        }

        // Agreement on membership and slot map.
        Map<String, List<String>> byView = new TreeMap<>();
        for (Member l : lives) {
            String signature = l.view().memberIds() + " " + l.view().slotOwners();
            byView.computeIfAbsent(signature, k -> new ArrayList<>()).add(l.address().toString());
        }
        if (byView.size() == 1) {
            findings.add(ok("cluster", "all " + lives.size() + " reachable nodes agree on membership and the slot map"));
        } else {
            List<List<String>> groups = new ArrayList<>(byView.values());
            groups.sort((a, b) -> Integer.compare(b.size(), a.size()));
            for (List<String> minority : groups.subList(1, groups.size())) {
                findings.add(fail(String.join(",", minority), "sees a different membership or slot map than "
                        + String.join(",", groups.get(0)) + "; wait for gossip to settle, or fix the cluster if it persists"));
            }
        }

        // Failure flags as the cluster sees them.
        for (NodeLine n : roles.values()) {
            if (n.flags().contains("fail")) {
                findings.add(fail(label.apply(n.id()), "flagged fail by the cluster"));
            } else if (n.flags().contains("fail?")) {
                findings.add(warn(label.apply(n.id()), "flagged fail? (suspected down) by a node"));
            }
        }

        // Replication.
        List<NodeLine> masters = roles.values().stream().filter(n -> n.isMaster() && !n.slots().isEmpty()).toList();
        List<NodeLine> replicas = roles.values().stream().filter(NodeLine::isReplica).toList();
        roles.values().stream().filter(n -> n.isMaster() && n.slots().isEmpty())
                .forEach(n -> findings.add(warn(label.apply(n.id()), "master without slots: serves nothing; make it a replica or move slots to it")));
        Map<String, Boolean> linkUp = new LinkedHashMap<>();
        for (NodeLine r : replicas) {
            String masterId = r.masterId().orElse("");
            NodeLine master = roles.get(masterId);
            if (master != null && master.isReplica()) {
                findings.add(fail(label.apply(r.id()), "replicates " + label.apply(masterId) + ", which is itself a replica (replica of a replica)"));
            }
            Member live = liveById.get(r.id());
            boolean up = live != null && "up".equals(live.replication().get("master_link_status"));
            linkUp.put(r.id(), up);
            if (live != null && !up) {
                findings.add(fail(label.apply(r.id()), "replica link to " + label.apply(masterId) + " is "
                        + live.replication().getOrDefault("master_link_status", "?")
                        + "; check masterauth, the master's reachability and the replica's log"));
            }
        }
        for (NodeLine m : masters) {
            long up = replicas.stream().filter(r -> r.masterId().filter(m.id()::equals).isPresent() && linkUp.getOrDefault(r.id(), false)).count();
            if (up == 0) {
                if (replicas.isEmpty()) {
                    findings.add(warn(label.apply(m.id()), "master has no replica: losing it loses slots " + m.slots()));
                } else {
                    findings.add(fail(label.apply(m.id()), "master has no replica with its link up: losing it loses slots " + m.slots()));
                }
            } else {
                findings.add(ok(label.apply(m.id()), "master with " + Count.of(m.slotCount(), "slot") + " and " + Count.of(up, "replica") + " in sync"));
            }
        }

        String zoneSummary = zones.isEmpty() ? "" : zones(masters, replicas, roles, addressById, zones, label, findings);
        hosts(masters, replicas, addressById, label, findings);
        return report(findings, known, lives.size(), masters.size(), replicas.size(), covered.size(), zoneSummary);
    }

    private static String zones(List<NodeLine> masters, List<NodeLine> replicas, Map<String, NodeLine> roles,
                                Map<String, NodeAddress> addressById, Map<NodeAddress, String> zones,
                                java.util.function.Function<String, String> label, List<Finding> findings) {
        java.util.function.Function<String, Optional<String>> zoneOf = id -> Optional.ofNullable(addressById.get(id)).map(zones::get);
        List<String> unzoned = roles.keySet().stream().filter(id -> zoneOf.apply(id).isEmpty()).map(label).toList();
        for (NodeLine r : replicas) {
            Optional<String> zone = zoneOf.apply(r.id());
            Optional<String> masterZone = r.masterId().flatMap(zoneOf);
            if (zone.isPresent() && zone.equals(masterZone)) {
                findings.add(fail(label.apply(r.id()), "replica runs in its master's zone " + zone.get() + " ("
                        + label.apply(r.masterId().get()) + "): losing that zone loses both; heal, or move the replica"));
            }
        }
        List<ShardZones> shards = new ArrayList<>();
        for (NodeLine m : masters) {
            zoneOf.apply(m.id()).ifPresent(zone -> shards.add(new ShardZones(label.apply(m.id()), zone,
                    replicas.stream().filter(r -> r.masterId().filter(m.id()::equals).isPresent() && !r.isFailing())
                            .map(r -> zoneOf.apply(r.id())).flatMap(Optional::stream).toList())));
        }
        if (!unzoned.isEmpty()) {
            String unknown = ZoneSafety.unknownSummary(unzoned);
            findings.add(fail("cluster", unknown));
            return unknown;
        }
        List<String> zoneList = new ArrayList<>(new TreeSet<>(zones.values()));
        ZoneSafety safety = ZoneSafety.evaluate(zoneList, shards);
        if (safety.survivesZoneLoss()) {
            findings.add(ok("cluster", "live roles: " + safety.summary()));
        } else {
            List<String> reasons = safety.problems().stream().filter(p -> !p.contains("in its master's zone")).toList();
            findings.add(fail("cluster", "live roles: " + safety.summary() + ": " + String.join("; ", reasons)
                    + (reasons.isEmpty() ? "" : "; after failovers, heal restores the planned zones")));
        }
        return safety.summary();
    }

    private static void hosts(List<NodeLine> masters, List<NodeLine> replicas, Map<String, NodeAddress> addressById,
                              java.util.function.Function<String, String> label, List<Finding> findings) {
        java.util.function.Function<String, String> hostOf = id -> Optional.ofNullable(addressById.get(id)).map(NodeAddress::host).orElse("");
        Set<String> hosts = new TreeSet<>();
        masters.forEach(m -> hosts.add(hostOf.apply(m.id())));
        replicas.forEach(r -> hosts.add(hostOf.apply(r.id())));
        hosts.remove("");
        if (hosts.size() == 1) {
            // A local cluster on loopback: per-host rules would flag every shard, so say it once.
            findings.add(warn("cluster", "all nodes run on one host (" + hosts.iterator().next()
                    + "): fine for local testing, but losing that host loses the cluster"));
            return;
        }
        Map<String, Set<String>> replicaHostsOfMasterHost = new TreeMap<>();
        for (NodeLine m : masters) {
            String mh = hostOf.apply(m.id());
            for (NodeLine r : replicas) {
                if (r.masterId().filter(m.id()::equals).isPresent()) {
                    String rh = hostOf.apply(r.id());
                    if (!mh.isEmpty() && mh.equals(rh)) {
                        findings.add(fail(label.apply(r.id()), "replica runs on the same host " + rh + " as its master "
                                + label.apply(m.id()) + ": losing the host loses the shard"));
                    } else if (!mh.isEmpty() && !rh.isEmpty()) {
                        replicaHostsOfMasterHost.computeIfAbsent(mh, k -> new TreeSet<>()).add(rh);
                    }
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : replicaHostsOfMasterHost.entrySet()) {
            for (String other : e.getValue()) {
                if (e.getKey().compareTo(other) < 0 && replicaHostsOfMasterHost.getOrDefault(other, Set.of()).contains(e.getKey())) {
                    findings.add(warn("cluster", "hosts " + e.getKey() + " and " + other + " hold each other's replicas (cross-pairing):"
                            + " losing both loses a master and its replica"));
                }
            }
        }
    }

    /** Which servers the members run: one is the normal case; a mix is a roll in progress (or one left half done). */
    private static Finding servers(List<Member> lives) {
        Map<String, Long> counts = new TreeMap<>(lives.stream().collect(java.util.stream.Collectors.groupingBy(m -> m.server().label(),
                java.util.stream.Collectors.counting())));
        String text = counts.entrySet().stream().map(e -> e.getKey() + " on " + Count.of(e.getValue(), "node"))
                .collect(java.util.stream.Collectors.joining(", "));
        return counts.size() == 1 ? ok("cluster", "server: " + text)
                : warn("cluster", "mixed servers (" + text + "): expected during a roll; finish it ('redis-ha roll' again) so every node runs one version");
    }

    private static CheckReport report(List<Finding> findings, int known, int reachable, int masters, int replicas, int slots, String zoneSafety) {
        int failures = (int) findings.stream().filter(f -> f.severity() == Severity.FAIL).count();
        int warnings = (int) findings.stream().filter(f -> f.severity() == Severity.WARN).count();
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort((a, b) -> b.severity().compareTo(a.severity()));
        return new CheckReport(sorted, new CheckReport.Summary(known, reachable, masters, replicas, slots,
                failures == 0, failures, warnings, zoneSafety));
    }

    private static Finding ok(String node, String message) {
        return new Finding(Severity.OK, node, message);
    }

    private static Finding warn(String node, String message) {
        return new Finding(Severity.WARN, node, message);
    }

    private static Finding fail(String node, String message) {
        return new Finding(Severity.FAIL, node, message);
    }
}
