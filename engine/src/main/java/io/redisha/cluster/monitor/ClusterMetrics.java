package io.redisha.cluster.monitor;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.ZoneMap;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.text.Count;
import io.redisha.text.Table;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ShardZones;
import io.redisha.topology.ZoneSafety;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The health numbers of a live cluster, as published to CloudWatch every minute by each node:
 * cluster state, slot coverage, roles, replication links and lag, the current epoch (it rises with
 * every failover) and, when zones are known, zone safety of the live roles (from {@link ZoneSafety}).
 *
 * @param maxMastersInOneZone empty when no zones were given
 * @param survivesZoneLoss    1 survives, 0 does not, {@link #ZONE_SAFETY_UNKNOWN} (-1) when some member has no
 *                            zone in the map (never judged "survives"); empty when no zones were given
 * @param zoneSafety          the live zone-safety summary; empty when no zones were given
 * @param watchdog            what the watchdogs beside the nodes did (read from their state files);
 *                            empty when none was given
 */
public record ClusterMetrics(int nodes, int reachable, int clusterStateOk, int slotsOk, int masters, int replicas,
                             int replicasWithLinkDown, long maxReplicationLagBytes, long maxMasterLinkSilenceSeconds,
                             long currentEpoch, Optional<Integer> maxMastersInOneZone, Optional<Integer> survivesZoneLoss,
                             String zoneSafety, Optional<WatchdogCounts> watchdog) {

    public static final String CLUSTER_STATE_OK = "ClusterStateOk";
    public static final String SLOTS_OK = "SlotsOk";
    public static final String MASTERS = "Masters";
    public static final String REPLICAS = "Replicas";
    public static final String REPLICAS_WITH_LINK_DOWN = "ReplicasWithLinkDown";
    public static final String MAX_REPLICATION_LAG_BYTES = "MaxReplicationLagBytes";
    public static final String MAX_MASTER_LINK_SILENCE_SECONDS = "MaxMasterLinkSilenceSeconds";
    public static final String CURRENT_EPOCH = "CurrentEpoch";
    public static final String MAX_MASTERS_IN_ONE_ZONE = "MaxMastersInOneZone";
    public static final String SURVIVES_ZONE_LOSS = "SurvivesZoneLoss";
    /** SurvivesZoneLoss when the zone map misses members: below 1, so the zone-loss alarm fires. */
    public static final int ZONE_SAFETY_UNKNOWN = -1;

    /** The same metrics with the watchdogs' counts added. */
    public ClusterMetrics withWatchdog(WatchdogCounts counts) {
        return new ClusterMetrics(nodes, reachable, clusterStateOk, slotsOk, masters, replicas, replicasWithLinkDown, maxReplicationLagBytes,
                maxMasterLinkSilenceSeconds, currentEpoch, maxMastersInOneZone, survivesZoneLoss, zoneSafety, Optional.of(counts));
    }

    /** False when the cluster state is not ok on every node, or zones were given and the loss of one is not survivable. */
    public boolean ok() {
        return clusterStateOk == 1 && survivesZoneLoss.orElse(1) == 1;
    }

    /** Metric name to value, in a stable order; the zone metrics only when zones were given. */
    public Map<String, Number> values() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put(CLUSTER_STATE_OK, clusterStateOk);
        values.put(SLOTS_OK, slotsOk);
        values.put(MASTERS, masters);
        values.put(REPLICAS, replicas);
        values.put(REPLICAS_WITH_LINK_DOWN, replicasWithLinkDown);
        values.put(MAX_REPLICATION_LAG_BYTES, maxReplicationLagBytes);
        values.put(MAX_MASTER_LINK_SILENCE_SECONDS, maxMasterLinkSilenceSeconds);
        values.put(CURRENT_EPOCH, currentEpoch);
        maxMastersInOneZone.ifPresent(v -> values.put(MAX_MASTERS_IN_ONE_ZONE, v));
        survivesZoneLoss.ifPresent(v -> values.put(SURVIVES_ZONE_LOSS, v));
        watchdog.ifPresent(w -> values.putAll(w.values()));
        return values;
    }

    public String toTable() {
        Table table = new Table("METRIC", "VALUE");
        values().forEach(table::row);
        return table + "\n" + (ok() ? "Cluster OK" : "Cluster NOT OK") + ": " + reachable + "/" + Count.of(nodes, "node") + " reachable"
                + (zoneSafety.isEmpty() ? "" : "; zones: " + zoneSafety) + "\n";
    }

    /**
     * Reads the metrics of the cluster reachable from {@code seed}: CLUSTER NODES, CLUSTER INFO and
     * INFO replication of every member. Sends no mutating command.
     *
     * @param zones the zone of each node, keyed by address; empty to leave the zone metrics out
     */
    public static ClusterMetrics collect(NodeAddress seed, Map<NodeAddress, String> zones, Credentials credentials) {
        LiveCluster live = LiveCluster.load(seed, credentials);
        Map<String, Map<String, String>> clusterInfo = new LinkedHashMap<>();
        Map<String, Map<String, String>> replication = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        // Read again in order, masters first, then their replicas (the load reads all members at once): a replica
        // read after its master is never behind by bytes sent in between.
        List<LiveCluster.Member> ordered = new ArrayList<>(live.masters());
        live.members().stream().filter(m -> !m.isMaster()).forEach(ordered::add);
        for (LiveCluster.Member m : ordered) {
            try (NodeSession s = NodeSession.open(m.address(), credentials)) {
                replication.put(m.id(), s.info("replication"));
                clusterInfo.put(m.id(), s.clusterInfo());
            } catch (RuntimeException e) {
                failed.add(m.id());
            }
        }
        int known = live.members().size() + live.unreachable().size();
        int reachable = clusterInfo.size();

        boolean stateOk = failed.isEmpty() && live.unreachable().isEmpty() && !clusterInfo.isEmpty()
                && clusterInfo.values().stream().allMatch(i -> "ok".equals(i.get("cluster_state")));
        boolean slotsOk = !clusterInfo.isEmpty() && clusterInfo.values().stream().allMatch(i ->
                number(i, "cluster_slots_assigned") == 16384 && number(i, "cluster_slots_ok") == 16384);
        long epoch = clusterInfo.values().stream().mapToLong(i -> number(i, "cluster_current_epoch")).max().orElse(0);

        List<LiveCluster.Member> masters = live.masters().stream().filter(m -> replication.containsKey(m.id())).toList();
        List<LiveCluster.Member> replicas = live.members().stream()
                .filter(m -> m.isReplica() && replication.containsKey(m.id())).toList();
        int linkDown = 0;
        long maxLag = 0;
        long maxSilence = 0;
        for (LiveCluster.Member r : replicas) {
            Map<String, String> info = replication.get(r.id());
            boolean up = "up".equals(info.get("master_link_status"));
            if (!up) {
                linkDown++;
                maxSilence = Math.max(maxSilence, number(info, "master_link_down_since_seconds"));
            } else {
                maxSilence = Math.max(maxSilence, number(info, "master_last_io_seconds_ago"));
            }
            Optional<Map<String, String>> master = r.self().masterId().map(replication::get);
            if (master.isPresent() && info.containsKey("slave_repl_offset")) {
                maxLag = Math.max(maxLag, number(master.get(), "master_repl_offset") - number(info, "slave_repl_offset"));
            }
        }

        Optional<Integer> maxInZone = Optional.empty();
        Optional<Integer> survives = Optional.empty();
        String summary = "";
        if (!zones.isEmpty()) {
            Map<NodeAddress, String> resolved = ZoneMap.withResolvedHosts(zones);
            // The seed is the address it was reached at (127.0.0.1 on a node); its own CLUSTER NODES line has the IP others know.
            java.util.function.Function<LiveCluster.Member, Optional<String>> zoneOf = m -> Optional.ofNullable(resolved.get(m.address()))
                    .or(() -> m.self().address().map(resolved::get));
            List<ShardZones> shards = new ArrayList<>();
            for (LiveCluster.Member m : masters) {
                zoneOf.apply(m).ifPresent(zone -> shards.add(new ShardZones(m.label(), zone, replicas.stream()
                        .filter(r -> r.self().masterId().filter(m.id()::equals).isPresent())
                        .map(zoneOf).flatMap(Optional::stream).toList())));
            }
            ZoneSafety safety = ZoneSafety.evaluate(new ArrayList<>(new TreeSet<>(zones.values())), shards);
            maxInZone = Optional.of(safety.mastersPerZone().values().stream().mapToInt(Integer::intValue).max().orElse(0));
            List<String> unzoned = live.members().stream().filter(m -> zoneOf.apply(m).isEmpty()).map(LiveCluster.Member::label).toList();
            survives = Optional.of(!unzoned.isEmpty() ? ZONE_SAFETY_UNKNOWN : safety.survivesZoneLoss() ? 1 : 0);
            summary = unzoned.isEmpty() ? safety.summary() : ZoneSafety.unknownSummary(unzoned);
        }
        return new ClusterMetrics(known, reachable, stateOk ? 1 : 0, slotsOk ? 1 : 0, masters.size(), replicas.size(),
                linkDown, Math.max(0, maxLag), maxSilence, epoch, maxInZone, survives, summary, Optional.empty());
    }

    private static long number(Map<String, String> fields, String key) {
        try {
            return Long.parseLong(fields.getOrDefault(key, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
