package io.redisha.topology;

import io.redisha.text.Count;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a layout survives the loss of any one zone. Used for plans and for live clusters
 * (after failovers the live layout can drift from the plan), so it takes plain shard facts.
 *
 * <p>Two things must hold when a zone is lost: the masters outside it are a strict majority of all
 * masters (only masters vote in a failover election), and every shard mastered in it has a replica
 * elsewhere to promote.
 *
 * @param mastersPerZone          every zone with its master count, zero included
 * @param survivesZoneLoss        true when the loss of any single zone leaves a working cluster
 * @param problems                one sentence per reason it does not survive, or per replica placed
 *                                in its own master's zone; empty when all is well
 */
public record ZoneSafety(Map<String, Integer> mastersPerZone, int masters, boolean survivesZoneLoss,
                         List<String> problems) {

    public ZoneSafety {
        mastersPerZone = java.util.Collections.unmodifiableMap(new TreeMap<>(mastersPerZone));
        problems = List.copyOf(problems);
    }

    public static ZoneSafety evaluate(List<String> zones, List<ShardZones> shards) {
        Map<String, Integer> mastersPerZone = new TreeMap<>();
        zones.forEach(zone -> mastersPerZone.put(zone, 0));
        for (ShardZones shard : shards) {
            mastersPerZone.merge(shard.masterZone(), 1, Integer::sum);
            shard.replicaZones().forEach(zone -> mastersPerZone.putIfAbsent(zone, 0));
        }
        int masters = shards.size();
        List<String> problems = new ArrayList<>();
        boolean survives = true;

        for (ShardZones shard : shards) {
            for (String replicaZone : shard.replicaZones()) {
                if (replicaZone.equals(shard.masterZone())) {
                    problems.add("a replica of " + shard.shard() + " runs in its master's zone " + replicaZone);
                }
            }
        }
        if (mastersPerZone.size() < 2) {
            survives = false;
            problems.add("all nodes run in one zone (" + String.join(",", mastersPerZone.keySet())
                    + "): losing it loses the cluster");
        }
        for (Map.Entry<String, Integer> zone : mastersPerZone.entrySet()) {
            int surviving = masters - zone.getValue();
            if (surviving * 2 <= masters) {
                survives = false;
                problems.add("losing zone " + zone.getKey() + " takes " + zone.getValue() + " of " + Count.of(masters, "master")
                        + "; the " + surviving + " left " + Count.verb(surviving) + " not a majority, so no failover can be voted");
            }
            for (ShardZones shard : shards) {
                if (shard.masterZone().equals(zone.getKey())
                        && shard.replicaZones().stream().allMatch(zone.getKey()::equals)) {
                    survives = false;
                    problems.add("losing zone " + zone.getKey() + " loses " + shard.shard()
                            + ": it has no replica in another zone");
                }
            }
        }
        return new ZoneSafety(mastersPerZone, masters, survives, problems);
    }

    /**
     * The verdict when some nodes have no known zone: it cannot be judged, so it is never "survives".
     * A partial zone map hides exactly the nodes that could break zone safety.
     */
    public static String unknownSummary(List<String> nodesWithoutZone) {
        return "zone safety UNKNOWN: no zone given for " + Count.of(nodesWithoutZone.size(), "node") + " ("
                + String.join(", ", nodesWithoutZone) + "); give the zone of every node";
    }

    /** One line for tables and logs. */
    public String summary() {
        StringBuilder spread = new StringBuilder();
        mastersPerZone.forEach((zone, count) -> spread.append(spread.length() == 0 ? "" : " ").append(zone).append('=').append(count));
        return (survivesZoneLoss ? "survives the loss of any one zone" : "does NOT survive the loss of a zone")
                + " (masters per zone: " + spread + ")";
    }
}
