package io.redisha.cluster;

import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Brings live nodes to a placement: validate everything, then set epochs, assign missing slots,
 * introduce nodes, attach replicas, and wait until the cluster serves. Every step only does what
 * is missing, so a second run on a matching cluster sends no mutating command and an interrupted
 * run is completed by the next one.
 */
final class Converger {
    /** Below this size every pair is introduced directly: membership completes in one cron tick
     *  instead of several gossip rounds. Above it, a star keeps the command count linear, and slot
     *  claims and replica roles spread by gossip (quick while {@link IdleFloors} lowers the node timeout). */
    private static final int MESH_LIMIT = 64;
    /** How long the join may lack a member before handshakes that timed out are started again. */
    private static final Duration REMEET_AFTER = Duration.ofSeconds(2);

    private final Duration timeout;
    private final Readiness readiness;

    Converger(Duration timeout, Readiness readiness) {
        this.timeout = timeout;
        this.readiness = readiness;
    }

    /** What was found on one node before anything changed. */
    private record Probe(PlannedNode node, NodeAddress address, NodeSession session, boolean clusterEnabled,
                         ClusterNodes view, long keys, long currentEpoch, Optional<String> masterauth) {
        String label() {
            return node.name() + " (" + address + ")";
        }

        String id() {
            return view.myself().id();
        }
    }

    ConvergeResult converge(Placement placement, Credentials credentials, ClusterListener listener) {
        long start = System.nanoTime();
        List<PlannedNode> planned = placement.plan().nodes();
        try (Parallel parallel = new Parallel(planned.size())) {
            listener.step("connect", planned.size());
            AtomicInteger connected = new AtomicInteger();
            Parallel.Outcome<Probe> outcome = parallel.attempt(planned, node -> {
                Probe probe = probe(node, placement.addressOf(node.name()), credentials);
                listener.progress(connected.incrementAndGet());
                return probe;
            });
            Map<String, Probe> probes = new LinkedHashMap<>();
            outcome.ok().forEach(p -> probes.put(p.node().name(), p));
            try {
                List<String> problems = new ArrayList<>();
                for (RuntimeException failure : outcome.failed()) {
                    problems.addAll(failure instanceof ClusterRefusedException r ? r.problems() : List.of(String.valueOf(failure.getMessage())));
                }
                if (problems.isEmpty()) {
                    problems.addAll(validate(placement.plan(), probes));
                }
                if (!problems.isEmpty()) {
                    throw new ClusterRefusedException("refusing to converge, nothing was changed; fix the following and run again", problems);
                }
                List<String> actions = Collections.synchronizedList(new ArrayList<>());
                // Fresh nodes hold no data and serve no client: they form without the idle floors.
                List<NodeAddress> fresh = probes.values().stream().filter(p -> p.view().knowsOnlyItself()).map(Probe::address).toList();
                try (IdleFloors floors = IdleFloors.lower(fresh, planned.size(), credentials, actions)) {
                    form(placement.plan(), probes, parallel, listener, actions);
                }
                int masters = placement.plan().masters();
                return new ConvergeResult(actions, Duration.ofNanos(System.nanoTime() - start), planned.size(),
                        masters, planned.size() - masters, readiness);
            } finally {
                probes.values().forEach(p -> p.session().close());
            }
        }
    }

    private static Probe probe(PlannedNode node, NodeAddress address, Credentials credentials) {
        NodeSession session = NodeSession.open(address, credentials);
        try {
            boolean enabled = "1".equals(session.info("cluster").get("cluster_enabled"));
            if (!enabled) {
                return new Probe(node, address, session, false, ClusterNodes.parse("x :0@0 myself,master - 0 0 0 connected"), 0, 0, Optional.empty());
            }
            ClusterNodes view = session.nodes();
            long epoch = Long.parseLong(session.clusterInfo().getOrDefault("cluster_current_epoch", "0"));
            Optional<String> masterauth = credentials.password().isPresent() ? session.config("masterauth") : Optional.empty();
            return new Probe(node, address, session, true, view, session.dbSize(), epoch, masterauth);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Every problem that makes the nodes unfit for this plan; empty when converging is safe. */
    private static List<String> validate(Plan plan, Map<String, Probe> probes) {
        List<String> problems = new ArrayList<>();
        for (Probe p : probes.values()) {
            if (!p.clusterEnabled()) {
                problems.add(p.label() + ": cluster support is disabled; start redis-server with 'cluster-enabled yes'");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        Map<String, String> nameById = new LinkedHashMap<>();
        for (Probe p : probes.values()) {
            String other = nameById.putIfAbsent(p.id(), p.label());
            if (other != null) {
                problems.add(p.label() + " and " + other + " are the same redis-server (node id " + p.id()
                        + "); list each node once, by the address it listens on");
            }
        }
        for (Probe p : probes.values()) {
            ClusterNode me = p.view().myself();
            List<String> foreign = p.view().nodes().stream()
                    .filter(n -> !n.isMyself() && !n.isHandshake() && !nameById.containsKey(n.id()))
                    .map(n -> n.endpoint() + " (id " + n.shortId() + ")").toList();
            if (!foreign.isEmpty()) {
                problems.add(p.label() + " belongs to another cluster: it knows " + String.join(", ", foreign)
                        + ", which this plan does not list; use a fresh node, or CLUSTER RESET HARD it if that cluster is gone");
            }
            if (!me.openSlots().isEmpty()) {
                problems.add(p.label() + " has open slots (" + me.openSlots().stream().map(OpenSlot::toString).collect(Collectors.joining(", "))
                        + ") from an interrupted slot move; close them first (redis-cli --cluster fix " + p.address() + "), then run again");
            }
            boolean notAMember = p.view().knowsOnlyItself() || (me.isMaster() && me.slots().isEmpty());
            if (p.keys() > 0 && notAMember) {
                problems.add(p.label() + " holds " + Count.of(p.keys(), "key") + " but is not a member of this cluster; converge only forms"
                        + " clusters from empty nodes. Use an empty node, or FLUSHALL it if the data is disposable");
            }
            if (p.masterauth().filter(String::isEmpty).isPresent()) {
                problems.add(p.label() + " has no masterauth, so as a replica it could not authenticate to its master;"
                        + " set masterauth to the requirepass password (redis.conf, or CONFIG SET masterauth) and run again");
            }
            Set<Integer> allowed = slotsOf(plan.node(PlannedNode.nameOf(p.node().shard(), 0)).slots());
            List<SlotRange> stray = me.slots().stream().filter(r -> !allowed.containsAll(slotsOf(List.of(r)))).toList();
            if (!stray.isEmpty()) {
                problems.add(p.label() + " serves slots " + stray.stream().map(SlotRange::toString).collect(Collectors.joining(","))
                        + " that the plan gives to another shard (shard " + p.node().shard() + " plans "
                        + plan.node(PlannedNode.nameOf(p.node().shard(), 0)).slots() + "). Slot ownership differs from the plan;"
                        + " moving slots is rebalance's job (a later release), so nothing was changed");
            }
        }
        for (List<Probe> shard : shards(probes).values()) {
            List<Probe> serving = shard.stream().filter(p -> p.view().myself().isMaster() && !p.view().myself().slots().isEmpty()).toList();
            if (serving.size() > 1) {
                problems.add("shard " + shard.get(0).node().shard() + " has " + Count.of(serving.size(), "master") + " serving slots ("
                        + serving.stream().map(Probe::label).collect(Collectors.joining(", ")) + "); slot ownership differs from the plan;"
                        + " rebalance (a later release) will handle it, nothing was changed");
            }
        }
        if (problems.isEmpty()) {
            for (List<Probe> shard : shards(probes).values()) {
                Probe master = liveMaster(shard);
                if (master.view().myself().isReplica()) {
                    problems.add(master.label() + " should lead shard " + master.node().shard() + " but replicates "
                            + master.view().myself().masterId().map(ClusterNode::shortId).orElse("?")
                            + " outside its shard; the cluster differs from the plan, rebalance (a later release) will handle it");
                }
            }
        }
        return problems;
    }

    private static Map<Integer, List<Probe>> shards(Map<String, Probe> probes) {
        Map<Integer, List<Probe>> shards = new TreeMap<>();
        probes.values().forEach(p -> shards.computeIfAbsent(p.node().shard(), s -> new ArrayList<>()).add(p));
        shards.values().forEach(list -> list.sort((a, b) -> Integer.compare(a.node().member(), b.node().member())));
        return shards;
    }

    /**
     * The member that leads the shard today: the one serving its slots (after a failover that may be
     * a planned replica; converge keeps it, heal restores zones), else one its peers already follow,
     * else the planned master.
     */
    private static Probe liveMaster(List<Probe> shard) {
        for (Probe p : shard) {
            if (p.view().myself().isMaster() && !p.view().myself().slots().isEmpty()) {
                return p;
            }
        }
        for (Probe p : shard) {
            Optional<String> followed = p.view().myself().masterId();
            Optional<Probe> leader = shard.stream().filter(q -> followed.filter(q.id()::equals).isPresent()).findFirst();
            if (leader.isPresent() && leader.get().view().myself().isMaster()) {
                return leader.get();
            }
        }
        return shard.get(0);
    }

    private void form(Plan plan, Map<String, Probe> probes, Parallel parallel, ClusterListener listener, List<String> actions) {
        Map<Integer, List<Probe>> shards = shards(probes);
        Map<Integer, Probe> leaders = new TreeMap<>();
        shards.forEach((shard, members) -> leaders.put(shard, liveMaster(members)));

        // Distinct config epochs before the nodes meet, as redis-cli does: masters that start with equal
        // epochs must first resolve a collision, which delays agreement on the slot map.
        long base = probes.values().stream().mapToLong(p -> Math.max(p.currentEpoch(),
                p.view().nodes().stream().mapToLong(ClusterNode::configEpoch).max().orElse(0))).max().orElse(0);
        List<Probe> freshLeaders = leaders.values().stream()
                .filter(p -> p.view().knowsOnlyItself() && p.view().myself().configEpoch() == 0).toList();
        listener.step("config epochs", freshLeaders.size());
        AtomicInteger epochs = new AtomicInteger();
        parallel.map(freshLeaders, p -> {
            long epoch = base + 1 + p.node().shard();
            try {
                p.session().setConfigEpoch(epoch);
                actions.add("CLUSTER SET-CONFIG-EPOCH " + epoch + " on " + p.label());
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                // A MEET from an earlier run reached it after the probe: it is no longer alone, and Redis
                // resolves equal epochs by itself (the only cost of skipping is that collision round).
                if (!String.valueOf(e.getMessage()).contains("does not know any other node")) {
                    throw e;
                }
            }
            listener.progress(epochs.incrementAndGet());
            return p;
        });

        Map<Probe, List<SlotRange>> missing = new LinkedHashMap<>();
        shards.forEach((shard, members) -> {
            TreeSet<Integer> want = new TreeSet<>(slotsOf(plan.node(PlannedNode.nameOf(shard, 0)).slots()));
            members.forEach(m -> want.removeAll(slotsOf(m.view().myself().slots())));
            if (!want.isEmpty()) {
                missing.put(leaders.get(shard), SlotRange.compress(want));
            }
        });
        listener.step("assign slots", missing.size());
        AtomicInteger assigned = new AtomicInteger();
        parallel.map(new ArrayList<>(missing.entrySet()), e -> {
            e.getKey().session().addSlots(e.getValue());
            actions.add("CLUSTER ADDSLOTSRANGE " + e.getValue().stream().map(r -> r.first() + " " + r.last()).collect(Collectors.joining(" "))
                    + " on " + e.getKey().label());
            listener.progress(assigned.incrementAndGet());
            return e;
        });

        meet(new ArrayList<>(probes.values()), parallel, listener, actions);

        Set<String> allIds = probes.values().stream().map(Probe::id).collect(Collectors.toCollection(TreeSet::new));
        SortedMap<SlotRange, String> desired = desiredOwners(plan, leaders);
        Map<String, ClusterNodes> views = new ConcurrentHashMap<>();
        List<Probe> all = new ArrayList<>(probes.values());
        Set<String> announced = new java.util.HashSet<>();
        listener.step("join", all.size());
        long[] lastRemeet = {System.nanoTime()};
        Poll.until("every node knows every other node and all agree on the slot map", timeout, () -> {
            List<Optional<String>> pending = parallel.map(all, p -> {
                ClusterNodes view = p.session().nodes();
                views.put(p.node().name(), view);
                Set<String> unknown = new TreeSet<>(allIds);
                unknown.removeAll(view.memberIds());
                if (!unknown.isEmpty()) {
                    return Optional.of(p.label() + " does not know " + unknown.size() + " of the other nodes yet");
                }
                if (!view.slotOwners().equals(desired)) {
                    return Optional.of(p.label() + " does not agree on the slot map yet (sees " + Count.of(view.assignedSlots(), "slot") + " assigned)");
                }
                return Optional.empty();
            });
            listener.progress((int) pending.stream().filter(Optional::isEmpty).count());
            if (all.size() <= MESH_LIMIT) {
                // Larger clusters leave it to gossip: a MEET per pair grows with the square of the size.
                announceSlots(all, leaders.values(), views, allIds, announced, actions);
            }
            if (System.nanoTime() - lastRemeet[0] > REMEET_AFTER.toNanos()) {
                lastRemeet[0] = System.nanoTime();
                remeet(all, views, actions);
            }
            return pending.stream().flatMap(Optional::stream).findFirst();
        });

        List<Map.Entry<Probe, Probe>> attach = new ArrayList<>();
        shards.forEach((shard, members) -> {
            Probe leader = leaders.get(shard);
            for (Probe member : members) {
                ClusterNode me = views.get(member.node().name()).myself();
                if (member != leader && !(me.isReplica() && me.masterId().filter(leader.id()::equals).isPresent())) {
                    attach.add(Map.entry(member, leader));
                }
            }
        });
        listener.step("replicate", attach.size());
        AtomicInteger attached = new AtomicInteger();
        parallel.map(attach, e -> {
            e.getKey().session().replicate(e.getValue().id());
            actions.add("CLUSTER REPLICATE " + e.getValue().id() + " (" + e.getValue().node().name() + ") on " + e.getKey().label());
            listener.progress(attached.incrementAndGet());
            return e;
        });
        // Like the slot announcement above: a new replica's role reaches the others only with its next
        // ping, seconds away; a MEET from the (already known) replica carries its new master at once.
        parallel.map(all.size() <= MESH_LIMIT ? attach : List.<Map.Entry<Probe, Probe>>of(), e -> {
            Probe replica = e.getKey();
            for (Probe other : all) {
                if (other != replica) {
                    replica.session().meet(other.address());
                    actions.add("CLUSTER MEET " + other.address() + " on " + replica.label() + " (announces its master)");
                }
            }
            return e;
        });

        Map<String, String> leaderIdOf = new LinkedHashMap<>();
        shards.forEach((shard, members) -> members.stream().filter(m -> m != leaders.get(shard))
                .forEach(m -> leaderIdOf.put(m.id(), leaders.get(shard).id())));
        listener.step("sync", all.size());
        String condition = readiness == Readiness.SERVING
                ? "cluster_state:ok on every node and every replica's link to its master is up"
                : "every node sees every replica attached to its planned master";
        Poll.until(condition, timeout, () -> {
            List<Optional<String>> pending = parallel.map(all, p -> ready(p, leaderIdOf, readiness));
            listener.progress((int) pending.stream().filter(Optional::isEmpty).count());
            return pending.stream().flatMap(Optional::stream).findFirst();
        });
    }

    /**
     * Once every node knows every other, a master whose slots some node has not learned yet MEETs that
     * node again. A node adopts slot claims only from a known sender's PING, PONG or MEET, and after
     * the handshake the next regular ping between two nodes can be up to half the node timeout away
     * (2.5 s here); a MEET from a known sender is processed at once, and its handshake entry is dropped
     * by the reply. Sent at most once per pair, and never when the slot map already agrees, so a
     * second run on a formed cluster sends none.
     */
    private static void announceSlots(List<Probe> all, java.util.Collection<Probe> leaders, Map<String, ClusterNodes> views,
                                      Set<String> allIds, Set<String> announced, List<String> actions) {
        for (Probe p : all) {
            ClusterNodes view = views.get(p.node().name());
            if (view == null || !view.memberIds().containsAll(allIds)) {
                return;
            }
        }
        for (Probe leader : leaders) {
            List<SlotRange> claimed = views.get(leader.node().name()).myself().slots();
            for (Probe p : all) {
                ClusterNodes view = views.get(p.node().name());
                boolean learned = view.byId(leader.id()).map(n -> n.slots().equals(claimed)).orElse(false);
                if (p != leader && !learned && !claimed.isEmpty() && announced.add(leader.id() + ">" + p.id())) {
                    leader.session().meet(p.address());
                    actions.add("CLUSTER MEET " + p.address() + " on " + leader.label() + " (announces its slots)");
                }
            }
        }
    }

    /**
     * A handshake that does not finish within the node timeout is dropped by Redis, and nobody sends
     * that MEET again; on a loaded host (or with the node timeout lowered for formation) some do. So
     * while the join lasts, a node that still does not know the first node MEETs it again, and the
     * first node MEETs every node it does not know: linear in the cluster size, and gossip from the
     * first node spreads the rest.
     */
    private static void remeet(List<Probe> all, Map<String, ClusterNodes> views, List<String> actions) {
        Probe first = all.get(0);
        ClusterNodes firstView = views.get(first.node().name());
        for (Probe p : all) {
            ClusterNodes view = views.get(p.node().name());
            if (p == first || view == null || firstView == null) {
                continue;
            }
            if (!view.memberIds().contains(first.id())) {
                p.session().meet(first.address());
                actions.add("CLUSTER MEET " + first.address() + " on " + p.label() + " (again: the first handshake timed out)");
            } else if (!firstView.memberIds().contains(p.id())) {
                first.session().meet(p.address());
                actions.add("CLUSTER MEET " + p.address() + " on " + first.label() + " (again: the first handshake timed out)");
            }
        }
    }

    /** What still keeps one node from being done, or empty. */
    private static Optional<String> ready(Probe p, Map<String, String> leaderIdOf, Readiness readiness) {
        String state = readiness == Readiness.SERVING ? p.session().clusterInfo().getOrDefault("cluster_state", "?") : "ok";
        if (!"ok".equals(state)) {
            return Optional.of(p.label() + " reports cluster_state:" + state);
        }
        if (readiness == Readiness.SERVING && leaderIdOf.containsKey(p.id())) {
            Map<String, String> replication = p.session().info("replication");
            String link = replication.getOrDefault("master_link_status", "?");
            if (!"slave".equals(replication.get("role")) || !"up".equals(link)) {
                String hint = p.masterauth().isPresent()
                        ? "; if this lasts, check that masterauth equals the masters' requirepass and that the master's port is reachable"
                        : "";
                return Optional.of(p.label() + " replica link to its master is " + link + hint);
            }
        }
        ClusterNodes view = p.session().nodes();
        for (Map.Entry<String, String> pair : leaderIdOf.entrySet()) {
            Optional<ClusterNode> replica = view.byId(pair.getKey());
            if (replica.isEmpty() || replica.get().masterId().filter(pair.getValue()::equals).isEmpty()) {
                return Optional.of(p.label() + " does not see " + ClusterNode.shortId(pair.getKey()) + " as a replica of "
                        + ClusterNode.shortId(pair.getValue()) + " yet");
            }
        }
        return Optional.empty();
    }

    /** Introduces every pair that does not know each other yet; one MEET per pair, sent by one side. */
    private void meet(List<Probe> probes, Parallel parallel, ClusterListener listener, List<String> actions) {
        Map<Probe, List<Probe>> bySender = new LinkedHashMap<>();
        int count = 0;
        for (int i = 0; i < probes.size(); i++) {
            for (int j = i + 1; j < probes.size(); j++) {
                Probe a = probes.get(i);
                Probe b = probes.get(j);
                boolean star = probes.size() > MESH_LIMIT;
                if (star && i != 0) {
                    break;
                }
                boolean aKnowsB = knows(a, b);
                boolean bKnowsA = knows(b, a);
                if (!aKnowsB) {
                    // The side that does not know the other sends MEET; the receiver learns the sender too.
                    bySender.computeIfAbsent(star ? b : a, k -> new ArrayList<>()).add(star ? a : b);
                    count++;
                } else if (!bKnowsA) {
                    bySender.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
                    count++;
                }
            }
        }
        listener.step("meet", count);
        AtomicInteger met = new AtomicInteger();
        parallel.map(new ArrayList<>(bySender.entrySet()), e -> {
            for (Probe other : e.getValue()) {
                e.getKey().session().meet(other.address());
                actions.add("CLUSTER MEET " + other.address() + " on " + e.getKey().label());
                listener.progress(met.incrementAndGet());
            }
            return e;
        });
    }

    private static boolean knows(Probe who, Probe other) {
        return who == other || who.view().memberIds().contains(other.id());
    }

    private static SortedMap<SlotRange, String> desiredOwners(Plan plan, Map<Integer, Probe> leaders) {
        Map<String, TreeSet<Integer>> byOwner = new TreeMap<>();
        leaders.forEach((shard, leader) -> byOwner.computeIfAbsent(leader.id(), k -> new TreeSet<>())
                .addAll(slotsOf(plan.node(PlannedNode.nameOf(shard, 0)).slots())));
        SortedMap<SlotRange, String> owners = new TreeMap<>();
        byOwner.forEach((id, slots) -> SlotRange.compress(slots).forEach(r -> owners.put(r, id)));
        return owners;
    }

    static Set<Integer> slotsOf(List<SlotRange> ranges) {
        Set<Integer> slots = new TreeSet<>();
        ranges.forEach(r -> {
            for (int s = r.first(); s <= r.last(); s++) {
                slots.add(s);
            }
        });
        return slots;
    }
}
