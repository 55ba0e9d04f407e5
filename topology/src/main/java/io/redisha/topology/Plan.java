package io.redisha.topology;

import io.redisha.text.Count;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.redisha.text.Table;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * The planner's output: every node's zone, role, shard and (for masters) the slots a fresh cluster
 * gives it. {@code zones} is in the order the layout rotates over; growing a plan keeps that order.
 */
public record Plan(int masters, int replicasPerMaster, List<String> zones, List<PlannedNode> nodes,
                   ZoneSafety zoneSafety) {

    public Plan {
        zones = List.copyOf(zones);
        nodes = List.copyOf(nodes);
    }

    public PlannedNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the plan has no node named " + name));
    }

    @JsonIgnore
    public List<PlannedNode> masterNodes() {
        return nodes.stream().filter(PlannedNode::isMaster).toList();
    }

    public List<PlannedNode> replicasOf(String masterName) {
        return nodes.stream().filter(n -> n.replicaOf().equals(masterName)).toList();
    }

    /** One line: {@code 3 masters x 1 replica over 3 zones (a, b, c): survives the loss of any one zone ...}. */
    @JsonIgnore
    public String summary() {
        return Count.of(masters, "master") + " x " + Count.of(replicasPerMaster, "replica")
                + " over " + Count.of(zones.size(), "zone")
                + " (" + String.join(", ", zones) + "): " + zoneSafety.summary();
    }

    /**
     * The same layout with its zones renamed by position ({@code zones.get(i)} becomes
     * {@code names.get(i)}): a plan made over labels (az-1..az-3) bound to the real zone names.
     */
    public Plan withZoneNames(List<String> names) {
        if (names.size() != zones.size()) {
            throw new IllegalArgumentException("withZoneNames needs " + zones.size() + " names, got " + names);
        }
        java.util.function.UnaryOperator<String> real = zone -> names.get(zones.indexOf(zone));
        List<PlannedNode> renamed = nodes.stream().map(n -> new PlannedNode(n.name(), n.shard(), n.member(), n.role(),
                real.apply(n.zone()), n.replicaOf(), n.slots())).toList();
        List<ShardZones> shards = masterNodes().stream().map(m -> new ShardZones(m.name(), real.apply(m.zone()),
                replicasOf(m.name()).stream().map(r -> real.apply(r.zone())).toList())).toList();
        return new Plan(masters, replicasPerMaster, names, renamed, ZoneSafety.evaluate(names, shards));
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serialises", e);
        }
    }

    public static Plan fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a redis-ha plan: " + e.getOriginalMessage(), e);
        }
    }

    /** A table a person reads; {@code addressOf} returns "" for nodes without an address yet (no column then). */
    public String toTable(java.util.function.Function<String, String> addressOf) {
        boolean withAddress = nodes.stream().anyMatch(n -> !addressOf.apply(n.name()).isEmpty());
        Table table = withAddress
                ? new Table("NODE", "ZONE", "ROLE", "SHARD", "SLOTS", "REPLICA OF", "ADDRESS")
                : new Table("NODE", "ZONE", "ROLE", "SHARD", "SLOTS", "REPLICA OF");
        for (PlannedNode node : nodes) {
            String slots = node.isMaster()
                    ? node.slots().stream().map(SlotRange::toString).collect(Collectors.joining(",")) + " (" + node.slotCount() + ")"
                    : "-";
            String replicaOf = node.isMaster() ? "-" : node.replicaOf();
            if (withAddress) {
                table.row(node.name(), node.zone(), node.role().label(), node.shard(), slots, replicaOf, addressOf.apply(node.name()));
            } else {
                table.row(node.name(), node.zone(), node.role().label(), node.shard(), slots, replicaOf);
            }
        }
        StringBuilder out = new StringBuilder("Plan: ").append(summary()).append('\n').append(table);
        zoneSafety.problems().forEach(p -> out.append("  ! ").append(p).append('\n'));
        return out.toString();
    }
}
