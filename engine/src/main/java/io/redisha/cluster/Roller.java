package io.redisha.cluster;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.Parallel;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.cluster.transport.Nodes;
import io.redisha.topology.InvalidInputException;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Role;
import io.redisha.topology.RollOrder;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rolling replacement: each old node gives way to a new, empty node that joins the same shard in
 * the same zone, syncs, takes over the slots with a graceful {@code CLUSTER FAILOVER} when the old
 * node is a master, and only then is the old node forgotten. Order from {@link RollOrder}: replicas
 * first, one node at a time. Every step is derived from the live cluster, so a run killed anywhere
 * is finished by running it again with the same replacements. Ends with heal and check.
 */
public final class Roller {
    /** Test hook: halt the JVM (like kill -9) the first time the roll reaches this step. */
    static final String HALT_AT_ENV = "REDIS_HA_TEST_ROLL_HALT_AT";
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /** The steps the halt hook knows, in the order one replacement passes them. */
    static final List<String> STEPS = List.of("meet", "replicate", "synced", "failover", "forget");

    /** Replace {@code old} by {@code replacement}. */
    public record Replacement(NodeAddress old, NodeAddress replacement) {
        /** Parses {@code OLD=NEW}, both HOST:PORT. */
        public static Replacement parse(String text) {
            int eq = text == null ? -1 : text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new InvalidInputException("replace", text, "OLD=NEW with both HOST:PORT, e.g. 10.0.1.15:6379=10.0.1.77:6379");
            }
            return new Replacement(NodeAddress.parse(text.substring(0, eq)), NodeAddress.parse(text.substring(eq + 1)));
        }
    }

    /** What happens to an old node once every member has forgotten it (it is already out of the cluster). */
    public interface Retirement {
        /** Keep the process: it was reset and knows only itself. */
        Retirement KEEP = old -> { };

        /** Called once the old node left the cluster (and was reset when it answered), and again on a rerun: must be idempotent. */
        void retire(NodeAddress old);
    }

    /** {@code --shutdown-old}: SHUTDOWN NOSAVE on an old node that has left the cluster; nothing when it is already down. */
    public static Retirement shutdown(Credentials credentials) {
        ShutdownFaults faults = new ShutdownFaults(credentials);
        return old -> {
            if (NodeSession.answers(old, credentials, 1_000)) {
                faults.kill(old);
            }
        };
    }

    /** One master handover, as measured: from the failover sent until the new master serves and every member agrees. */
    public record Handover(String shard, NodeAddress from, NodeAddress to, java.time.Instant started, Duration took) {
    }

    public record Outcome(List<RollOrder.Step> steps, List<String> done, List<Handover> handovers, List<String> heal,
                          CheckReport check) {
    }

    private final Credentials credentials;
    private final Map<NodeAddress, String> zones;
    private final Duration timeout;
    private final GracefulFailover failover;
    private final Optional<NodeAddress> seed;

    /** @param zones the zone of every current member (new nodes take the zone of the node they replace) */
    public Roller(Credentials credentials, Map<NodeAddress, String> zones, Duration timeout) {
        this(credentials, zones, timeout, Optional.empty());
    }

    /** @param seed a member to ask (the CLI's HOST:PORT), after the new nodes that have joined */
    public Roller(Credentials credentials, Map<NodeAddress, String> zones, Duration timeout, Optional<NodeAddress> seed) {
        if (zones.isEmpty()) {
            throw new InvalidInputException("zones", "(none)", "--zones HOST:PORT@ZONE for every node: new nodes take the zone of the node they replace");
        }
        if (!Halt.AT.isEmpty() && !STEPS.contains(Halt.AT)) {
            throw new InvalidInputException(HALT_AT_ENV, Halt.AT, "one of " + STEPS + " (a test hook), or unset");
        }
        this.credentials = credentials;
        this.zones = Map.copyOf(zones);
        this.timeout = timeout;
        this.failover = new GracefulFailover(credentials, timeout);
        this.seed = seed;
    }

    /**
     * The order and handovers from the live cluster; changes nothing. Refuses replacements that do
     * not fit (unknown old node, a new node that holds data or belongs to another cluster).
     */
    public List<RollOrder.Step> plan(List<Replacement> replacements) {
        return plan(replacements, true);
    }

    /** @param newNodesStarted false for a dry run before the new nodes exist: their fitness is checked by the roll itself */
    public List<RollOrder.Step> plan(List<Replacement> replacements, boolean newNodesStarted) {
        // A node replaced twice, or a new node that is itself replaced, is refused before any node is asked.
        RollOrder.order(replacements.stream().map(r -> new RollOrder.Replacement(r.old().toString(), r.replacement().toString(),
                "?", Role.REPLICA, "?")).toList());
        NodeAddress seed = seed(replacements);
        LiveCluster live = LiveCluster.load(seed, credentials);
        List<String> problems = new ArrayList<>();
        List<RollOrder.Replacement> described = new ArrayList<>();
        for (Replacement r : replacements) {
            Optional<LiveCluster.Member> old = live.memberAt(r.old());
            Optional<LiveCluster.Member> neu = live.memberAt(r.replacement());
            String zone = zoneOf(r, problems);
            if (old.isEmpty() && neu.isEmpty()) {
                problems.add(r.old() + " is not a member of the cluster reachable from " + seed + ", and " + r.replacement()
                        + " has not joined it: nothing to replace; check the OLD=NEW pairs");
                continue;
            }
            if (old.isPresent() && old.get().isMaster() && old.get().self().slotCount() == 0) {
                problems.add(old.get().label() + " is a master without slots: it has no shard to hand over; remove it by scaling in"
                        + " (converge with it under 'retiring') instead of rolling it");
                continue;
            }
            if (neu.isEmpty() && newNodesStarted) {
                fresh(r.replacement()).ifPresent(problems::add);
            }
            LiveCluster.Member now = old.isPresent() ? old.get() : neu.get();
            boolean master = old.isPresent() && old.get().isMaster() && old.get().self().slotCount() > 0;
            described.add(new RollOrder.Replacement(r.old().toString(), r.replacement().toString(), shardOf(live, now), master
                    ? Role.MASTER : Role.REPLICA, zone));
        }
        List<String> unzoned = live.members().stream().map(LiveCluster.Member::address)
                .filter(a -> zoneAt(a).isEmpty() && replacements.stream().noneMatch(r -> Nodes.same(r.replacement(), a))).map(Object::toString).toList();
        if (!unzoned.isEmpty()) {
            problems.add("no zone given for " + String.join(", ", unzoned) + ": give --zones HOST:PORT@ZONE for every member");
        }
        if (problems.isEmpty() && newNodesStarted) {
            problems.addAll(serverRefusals(live, replacements));
        }
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("refusing to roll, nothing was changed", problems);
        }
        return RollOrder.order(described);
    }

    /** Plans, refuses an unhealthy cluster, then replaces node after node, heals and checks. */
    public Outcome roll(List<Replacement> replacements, Retirement retirement, ClusterListener listener) {
        requireHealthy(replacements);
        List<RollOrder.Step> steps = plan(replacements);
        List<String> done = new ArrayList<>();
        List<Handover> handovers = new ArrayList<>();
        listener.step("roll", steps.size());
        int n = 0;
        for (RollOrder.Step step : steps) {
            Replacement r = new Replacement(NodeAddress.parse(step.replacement().old()), NodeAddress.parse(step.replacement().replacement()));
            listener.info("step " + step.describe());
            replace(r, step.replacement().shard(), retirement, listener, done, handovers);
            listener.progress(++n);
        }
        NodeAddress seed = seed(replacements);
        Poll.until("replica links settle after the last step", timeout, () -> health(replacements).stream().findFirst());
        Map<NodeAddress, String> finalZones = finalZones(replacements);
        Healer healer = new Healer(credentials, finalZones, timeout);
        Healer.Outcome healed = healer.heal(seed, healer.plan(seed), listener::info);
        return new Outcome(steps, done, handovers, healed.done(), healed.check());
    }

    /**
     * Refuses while a member is down or unreachable, a slot is open or unserved, or check fails on a
     * node that is not a new one. A resumed roll may find gossip still settling from its last step,
     * so the cluster gets a few seconds to become healthy before the refusal.
     */
    void requireHealthy(List<Replacement> replacements) {
        try {
            Poll.until("the cluster is healthy", SETTLE, () -> health(replacements).stream().findFirst());
        } catch (ClusterRefusedException e) {
            throw new ClusterRefusedException("refusing to roll an unhealthy cluster, nothing was changed; fix it first (redis-ha check)",
                    health(replacements));
        }
    }

    private List<String> health(List<Replacement> replacements) {
        NodeAddress seed = seed(replacements);
        LiveCluster live = LiveCluster.load(seed, credentials);
        List<String> problems = new ArrayList<>(live.unreachable());
        live.openSlots().forEach((id, open) -> problems.add(live.require(id).label() + " has open slots " + open
                + "; close them with 'redis-ha fix' first"));
        // The roll brings its own new nodes in sync; anything else failing is the cluster's own trouble.
        Set<String> newLabels = replacements.stream().map(r -> r.replacement() + " ").collect(Collectors.toSet());
        CheckReport check = Checker.judge(live, Map.of());
        check.failures().stream().filter(f -> newLabels.stream().noneMatch(f.node()::startsWith))
                .forEach(f -> problems.add(f.node() + ": " + f.message()));
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    private void replace(Replacement r, String shard, Retirement retirement, ClusterListener listener, List<String> done,
                         List<Handover> handovers) {
        NodeAddress seed = seed(List.of(r));
        LiveCluster live = LiveCluster.load(seed, credentials);
        Optional<LiveCluster.Member> old = live.memberAt(r.old());
        if (old.isEmpty()) {
            // Resumed after the old node was forgotten: only its retirement may be left.
            remove(r.old(), seed, retirement, done);
            return;
        }
        String masterId = old.get().isMaster() ? old.get().id() : old.get().self().masterId().orElseThrow();
        Optional<LiveCluster.Member> neu = live.memberAt(r.replacement());
        if (neu.isEmpty()) {
            join(r.replacement(), live);
            done.add("CLUSTER MEET " + r.replacement() + " into the cluster");
            Halt.at("meet");
            live = LiveCluster.load(seed, credentials);
            neu = live.memberAt(r.replacement());
        }
        LiveCluster.Member fresh = neu.orElseThrow();
        if (fresh.isMaster() && fresh.self().slotCount() == 0) {
            replicate(r.replacement(), masterId);
            // Its new role reaches the others only with its next ping, seconds away; a MEET from the
            // (already known) node carries it at once, as converge does for new replicas.
            meetAll(r.replacement(), live);
            done.add("CLUSTER REPLICATE " + NodeLine.shortId(masterId) + " on " + r.replacement() + " (shard " + shard + ")");
            Halt.at("replicate");
        }
        live = LiveCluster.load(seed, credentials);
        LiveCluster.Member current = live.require(old.get().id());
        if (live.memberAt(r.replacement()).orElseThrow().isReplica()) {
            Duration sync = awaitSynced(r.replacement());
            listener.info(r.replacement() + " is a synced replica of shard " + shard + " after " + sync.toMillis() + " ms");
            Halt.at("synced");
        }
        if (current.isMaster() && current.self().slotCount() > 0) {
            // The master accepts a manual failover only from a node it knows as its own replica.
            Poll.until("every member sees " + r.replacement() + " as a replica of " + r.old(), timeout,
                    () -> followsEverywhere(r.replacement(), current.id(), seed));
            java.time.Instant started = java.time.Instant.now();
            Duration took = failover.run(r.replacement(), r.old(), r.replacement(), () -> Halt.at("failover"));
            handovers.add(new Handover(shard, r.old(), r.replacement(), started, took));
            done.add("CLUSTER FAILOVER on " + r.replacement() + ": took over shard " + shard + " from " + r.old() + " in " + took.toMillis() + " ms");
            listener.info("handover of shard " + shard + " to " + r.replacement() + " in " + took.toMillis() + " ms");
        }
        remove(r.old(), r.replacement(), retirement, done);
    }

    private Optional<String> followsEverywhere(NodeAddress replica, String masterId, NodeAddress seed) {
        LiveCluster live = LiveCluster.load(seed, credentials);
        String id = live.memberAt(replica).map(LiveCluster.Member::id).orElse("");
        return live.members().stream().filter(m -> m.view().byId(id).flatMap(NodeLine::masterId).filter(masterId::equals).isEmpty())
                .findFirst().map(m -> m.address() + " does not see " + replica + " replicating " + NodeLine.shortId(masterId) + " yet");
    }

    /** Meets the new node with every member and waits until all of them know it. */
    private void join(NodeAddress fresh, LiveCluster live) {
        meetAll(fresh, live);
        Poll.until("every member knows " + fresh, timeout, () -> {
            LiveCluster now = LiveCluster.load(live.members().get(0).address(), credentials);
            if (now.memberAt(fresh).isEmpty()) {
                return Optional.of(fresh + " has not joined yet");
            }
            String id = now.memberAt(fresh).get().id();
            return now.members().stream().filter(m -> !m.view().memberIds().contains(id)).findFirst()
                    .map(m -> m.address() + " does not know " + fresh + " yet");
        });
    }

    /** CLUSTER MEET from {@code node} to every other member. */
    private void meetAll(NodeAddress node, LiveCluster live) {
        try (NodeSession s = NodeSession.open(node, credentials)) {
            for (LiveCluster.Member m : live.members()) {
                if (!Nodes.same(m.address(), node)) {
                    s.meet(m.address());
                }
            }
        }
    }

    private void replicate(NodeAddress node, String masterId) {
        try (NodeSession s = NodeSession.open(node, credentials)) {
            s.replicate(masterId);
        }
    }

    /** Waits until the replica's link is up and its first sync over, then until it holds everything its master had by then. */
    private Duration awaitSynced(NodeAddress replica) {
        long start = System.nanoTime();
        Poll.until(replica + " has its replica link up and its sync done", timeout, () -> {
            try (NodeSession s = NodeSession.open(replica, credentials)) {
                Map<String, String> repl = s.info("replication");
                return "up".equals(repl.get("master_link_status")) && "0".equals(repl.getOrDefault("master_sync_in_progress", "0"))
                        ? Optional.empty() : Optional.of(replica + " link " + repl.get("master_link_status") + ", sync in progress "
                        + repl.get("master_sync_in_progress"));
            }
        });
        Map<String, String> repl;
        try (NodeSession s = NodeSession.open(replica, credentials)) {
            repl = s.info("replication");
        }
        long target;
        try (NodeSession m = NodeSession.open(new NodeAddress(repl.get("master_host"), Integer.parseInt(repl.get("master_port"))), credentials)) {
            target = Long.parseLong(m.info("replication").getOrDefault("master_repl_offset", "0"));
        }
        Poll.until(replica + " caught up with its master's offset " + target, timeout, () -> {
            try (NodeSession s = NodeSession.open(replica, credentials)) {
                long offset = Long.parseLong(s.info("replication").getOrDefault("slave_repl_offset", "0"));
                return offset >= target ? Optional.empty() : Optional.of(replica + " at offset " + offset + ", master was at " + target);
            }
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Every member forgets the old node (all within Redis's 60 s ban, so gossip cannot bring it back),
     * the old node is reset so it cannot rejoin, then retired. Refuses an old node that still serves
     * slots. Repeated until no member knows the old address under any id: a MEET still in flight
     * toward it (the announcement of a new replica) could otherwise introduce the reset node again.
     */
    private void remove(NodeAddress oldAddress, NodeAddress seed, Retirement retirement, List<String> done) {
        LiveCluster first = LiveCluster.load(seed, credentials);
        first.memberAt(oldAddress).filter(m -> m.isMaster() && m.self().slotCount() > 0).ifPresent(m -> {
            throw new ClusterRefusedException("refusing to remove a node that still serves slots", List.of(m.label()
                    + " serves " + m.self().slotCount() + " slots; the handover did not happen"));
        });
        Poll.until("no member has a handshake with " + oldAddress + " in flight", timeout, () -> LiveCluster.load(seed, credentials)
                .members().stream().filter(m -> m.view().nodes().stream().anyMatch(n -> n.isHandshake() && at(n, oldAddress)))
                .findFirst().map(m -> m.address() + " is still meeting " + oldAddress));
        boolean forgotten = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            LiveCluster live = LiveCluster.load(seed, credentials);
            Set<String> ids = new java.util.TreeSet<>();
            live.members().stream().filter(m -> !Nodes.same(m.address(), oldAddress)).flatMap(m -> m.view().nodes().stream())
                    .filter(n -> !n.isMyself() && at(n, oldAddress)).forEach(n -> ids.add(n.id()));
            Optional<MemberView> oldView = LiveCluster.viewOf(oldAddress, credentials);
            boolean oldAlone = oldView.isEmpty() || oldView.get().knowsOnlyItself();
            if (ids.isEmpty() && oldAlone) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterRefusedException("timed out after " + timeout.toSeconds() + " s removing " + oldAddress,
                        List.of("members still know it as " + ids + (oldAlone ? "" : "; it still knows the cluster")));
            }
            forget(live, oldAddress, ids, done);
            if (!forgotten) {
                forgotten = true;
                Halt.at("forget");
            }
            if (!oldAlone) {
                try (NodeSession s = NodeSession.open(oldAddress, credentials)) {
                    s.resetHard();
                }
                done.add("CLUSTER RESET HARD on " + oldAddress);
            }
            sleep(100);
        }
        retirement.retire(oldAddress);
    }

    /** CLUSTER FORGET of each id on every member but the old node, all at once. */
    private void forget(LiveCluster live, NodeAddress oldAddress, Set<String> ids, List<String> done) {
        List<LiveCluster.Member> others = live.members().stream().filter(m -> !Nodes.same(m.address(), oldAddress)).toList();
        try (Parallel parallel = new Parallel(Math.max(1, others.size()))) {
            parallel.map(others, m -> {
                try (NodeSession s = NodeSession.open(m.address(), credentials)) {
                    for (String id : ids) {
                        if (m.view().byId(id).isPresent()) {
                            s.forget(id);
                        }
                    }
                }
                return m;
            });
        }
        ids.forEach(id -> done.add("CLUSTER FORGET " + NodeLine.shortId(id) + " (" + oldAddress + ") on " + others.size() + " members"));
    }

    private static boolean at(NodeLine n, NodeAddress address) {
        return n.address().filter(a -> Nodes.same(a, address)).isPresent();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing a node", e);
        }
    }

    /** A new node must be reachable, cluster-enabled, alone and empty. */
    /**
     * Each new node must load the snapshots the running nodes write (it first syncs as their replica):
     * a downgrade onto an older snapshot format, or a mix the table cannot vouch for, is refused here,
     * before the first step.
     */
    private List<String> serverRefusals(LiveCluster live, List<Replacement> replacements) {
        Set<NodeAddress> newNodes = replacements.stream().map(Replacement::replacement).collect(Collectors.toSet());
        List<io.redisha.topology.ServerVersion> running = live.members().stream().filter(m -> !newNodes.contains(m.address()))
                .map(LiveCluster.Member::server).distinct().toList();
        Map<io.redisha.topology.ServerVersion, List<NodeAddress>> incoming = new java.util.TreeMap<>();
        for (NodeAddress a : newNodes) {
            io.redisha.topology.ServerVersion server = live.memberAt(a).map(LiveCluster.Member::server).orElseGet(() -> {
                try (NodeSession s = NodeSession.open(a, credentials)) {
                    return s.server();
                }
            });
            incoming.computeIfAbsent(server, k -> new ArrayList<>()).add(a);
        }
        List<String> problems = new ArrayList<>();
        incoming.forEach((server, nodes) -> io.redisha.topology.ServerVersion.rollRefusal(running, server)
                .ifPresent(reason -> problems.add(nodes.stream().sorted().map(Object::toString).collect(Collectors.joining(", ")) + ": " + reason)));
        return problems;
    }

    private Optional<String> fresh(NodeAddress address) {
        try (NodeSession s = NodeSession.open(address, credentials)) {
            if (!"1".equals(s.info("cluster").get("cluster_enabled"))) {
                return Optional.of(address + ": cluster support is disabled; start the new node with 'cluster-enabled yes'");
            }
            MemberView view = MemberView.of(s);
            if (!view.knowsOnlyItself() || !view.myself().slots().isEmpty()) {
                return Optional.of(address + " belongs to another cluster (knows " + view.nodes().size()
                        + " nodes); a new node must be fresh: CLUSTER RESET HARD it if it is yours to wipe");
            }
            long keys = s.dbSize();
            return keys > 0 ? Optional.of(address + " holds " + keys + (keys == 1 ? " key" : " keys") + "; a new node must be empty") : Optional.empty();
        } catch (ClusterRefusedException e) {
            return Optional.of(String.join("; ", e.problems().isEmpty() ? List.of(String.valueOf(e.getMessage())) : e.problems()));
        }
    }

    /** The first node (new ones first: they outlive the roll; then the given seed) that answers and belongs to a cluster serving every slot. */
    private NodeAddress seed(List<Replacement> replacements) {
        List<NodeAddress> candidates = new ArrayList<>();
        replacements.forEach(r -> candidates.add(r.replacement()));
        seed.ifPresent(candidates::add);
        zones.keySet().stream().sorted().forEach(candidates::add);
        replacements.forEach(r -> candidates.add(r.old()));
        List<String> tried = new ArrayList<>();
        for (NodeAddress a : new LinkedHashSet<>(candidates)) {
            Optional<MemberView> view = LiveCluster.viewOf(a, credentials);
            if (view.filter(MemberView::servesEverySlot).isPresent()) {
                return a;
            }
            tried.add(a + (view.isEmpty() ? " (unreachable)" : " (not in a cluster serving all slots)"));
        }
        throw new ClusterRefusedException("no node of a serving cluster answers", tried);
    }

    /** A shard is named by its slots, which stay the same through the handover. */
    private static String shardOf(LiveCluster live, LiveCluster.Member member) {
        String masterId = member.isMaster() ? member.id() : member.self().masterId().orElse(member.id());
        List<SlotRange> slots = live.ownedRanges().getOrDefault(masterId, List.of());
        return slots.isEmpty() ? "-" : slots.get(0) + (slots.size() > 1 ? ",..." : "");
    }

    private Optional<String> zoneAt(NodeAddress address) {
        return zones.entrySet().stream().filter(e -> Nodes.same(e.getKey(), address)).map(Map.Entry::getValue).findFirst();
    }

    private String zoneOf(Replacement r, List<String> problems) {
        Optional<String> oldZone = zoneAt(r.old());
        Optional<String> newZone = zoneAt(r.replacement());
        if (oldZone.isEmpty()) {
            problems.add("no zone given for " + r.old() + ": the new node takes the zone of the node it replaces");
            return "?";
        }
        if (newZone.isPresent() && !newZone.equals(oldZone)) {
            problems.add(r.replacement() + " is given zone " + newZone.get() + " but replaces " + r.old() + " in " + oldZone.get()
                    + ": a new node takes the zone of the node it replaces");
        }
        return oldZone.get();
    }

    /** The zones once the roll is done: replaced nodes drop out, new nodes take their zones. */
    private Map<NodeAddress, String> finalZones(List<Replacement> replacements) {
        Map<NodeAddress, String> out = new LinkedHashMap<>(zones);
        for (Replacement r : replacements) {
            zoneAt(r.old()).ifPresent(z -> out.put(r.replacement(), z));
            out.keySet().removeIf(a -> Nodes.same(a, r.old()));
        }
        return out;
    }

    /** The test hook: {@code REDIS_HA_TEST_ROLL_HALT_AT=<step>} halts the JVM with 137 the first time that step is done. */
    private static final class Halt {
        private static final String AT = Optional.ofNullable(System.getenv(HALT_AT_ENV)).map(String::strip).orElse("");

        static void at(String step) {
            if (step.equals(AT)) {
                System.err.println("[redis-ha] test hook: halting the roll after step " + step);
                System.err.flush();
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
