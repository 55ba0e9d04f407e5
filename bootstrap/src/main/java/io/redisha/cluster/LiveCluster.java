package io.redisha.cluster;

import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * The live cluster as its members describe themselves: each member is asked directly, and its own
 * line of CLUSTER NODES (its slots, its open slots) is what counts. Slot moves, fix and rebalance
 * all start from one of these snapshots.
 */
public final class LiveCluster {

    /** One reachable member and how it sees itself. */
    public record Member(String id, NodeAddress address, ClusterNode self, ClusterNodes view) {
        public boolean isMaster() {
            return self.isMaster();
        }

        public boolean isReplica() {
            return self.isReplica();
        }

        public String label() {
            return address + " (" + ClusterNode.shortId(id) + ")";
        }
    }

    private final Map<String, Member> members;
    private final List<String> unreachable;

    private LiveCluster(Map<String, Member> members, List<String> unreachable) {
        this.members = members;
        this.unreachable = List.copyOf(unreachable);
    }

    /**
     * Discovers the members from one seed and loads each member's own view.
     *
     * @throws ClusterRefusedException when the seed is unreachable or not a cluster node
     */
    public static LiveCluster load(NodeAddress seed, Credentials credentials) {
        ClusterNodes seedView = view(seed, credentials);
        Map<String, NodeAddress> addresses = new LinkedHashMap<>();
        addresses.put(seedView.myself().id(), seed);
        for (ClusterNode n : seedView.nodes()) {
            if (!n.isMyself() && !n.isHandshake() && n.address().isPresent() && !n.flags().contains("noaddr")) {
                addresses.putIfAbsent(n.id(), n.address().get());
            }
        }
        Map<String, Member> members = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        List<Map.Entry<String, NodeAddress>> entries = new ArrayList<>(addresses.entrySet());
        try (Parallel parallel = new Parallel(entries.size())) {
            List<Object> loaded = parallel.map(entries, e -> {
                try {
                    ClusterNodes v = e.getValue().equals(seed) ? seedView : view(e.getValue(), credentials);
                    return (Object) new Member(v.myself().id(), e.getValue(), v.myself(), v);
                } catch (RuntimeException ex) {
                    return e.getValue() + " (" + ClusterNode.shortId(e.getKey()) + "): " + ex.getMessage();
                }
            });
            for (Object o : loaded) {
                if (o instanceof Member m) {
                    members.put(m.id(), m);
                } else {
                    unreachable.add(String.valueOf(o));
                }
            }
        }
        return new LiveCluster(members, unreachable);
    }

    static ClusterNodes view(NodeAddress address, Credentials credentials) {
        Jedis jedis = Nodes.connect(address, credentials, 10_000);
        try {
            return ClusterNodes.parse(jedis.clusterNodes());
        } finally {
            Nodes.closeQuietly(jedis);
        }
    }

    public List<Member> members() {
        return List.copyOf(members.values());
    }

    public List<String> unreachable() {
        return unreachable;
    }

    public Optional<Member> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    public Member require(String id) {
        Member m = members.get(id);
        if (m == null) {
            throw new ClusterRefusedException("no reachable member has id " + id, List.of("known members: "
                    + String.join(", ", members.values().stream().map(Member::label).toList())));
        }
        return m;
    }

    /** Finds a member by full id, id prefix (at least 4 characters) or HOST:PORT. */
    public Optional<Member> find(String idOrAddress) {
        for (Member m : members.values()) {
            if (m.address().toString().equals(idOrAddress) || m.id().equals(idOrAddress)) {
                return Optional.of(m);
            }
        }
        List<Member> byPrefix = idOrAddress.length() >= 4
                ? members.values().stream().filter(m -> m.id().startsWith(idOrAddress)).toList() : List.of();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    public List<Member> masters() {
        return members.values().stream().filter(Member::isMaster).toList();
    }

    /**
     * Who owns each slot: the member that claims it in its own line; when two claim one slot (a move
     * half finished), the one with the higher config epoch, as Redis itself decides.
     */
    public Map<Integer, String> owners() {
        Map<Integer, Member> owner = new TreeMap<>();
        for (Member m : masters()) {
            for (SlotRange r : m.self().slots()) {
                for (int s = r.first(); s <= r.last(); s++) {
                    Member other = owner.get(s);
                    if (other == null || m.self().configEpoch() > other.self().configEpoch()) {
                        owner.put(s, m);
                    }
                }
            }
        }
        Map<Integer, String> ids = new TreeMap<>();
        owner.forEach((s, m) -> ids.put(s, m.id()));
        return ids;
    }

    /** Every master with the slots it owns (empty masters included), in id order. */
    public Map<String, List<SlotRange>> ownedRanges() {
        Map<String, TreeSet<Integer>> by = new TreeMap<>();
        masters().forEach(m -> by.put(m.id(), new TreeSet<>()));
        owners().forEach((slot, id) -> by.computeIfAbsent(id, k -> new TreeSet<>()).add(slot));
        Map<String, List<SlotRange>> out = new LinkedHashMap<>();
        by.forEach((id, slots) -> out.put(id, SlotRange.compress(slots)));
        return out;
    }

    /** Open-slot markers of every member: node id to its markers. */
    public Map<String, List<OpenSlot>> openSlots() {
        Map<String, List<OpenSlot>> open = new LinkedHashMap<>();
        for (Member m : members.values()) {
            if (!m.self().openSlots().isEmpty()) {
                open.put(m.id(), m.self().openSlots());
            }
        }
        return open;
    }

    public Set<Integer> openSlotNumbers() {
        Set<Integer> slots = new TreeSet<>();
        openSlots().values().forEach(l -> l.forEach(o -> slots.add(o.slot())));
        return slots;
    }

    public int assignedSlots() {
        return owners().size();
    }

    public Set<String> ids() {
        return new LinkedHashSet<>(members.keySet());
    }

    /** Keys in each slot right now, asked of each slot's owner with pipelined CLUSTER COUNTKEYSINSLOT. */
    public Map<Integer, Long> countKeys(java.util.Collection<Integer> slots, Credentials credentials) {
        Map<Integer, String> owners = owners();
        Map<String, List<Integer>> byOwner = new TreeMap<>();
        for (int s : slots) {
            String owner = owners.get(s);
            if (owner != null) {
                byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(s);
            }
        }
        Map<Integer, Long> counts = new TreeMap<>();
        byOwner.forEach((id, list) -> {
            Jedis jedis = Nodes.connect(require(id).address(), credentials, 10_000);
            try {
                List<Object> replies = SlotMover.pipeline(jedis, list.stream().map(s -> new byte[][] {Nodes.bytes("CLUSTER"),
                        Nodes.bytes("COUNTKEYSINSLOT"), Nodes.bytes(s)}).toList());
                for (int i = 0; i < list.size(); i++) {
                    counts.put(list.get(i), replies.get(i) instanceof Long n ? n : 0L);
                }
            } finally {
                Nodes.closeQuietly(jedis);
            }
        });
        return counts;
    }
}
