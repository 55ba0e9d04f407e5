package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A plan bound to real nodes: which address plays which planned node.
 *
 * @param retiring nodes of the cluster today that the plan no longer has (a scale-in), by their old
 *                 planned name: converge drains their slots, forgets and resets them. Only nodes
 *                 listed here are ever removed, so a removal is always something the plan says.
 * @param replacing planned nodes being replaced by a rolling replacement, by planned name: the
 *                  address of the old node that the node at {@code addresses[name]} replaces (same
 *                  shard, same zone); converge rolls them ({@code redis-ha roll}) before anything else
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Placement(Plan plan, Map<String, NodeAddress> addresses, Map<String, NodeAddress> retiring,
                        Map<String, NodeAddress> replacing) {

    public Placement(Plan plan, Map<String, NodeAddress> addresses) {
        this(plan, addresses, Map.of());
    }

    public Placement(Plan plan, Map<String, NodeAddress> addresses, Map<String, NodeAddress> retiring) {
        this(plan, addresses, retiring, Map.of());
    }

    /**
     * The plan bound to its nodes' addresses, by node name (never by position): every planned node
     * needs exactly one address, no address serves two nodes; the order is the plan's.
     */
    public static Placement bind(Plan plan, Map<String, NodeAddress> addresses) {
        return bind(plan, addresses, Map.of(), Map.of());
    }

    /**
     * {@link #bind(Plan, Map)} with the nodes a scale-in is retiring and, during a roll, the old
     * addresses of the nodes being replaced (keyed by the planned node that replaces them).
     */
    public static Placement bind(Plan plan, Map<String, NodeAddress> addresses, Map<String, NodeAddress> retiring,
                                 Map<String, NodeAddress> replacing) {
        Map<NodeAddress, String> owner = new LinkedHashMap<>();
        for (Map<String, NodeAddress> group : List.of(addresses, retiring, replacing)) {
            group.forEach((node, address) -> {
                String other = owner.putIfAbsent(address, node);
                if (other != null) {
                    throw new IllegalArgumentException("address " + address + " is bound to both " + other + " and " + node
                            + ": each node needs its own address");
                }
            });
        }
        return new Placement(plan, addresses, retiring, replacing);
    }

    /** What a placement file looks like, for messages that refuse something else. */
    public static final String FORMAT = "a placement JSON: {\"plan\": <the output of 'redis-ha plan --json'>,"
            + " \"addresses\": {\"node-0-0\": \"10.0.1.10:6379\", ... one HOST:PORT per planned node}}"
            + " (the stack publishes one as its placement parameter)";

    public Placement {
        if (plan == null || addresses == null) {
            throw new IllegalArgumentException((plan == null ? "no \"plan\"" : "no \"addresses\"") + "; expected " + FORMAT);
        }
        retiring = retiring == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(retiring));
        replacing = replacing == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(replacing));
        for (Map.Entry<String, NodeAddress> old : replacing.entrySet()) {
            if (!addresses.containsKey(old.getKey()) || addresses.containsValue(old.getValue()) || retiring.containsValue(old.getValue())) {
                throw new IllegalArgumentException("node " + old.getKey() + " is replacing " + old.getValue()
                        + ": it must be planned, and the old address neither planned nor retiring");
            }
        }
        for (Map.Entry<String, NodeAddress> old : retiring.entrySet()) {
            if (addresses.containsKey(old.getKey()) || addresses.containsValue(old.getValue())) {
                throw new IllegalArgumentException("node " + old.getKey() + " (" + old.getValue()
                        + ") cannot be both planned and retiring");
            }
        }
        Map<String, NodeAddress> ordered = new LinkedHashMap<>();
        for (PlannedNode node : plan.nodes()) {
            NodeAddress address = addresses.get(node.name());
            if (address == null) {
                throw new IllegalArgumentException("placement has no address for planned node " + node.name());
            }
            ordered.put(node.name(), address);
        }
        if (ordered.size() != addresses.size()) {
            throw new IllegalArgumentException("placement names nodes the plan does not have: " + addresses.keySet());
        }
        addresses = Collections.unmodifiableMap(ordered);
    }

    public NodeAddress addressOf(String name) {
        NodeAddress address = addresses.get(name);
        if (address == null) {
            throw new NoSuchElementException("the plan has no node named " + name);
        }
        return address;
    }

    public PlannedNode nodeAt(NodeAddress address) {
        return addresses.entrySet().stream().filter(e -> e.getValue().equals(address)).findFirst()
                .map(e -> plan.node(e.getKey()))
                .orElseThrow(() -> new NoSuchElementException(address + " is not part of the plan"));
    }

    /** The zone of every node, keyed by address: what {@code check} needs to judge zone safety. */
    @JsonIgnore
    public Map<NodeAddress, String> zoneByAddress() {
        Map<NodeAddress, String> zones = new LinkedHashMap<>();
        addresses.forEach((name, address) -> zones.put(address, plan.node(name).zone()));
        return zones;
    }

    public String toTable() {
        return plan.toTable(name -> addressOf(name).toString());
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a placement always serialises", e);
        }
    }

    public static Placement fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, Placement.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a redis-ha placement: " + e.getOriginalMessage(), e);
        }
    }
}
