package io.redisha.cluster.model;

import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.cluster.transport.Nodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ServerVersion;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * The live cluster as its members describe themselves: each member is asked directly, and its own
 * line of CLUSTER NODES (its slots, its open slots), its CLUSTER INFO and its INFO replication are
 * what count. The one model every verb starts from: converge (scaling), check, fix, reshard,
 * rebalance, heal, drill and roll load one of these snapshots and pass it on; formation and the
 * watchdog read the same {@link MemberView}s (a fresh node's, a peer's) before there is a cluster
 * to load.
 */
public final class LiveCluster {

    /**
     * One line of CLUSTER NODES: how one member sees one node of the cluster.
     *
     * @param host      the IP as the viewing node knows it; empty while the node's own IP is not
     *                  known yet (a fresh node) or for {@code noaddr} entries
     * @param masterId  the id of the master this node replicates; empty for masters
     * @param slots     the slots this node serves, as the viewing node believes
     * @param openSlots slots being migrated or imported; only a node's own line carries them
     */
    public record NodeLine(String id, String host, int port, int busPort, Set<String> flags,
                              Optional<String> masterId, long configEpoch, String linkState,
                              List<SlotRange> slots, List<OpenSlot> openSlots) {

        public NodeLine {
            flags = Set.copyOf(flags);
            slots = List.copyOf(slots);
            openSlots = List.copyOf(openSlots);
        }

        public boolean isMyself() {
            return flags.contains("myself");
        }

        public boolean isMaster() {
            return flags.contains("master");
        }

        public boolean isReplica() {
            return flags.contains("slave");
        }

        /** Still being introduced (CLUSTER MEET in progress): its id is a placeholder until the handshake ends. */
        public boolean isHandshake() {
            return flags.contains("handshake");
        }

        public boolean isFailing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        public boolean isConnected() {
            return "connected".equals(linkState);
        }

        public int slotCount() {
            return SlotRange.total(slots);
        }

        /** The client address, when the viewing node knows it. */
        public Optional<NodeAddress> address() {
            if (host.isEmpty() || flags.contains("noaddr") || port <= 0) {
                return Optional.empty();
            }
            return Optional.of(new NodeAddress(host.contains(":") ? "[" + host + "]" : host, port));
        }

        /** {@code ip:port@bus} as Redis prints it. */
        public String endpoint() {
            return host + ":" + port + "@" + busPort;
        }

        public String shortId() {
            return shortId(id);
        }

        public static String shortId(String id) {
            return id.length() > 8 ? id.substring(0, 8) : id;
        }
    }

    /**
     * The cluster as one member sees it: its CLUSTER NODES, parsed by the one parser converge, check
     * and the watchdog share, so all judge the same facts.
     */
    public record MemberView(List<NodeLine> nodes) {

        public MemberView {
            nodes = List.copyOf(nodes);
            if (nodes.stream().filter(NodeLine::isMyself).count() != 1) {
                throw new IllegalArgumentException("CLUSTER NODES output must have exactly one 'myself' line, got " + nodes.size() + " lines");
            }
        }

        /** What {@code session}'s node reports now. */
        public static MemberView of(NodeSession session) {
            return parse(session.clusterNodes());
        }

        /**
         * Parses CLUSTER NODES: {@code <id> <ip:port@bus[,hostname[,aux]]> <flags> <master|-> <ping-sent>
         * <pong-recv> <config-epoch> <link-state> <slot>...}.
         */
        public static MemberView parse(String text) {
            return new MemberView(ClusterNodesText.parse(text));
        }

        public NodeLine myself() {
            return nodes.stream().filter(NodeLine::isMyself).findFirst().orElseThrow();
        }

        public Optional<NodeLine> byId(String id) {
            return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
        }

        /** Ids of the members this node has fully met: handshakes carry placeholder ids, so they do not count. */
        public Set<String> memberIds() {
            return nodes.stream().filter(n -> !n.isHandshake()).map(NodeLine::id).collect(Collectors.toCollection(TreeSet::new));
        }

        /** True when this node has met no one yet: a fresh node, or one reset with CLUSTER RESET. */
        public boolean knowsOnlyItself() {
            return nodes.size() == 1;
        }

        public List<NodeLine> replicasOf(String masterId) {
            return nodes.stream().filter(n -> n.isReplica() && n.masterId().filter(masterId::equals).isPresent()).toList();
        }

        /** Who serves which slots, as one node believes: owner id by range, unassigned slots absent. */
        public SortedMap<SlotRange, String> slotOwners() {
            Map<String, TreeSet<Integer>> byOwner = new TreeMap<>();
            Set<Integer> seen = new HashSet<>();
            for (NodeLine node : nodes) {
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

    /** One reachable member and its own answers; {@code server} is what its INFO server says it runs. */
    public record Member(NodeAddress address, MemberView view, Map<String, String> clusterInfo,
                         Map<String, String> replication, ServerVersion server) {
        public Member {
            clusterInfo = Map.copyOf(clusterInfo);
            replication = Map.copyOf(replication);
        }

        /** A member whose server is not known (models built from text in tests): the oldest supported Redis. */
        public Member(NodeAddress address, MemberView view, Map<String, String> clusterInfo, Map<String, String> replication) {
            this(address, view, clusterInfo, replication, ServerVersion.minimum(ServerVersion.Engine.REDIS));
        }

        /** Its own line: the truth about its role, slots and open slots. */
        public NodeLine self() {
            return view.myself();
        }

        public String id() {
            return self().id();
        }

        public boolean isMaster() {
            return self().isMaster();
        }

        public boolean isReplica() {
            return self().isReplica();
        }

        /** {@code cluster_state} as the member reports it ({@code ok} when it serves). */
        public String clusterState() {
            return clusterInfo.getOrDefault("cluster_state", "?");
        }

        public String label() {
            return address + " (" + NodeLine.shortId(id()) + ")";
        }
    }

    private final Map<String, Member> members;
    private final List<String> unreachable;

    private LiveCluster(Map<String, Member> members, List<String> unreachable) {
        this.members = members;
        this.unreachable = List.copyOf(unreachable);
    }

    /** A model of members already loaded (tests judge text through it). */
    public static LiveCluster of(List<Member> members, List<String> unreachable) {
        Map<String, Member> byId = new LinkedHashMap<>();
        members.forEach(m -> byId.putIfAbsent(m.id(), m));
        return new LiveCluster(byId, unreachable);
    }

    /**
     * Discovers the members from one seed and loads each member's own answers.
     *
     * @throws ClusterRefusedException when the seed is unreachable or not a cluster node
     */
    public static LiveCluster load(NodeAddress seed, Credentials credentials) {
        return grow(List.of(member(seed, credentials)), List.of(), Map.of(), credentials);
    }

    /**
     * Discovers the members from several seeds, any of which may be down (check reports each node
     * that does not answer instead of refusing).
     */
    public static LiveCluster loadFrom(List<NodeAddress> seeds, Credentials credentials) {
        Asked seeded = ask(seeds, credentials);
        return grow(seeded.members(), seeds, seeded.failed(), credentials);
    }

    /**
     * The first of {@code candidates} that answers and belongs to a cluster serving every slot,
     * loaded from it; empty when none does (fresh nodes, a half-formed cluster).
     */
    public static Optional<LiveCluster> loadServing(java.util.Collection<NodeAddress> candidates, Credentials credentials) {
        for (NodeAddress a : candidates) {
            if (viewOf(a, credentials).filter(MemberView::servesEverySlot).isPresent()) {
                try {
                    return Optional.of(load(a, credentials));
                } catch (RuntimeException e) {
                    // It stopped answering since: try the next.
                }
            }
        }
        return Optional.empty();
    }

    /** How one node sees the cluster; empty when it does not answer (or is not a cluster node). */
    public static Optional<MemberView> viewOf(NodeAddress address, Credentials credentials) {
        try (NodeSession s = NodeSession.open(address, credentials)) {
            return Optional.of(MemberView.of(s));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Member member(NodeAddress address, Credentials credentials) {
        try (NodeSession s = NodeSession.open(address, credentials)) {
            if (!s.clusterEnabled()) {
                throw new ClusterRefusedException(address + " is not a cluster node",
                        List.of(address + ": cluster support is disabled (cluster-enabled no)"));
            }
            // Every verb loads its members here: a server the engine does not support is refused in one line.
            ServerVersion server = s.server();
            server.unsupportedReason(address.toString()).ifPresent(reason -> {
                throw new ClusterRefusedException(address + " runs an unsupported server", List.of(reason));
            });
            return new Member(address, MemberView.of(s), s.clusterInfo(), s.info("replication"), server);
        }
    }

    private record Asked(List<Member> members, Map<NodeAddress, String> failed) {
    }

    private static Asked ask(List<NodeAddress> addresses, Credentials credentials) {
        List<Member> members = new ArrayList<>();
        Map<NodeAddress, String> failed = new LinkedHashMap<>();
        try (Parallel parallel = new Parallel(addresses.size())) {
            List<Object> answers = parallel.map(addresses, a -> {
                try {
                    return (Object) member(a, credentials);
                } catch (RuntimeException e) {
                    return reason(e);
                }
            });
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i) instanceof Member m) {
                    members.add(m);
                } else {
                    failed.put(addresses.get(i), String.valueOf(answers.get(i)));
                }
            }
        }
        return new Asked(members, failed);
    }

    /** Asks every node the answering members know that was not asked yet. */
    private static LiveCluster grow(List<Member> answered, java.util.Collection<NodeAddress> asked, Map<NodeAddress, String> failed,
                                    Credentials credentials) {
        Set<NodeAddress> known = new LinkedHashSet<>();
        answered.forEach(m -> {
            known.add(m.address());
            m.view().nodes().stream().filter(n -> !n.isMyself() && !n.isHandshake()).map(NodeLine::address)
                    .flatMap(Optional::stream).forEach(known::add);
        });
        List<NodeAddress> others = known.stream().filter(a -> !asked.contains(a)
                && answered.stream().noneMatch(m -> m.address().equals(a))).toList();
        Asked rest = ask(others, credentials);
        List<Member> members = new ArrayList<>(answered);
        members.addAll(rest.members());
        List<String> unreachable = new ArrayList<>(failed.values());
        unreachable.addAll(rest.failed().values());
        return of(members, unreachable);
    }

    /** The problems of a refusal name the node and the fix; anything else says what went wrong. */
    private static String reason(RuntimeException e) {
        return e instanceof ClusterRefusedException r && !r.problems().isEmpty() ? String.join("; ", r.problems()) : String.valueOf(e.getMessage());
    }

    /**
     * Refuses (before any change) when a member did not answer: a mutation needs every node.
     *
     * @param headline what is refused and why, e.g. "refusing to fix with members unreachable, nothing was changed"
     */
    public LiveCluster requireReachable(String headline) {
        if (!unreachable.isEmpty()) {
            throw new ClusterRefusedException(headline, unreachable);
        }
        return this;
    }

    /** The member asked first (the seed). */
    public Member seed() {
        return members.values().iterator().next();
    }

    /** Every node id the members know, with its address: a member's own, else as the members list it. */
    public Map<String, NodeAddress> addressById() {
        Map<String, NodeAddress> out = new LinkedHashMap<>();
        members.values().forEach(m -> m.view().nodes().stream().filter(n -> !n.isHandshake() && n.address().isPresent())
                .forEach(n -> out.putIfAbsent(n.id(), n.address().get())));
        members.values().forEach(m -> out.put(m.id(), m.address()));
        return out;
    }

    /** Members and the nodes that did not answer. */
    public int known() {
        return members.size() + unreachable.size();
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

    /** The member at {@code address} (host names resolved: the cluster lists IPs). */
    public Optional<Member> memberAt(NodeAddress address) {
        return members.values().stream().filter(m -> Nodes.same(m.address(), address)).findFirst();
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
            try (NodeSession s = NodeSession.open(require(id).address(), credentials)) {
                counts.putAll(s.countKeys(list));
            }
        });
        return counts;
    }
}
