package io.redisha.cluster.model;

import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The cluster as one node sees it: the parsed output of CLUSTER NODES. The one parser used by
 * converge and check, so both judge the same facts.
 */
public record ClusterNodes(List<ClusterNode> nodes) {

    public ClusterNodes {
        nodes = List.copyOf(nodes);
        if (nodes.stream().filter(ClusterNode::isMyself).count() != 1) {
            throw new IllegalArgumentException("CLUSTER NODES output must have exactly one 'myself' line, got " + nodes.size() + " lines");
        }
    }

    /**
     * Parses CLUSTER NODES: {@code <id> <ip:port@bus[,hostname[,aux]]> <flags> <master|-> <ping-sent>
     * <pong-recv> <config-epoch> <link-state> <slot>...}.
     */
    /** What {@code session}'s node reports now. */
    public static ClusterNodes of(NodeSession session) {
        return parse(session.clusterNodes());
    }

    public static ClusterNodes parse(String text) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (!line.isEmpty()) {
                nodes.add(parseLine(line));
            }
        }
        return new ClusterNodes(nodes);
    }

    static ClusterNode parseLine(String line) {
        String[] f = line.split(" +");
        if (f.length < 8) {
            throw new IllegalArgumentException("not a CLUSTER NODES line (expected at least 8 fields): " + line);
        }
        // Redis 7 appends ",hostname" and later versions ",hostname,aux=..." to the address field.
        String endpoint = f[1].split(",", 2)[0];
        int at = endpoint.lastIndexOf('@');
        String hostPort = at < 0 ? endpoint : endpoint.substring(0, at);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address '" + f[1] + "' is not ip:port@bus in line: " + line);
        }
        int port = parseInt(hostPort.substring(colon + 1), line);
        int bus = at < 0 ? port + 10000 : parseInt(endpoint.substring(at + 1), line);
        Set<String> flags = new LinkedHashSet<>(Arrays.asList(f[2].split(",")));
        Optional<String> master = "-".equals(f[3]) ? Optional.empty() : Optional.of(f[3]);
        List<SlotRange> slots = new ArrayList<>();
        List<OpenSlot> open = new ArrayList<>();
        for (int i = 8; i < f.length; i++) {
            String token = f[i];
            if (token.startsWith("[")) {
                open.add(parseOpenSlot(token, line));
            } else {
                slots.add(SlotRange.parse(token));
            }
        }
        slots.sort(null);
        return new ClusterNode(f[0], hostPort.substring(0, colon), port, bus, flags, master,
                parseLong(f[6], line), f[7], slots, open);
    }

    private static OpenSlot parseOpenSlot(String token, String line) {
        String body = token.substring(1, token.length() - (token.endsWith("]") ? 1 : 0));
        int migrating = body.indexOf("->-");
        int importing = body.indexOf("-<-");
        if (migrating > 0) {
            return new OpenSlot(parseInt(body.substring(0, migrating), line), OpenSlot.Direction.MIGRATING, body.substring(migrating + 3));
        }
        if (importing > 0) {
            return new OpenSlot(parseInt(body.substring(0, importing), line), OpenSlot.Direction.IMPORTING, body.substring(importing + 3));
        }
        throw new IllegalArgumentException("open-slot marker '" + token + "' is not [slot->-id] or [slot-<-id] in line: " + line);
    }

    private static int parseInt(String text, String line) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number in CLUSTER NODES line: " + line, e);
        }
    }

    private static long parseLong(String text, String line) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number in CLUSTER NODES line: " + line, e);
        }
    }

    public ClusterNode myself() {
        return nodes.stream().filter(ClusterNode::isMyself).findFirst().orElseThrow();
    }

    public Optional<ClusterNode> byId(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** Ids of the members this node has fully met: handshakes carry placeholder ids, so they do not count. */
    public Set<String> memberIds() {
        return nodes.stream().filter(n -> !n.isHandshake()).map(ClusterNode::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** True when this node has met no one yet: a fresh node, or one reset with CLUSTER RESET. */
    public boolean knowsOnlyItself() {
        return nodes.size() == 1;
    }

    public List<ClusterNode> replicasOf(String masterId) {
        return nodes.stream().filter(n -> n.isReplica() && n.masterId().filter(masterId::equals).isPresent()).toList();
    }

    /** Who serves which slots, as one node believes: owner id by range, unassigned slots absent. */
    public SortedMap<SlotRange, String> slotOwners() {
        Map<String, TreeSet<Integer>> byOwner = new TreeMap<>();
        Set<Integer> seen = new HashSet<>();
        for (ClusterNode node : nodes) {
            for (SlotRange range : node.slots()) {
                for (int slot = range.first(); slot <= range.last(); slot++) {
                    if (seen.add(slot)) {
                        byOwner.computeIfAbsent(node.id(), k -> new TreeSet<>()).add(slot);
                    }
                }
            }
        }
        SortedMap<SlotRange, String> owners = new TreeMap<>();
        byOwner.forEach((id, slots) -> SlotRange.compress(slots).forEach(r -> owners.put(r, id)));
        return owners;
    }

    public int assignedSlots() {
        return slotOwners().keySet().stream().mapToInt(SlotRange::size).sum();
    }

    /** True when this node belongs to a formed cluster that serves every slot (scaling and roll start from one). */
    public boolean servesEverySlot() {
        return !knowsOnlyItself() && assignedSlots() == SlotRange.SLOT_COUNT;
    }
}
