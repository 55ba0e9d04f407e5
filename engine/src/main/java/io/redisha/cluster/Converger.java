package io.redisha.cluster;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.OpenSlot;
import io.redisha.cluster.model.Parallel;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.ServerVersion;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Brings live nodes to a placement: validate everything, then set epochs, assign missing slots,
 * introduce nodes, attach replicas, and wait until the cluster serves. Every step only does what
 * is missing, so a second run on a matching cluster sends no mutating command and an interrupted
 * run is completed by the next one.
 */
final class Converger {
    /** Below this size every pair is introduced directly: membership completes in one cron tick
     *  instead of several gossip rounds. Above it, about N log N MEETs (see {@link #introductions}),
     *  and membership, slot claims and replica roles spread by gossip (quick while {@link IdleFloors}
     *  lowers the node timeout). */
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
                         MemberView view, long keys, long currentEpoch, Optional<String> masterauth, ServerVersion server) {
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
                Map<NodeAddress, NodeSession> fresh = probes.values().stream().filter(p -> p.view().knowsOnlyItself())
                        .collect(Collectors.toMap(Probe::address, Probe::session, (a, b) -> a, LinkedHashMap::new));
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
            ServerVersion server = session.server();
            boolean enabled = "1".equals(session.info("cluster").get("cluster_enabled"));
            if (!enabled) {
                return new Probe(node, address, session, false, MemberView.parse("x :0@0 myself,master - 0 0 0 connected"), 0, 0, Optional.empty(), server);
            }
            MemberView view = MemberView.of(session);
            long epoch = Long.parseLong(session.clusterInfo().getOrDefault("cluster_current_epoch", "0"));
            Optional<String> masterauth = credentials.password().isPresent() ? session.config("masterauth") : Optional.empty();
            return new Probe(node, address, session, true, view, session.dbSize(), epoch, masterauth, server);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Every problem that makes the nodes unfit for this plan; empty when converging is safe. */
    private static List<String> validate(Plan plan, Map<String, Probe> probes) {
        List<String> problems = new ArrayList<>();
        for (Probe p : probes.values()) {
            p.server().unsupportedReason(p.label()).ifPresent(problems::add);
        }
        serverMix(probes.values()).ifPresent(problems::add);
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
            NodeLine me = p.view().myself();
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
                            + master.view().myself().masterId().map(NodeLine::shortId).orElse("?")
                            + " outside its shard; the cluster differs from the plan, rebalance (a later release) will handle it");
                }
            }
        }
        return problems;
    }

    /**
     * A cluster formed from mixed servers must let any node replicate from any other (a failover can make
     * any of them a master): refused when one could not load another's snapshots, as a roll would be.
     */
    private static Optional<String> serverMix(java.util.Collection<Probe> probes) {
        List<ServerVersion> servers = probes.stream().map(Probe::server).filter(ServerVersion::supported).distinct().sorted().toList();
        for (ServerVersion server : servers) {
            Optional<String> refusal = ServerVersion.rollRefusal(servers, server);
            if (refusal.isPresent()) {
                return Optional.of("the nodes run " + servers.stream().map(ServerVersion::label).collect(Collectors.joining(", "))
                        + ", which cannot replicate from one another: " + refusal.get() + "; start every node on one version");
            }
        }
        return Optional.empty();
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
                p.view().nodes().stream().mapToLong(NodeLine::configEpoch).max().orElse(0))).max().orElse(0);
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

        List<Probe> all = new ArrayList<>(probes.values());
        Map<Probe, List<Probe>> introductions = introductions(all, leaders);
        meet(introductions, parallel, listener, actions);
        Duration interval = pollInterval(all.size());

        // Replicas are attached as soon as each knows its master, one handshake after the MEET, so
        // their first sync overlaps the join instead of following it.
        List<Map.Entry<Probe, Probe>> attach = new ArrayList<>();
        shards.forEach((shard, members) -> {
            Probe leader = leaders.get(shard);
            for (Probe member : members) {
                NodeLine me = member.view().myself();
                if (member != leader && !(me.isReplica() && me.masterId().filter(leader.id()::equals).isPresent())) {
                    attach.add(Map.entry(member, leader));
                }
            }
        });
        attach(attach, parallel, listener, actions, interval);

        Set<String> allIds = all.stream().map(Probe::id).collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<SlotRange>> desired = desiredRanges(plan, leaders);
        Map<String, MemberView> views = new ConcurrentHashMap<>();
        Set<String> announced = new HashSet<>();
        listener.step("join", all.size());
        long[] lastRemeet = {System.nanoTime()};
        Poll.until("every node knows every other node and all agree on the slot map", timeout, interval, untilEveryNode(all, parallel, listener, p -> {
            MemberView view = MemberView.of(p.session());
            views.put(p.node().name(), view);
            Set<String> unknown = new TreeSet<>(allIds);
            unknown.removeAll(view.memberIds());
            if (!unknown.isEmpty()) {
                return Optional.of(p.label() + " does not know " + unknown.size() + " of the other nodes yet");
            }
            if (!agreesOnSlots(view, desired)) {
                return Optional.of(p.label() + " does not agree on the slot map yet (sees " + Count.of(view.assignedSlots(), "slot") + " assigned)");
            }
            return Optional.empty();
        }, () -> {
            if (all.size() <= MESH_LIMIT) {
                // Larger clusters leave it to gossip: a MEET per pair grows with the square of the size.
                announceSlots(all, leaders.values(), views, allIds, announced, actions);
            }
            if (System.nanoTime() - lastRemeet[0] > REMEET_AFTER.toNanos()) {
                lastRemeet[0] = System.nanoTime();
                remeet(introductions, views, actions);
            }
        }));

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
        Poll.until(condition, timeout, interval, untilEveryNode(all, parallel, listener, p -> ready(p, leaderIdOf, readiness), () -> { }));
    }

    /** Between polls of a large cluster: each round reads every pending node, and the reads cost CPU the nodes need. */
    private static Duration pollInterval(int nodes) {
        return Duration.ofMillis(Math.max(Poll.INTERVAL.toMillis(), nodes));
    }

    /**
     * A poll that reads only the nodes not done yet (at 90 nodes a full round is 90 CLUSTER NODES),
     * and, once none is left, one round over every node to confirm. {@code between} runs after each round.
     */
    private static Supplier<Optional<String>> untilEveryNode(List<Probe> all, Parallel parallel, ClusterListener listener,
                                                             Function<Probe, Optional<String>> pending, Runnable between) {
        List<Probe> left = new ArrayList<>(all);
        return () -> {
            while (true) {
                boolean confirming = left.isEmpty();
                List<Probe> check = confirming ? all : List.copyOf(left);
                List<Optional<String>> results = parallel.map(check, pending);
                left.clear();
                for (int i = 0; i < check.size(); i++) {
                    if (results.get(i).isPresent()) {
                        left.add(check.get(i));
                    }
                }
                listener.progress(all.size() - left.size());
                between.run();
                if (!left.isEmpty() || confirming) {
                    return results.stream().flatMap(Optional::stream).findFirst();
                }
            }
        };
    }

    /**
     * CLUSTER REPLICATE on each replica as soon as it knows its master (before that Redis answers
     * "Unknown node"); a replica that still does not know it after {@link #REMEET_AFTER} meets it again.
     */
    private void attach(List<Map.Entry<Probe, Probe>> attach, Parallel parallel, ClusterListener listener, List<String> actions, Duration interval) {
        listener.step("replicate", attach.size());
        List<Map.Entry<Probe, Probe>> left = new ArrayList<>(attach);
        long[] lastMeet = {System.nanoTime()};
        Poll.until("every replica knows its planned master", timeout, interval, () -> {
            boolean remeet = System.nanoTime() - lastMeet[0] > REMEET_AFTER.toNanos();
            if (remeet) {
                lastMeet[0] = System.nanoTime();
            }
            List<Boolean> attached = parallel.map(List.copyOf(left), e -> {
                Probe replica = e.getKey();
                Probe leader = e.getValue();
                try {
                    replica.session().replicate(leader.id());
                } catch (redis.clients.jedis.exceptions.JedisDataException unknown) {
                    if (!String.valueOf(unknown.getMessage()).contains("Unknown node")) {
                        throw unknown;
                    }
                    if (remeet) {
                        replica.session().meet(leader.address());
                        actions.add("CLUSTER MEET " + leader.address() + " on " + replica.label() + " (again: the first handshake timed out)");
                    }
                    return false;
                }
                actions.add("CLUSTER REPLICATE " + leader.id() + " (" + leader.node().name() + ") on " + replica.label());
                return true;
            });
            List<Map.Entry<Probe, Probe>> still = new ArrayList<>();
            for (int i = 0; i < attached.size(); i++) {
                if (!attached.get(i)) {
                    still.add(left.get(i));
                }
            }
            left.clear();
            left.addAll(still);
            listener.progress(attach.size() - left.size());
            return left.stream().findFirst().map(e -> e.getKey().label() + " does not know its master "
                    + e.getValue().label() + " yet");
        });
    }

    /** Every node that serves slots in this view is a leader serving exactly its planned ranges, and every leader is seen serving them. */
    private static boolean agreesOnSlots(MemberView view, Map<String, List<SlotRange>> desired) {
        int owners = 0;
        for (NodeLine n : view.nodes()) {
            if (!n.slots().isEmpty()) {
                if (!n.slots().equals(desired.get(n.id()))) {
                    return false;
                }
                owners++;
            }
        }
        return owners == desired.size();
    }

    /**
     * Once every node knows every other, a master whose slots some node has not learned yet MEETs that
     * node again. A node adopts slot claims only from a known sender's PING, PONG or MEET, and after
     * the handshake the next regular ping between two nodes can be up to half the node timeout away
     * (2.5 s here); a MEET from a known sender is processed at once, and its handshake entry is dropped
     * by the reply. Sent at most once per pair, and never when the slot map already agrees, so a
     * second run on a formed cluster sends none.
     */
    private static void announceSlots(List<Probe> all, java.util.Collection<Probe> leaders, Map<String, MemberView> views,
                                      Set<String> allIds, Set<String> announced, List<String> actions) {
        for (Probe p : all) {
            MemberView view = views.get(p.node().name());
            if (view == null || !view.memberIds().containsAll(allIds)) {
                return;
            }
        }
        for (Probe leader : leaders) {
            List<SlotRange> claimed = views.get(leader.node().name()).myself().slots();
            for (Probe p : all) {
                MemberView view = views.get(p.node().name());
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
     * while the join lasts, each introduction whose two nodes still do not know each other is sent
     * again (from the side that does not know the other): at most the introductions made at first.
     */
    private static void remeet(Map<Probe, List<Probe>> introductions, Map<String, MemberView> views, List<String> actions) {
        introductions.forEach((sender, receivers) -> {
            for (Probe receiver : receivers) {
                MemberView senderView = views.get(sender.node().name());
                MemberView receiverView = views.get(receiver.node().name());
                if (senderView == null || receiverView == null) {
                    continue;
                }
                if (!senderView.memberIds().contains(receiver.id())) {
                    sender.session().meet(receiver.address());
                    actions.add("CLUSTER MEET " + receiver.address() + " on " + sender.label() + " (again: the first handshake timed out)");
                } else if (!receiverView.memberIds().contains(sender.id())) {
                    receiver.session().meet(sender.address());
                    actions.add("CLUSTER MEET " + sender.address() + " on " + receiver.label() + " (again: the first handshake timed out)");
                }
            }
        });
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
        MemberView view = MemberView.of(p.session());
        for (Map.Entry<String, String> pair : leaderIdOf.entrySet()) {
            Optional<NodeLine> replica = view.byId(pair.getKey());
            if (replica.isEmpty() || replica.get().masterId().filter(pair.getValue()::equals).isEmpty()) {
                return Optional.of(p.label() + " does not see " + NodeLine.shortId(pair.getKey()) + " as a replica of "
                        + NodeLine.shortId(pair.getValue()) + " yet");
            }
        }
        return Optional.empty();
    }

    /**
     * Who sends CLUSTER MEET to whom, for the pairs that do not know each other yet (the side that
     * does not know the other sends; the receiver learns the sender too). Up to {@link #MESH_LIMIT}
     * nodes every pair is introduced. Above it, about N log N: each replica meets its master, so it
     * can follow it one handshake later, each master meets the first master, and every node meets the
     * nodes 2, 4, 8, ... (up to N / 2) places further in the plan's order, so any two nodes are a few
     * hops apart and gossip completes the membership in a few rounds. At 90 nodes that is 509
     * MEETs (every pair would be 4005); on a busy 2-core host converge took 2.4 s in each of 3 rounds,
     * against 2.8-5.8 s with the nodes up to N / 8 places further (329 MEETs).
     */
    private static Map<Probe, List<Probe>> introductions(List<Probe> all, Map<Integer, Probe> leaders) {
        Map<Probe, List<Probe>> bySender = new LinkedHashMap<>();
        Set<Set<String>> pairs = new HashSet<>();
        BiConsumer<Probe, Probe> introduce = (a, b) -> {
            if (a == b || (knows(a, b) && knows(b, a)) || !pairs.add(Set.of(a.id(), b.id()))) {
                return;
            }
            Probe sender = knows(a, b) ? b : a;
            bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(sender == a ? b : a);
        };
        if (all.size() <= MESH_LIMIT) {
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    introduce.accept(all.get(i), all.get(j));
                }
            }
            return bySender;
        }
        Map<String, Probe> leaderOf = new LinkedHashMap<>();
        leaders.forEach((shard, leader) -> all.stream().filter(p -> p.node().shard() == shard).forEach(p -> leaderOf.put(p.id(), leader)));
        Probe first = leaders.values().iterator().next();
        for (Probe p : all) {
            Probe leader = leaderOf.get(p.id());
            introduce.accept(p, leader == p ? first : leader);
        }
        for (int step = 2; step <= all.size() / 2; step *= 2) {
            for (int i = 0; i < all.size(); i++) {
                introduce.accept(all.get(i), all.get((i + step) % all.size()));
            }
        }
        return bySender;
    }

    private static void meet(Map<Probe, List<Probe>> introductions, Parallel parallel, ClusterListener listener, List<String> actions) {
        listener.step("meet", introductions.values().stream().mapToInt(List::size).sum());
        AtomicInteger met = new AtomicInteger();
        parallel.map(new ArrayList<>(introductions.entrySet()), e -> {
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

    /** The ranges each leader must be seen serving, by leader id. */
    private static Map<String, List<SlotRange>> desiredRanges(Plan plan, Map<Integer, Probe> leaders) {
        Map<String, TreeSet<Integer>> byOwner = new TreeMap<>();
        leaders.forEach((shard, leader) -> byOwner.computeIfAbsent(leader.id(), k -> new TreeSet<>())
                .addAll(slotsOf(plan.node(PlannedNode.nameOf(shard, 0)).slots())));
        Map<String, List<SlotRange>> ranges = new TreeMap<>();
        byOwner.forEach((id, slots) -> ranges.put(id, SlotRange.compress(slots)));
        return ranges;
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
