package io.redisha.cluster;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.Parallel;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.RedisDirectives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;

/**
 * The guide's failover test, measured: stop a master (DEBUG SLEEP like the guide, or kill it) or a
 * whole zone under a concurrent writer; measure the time until the replicas are promoted and the
 * cluster is ok again, the writes that failed, the acknowledged writes that were lost; then bring
 * the stopped nodes back and wait until they rejoin as replicas.
 */
public final class Drill {
    public enum Mode { PAUSE, KILL, ZONE }

    /**
     * @param target  the master to pause or kill; empty picks the master with the lowest address
     * @param zone    the zone to lose in ZONE mode; empty picks the zone of that master
     * @param pause   how long DEBUG SLEEP freezes the master; empty is 3 x cluster-node-timeout
     * @param timeout how long recovery and rejoin may each take
     */
    public record Options(Mode mode, Optional<NodeAddress> target, Optional<String> zone, Optional<Duration> pause,
                          Duration timeout, long maxWrites) {
    }

    /** What the drill will do, printed before it does it. */
    public record Prepared(Mode mode, List<NodeAddress> targets, List<LiveCluster.Member> targetMasters, String description,
                           Duration pause, LiveCluster before) {
    }

    private final Credentials credentials;
    private final Map<NodeAddress, String> zones;
    private final Faults faults;
    private final Consumer<String> say;

    public Drill(Credentials credentials, Map<NodeAddress, String> zones, Faults faults, Consumer<String> say) {
        this.credentials = credentials;
        this.zones = Map.copyOf(zones);
        this.faults = faults;
        this.say = say;
    }

    /** Chooses the targets and refuses a drill the cluster cannot survive; changes nothing. */
    public Prepared prepare(NodeAddress seed, Options o) {
        LiveCluster live = LiveCluster.load(seed, credentials).requireReachable("some members are unreachable; a drill needs a healthy cluster");
        String state = live.seed().clusterState();
        if (!"ok".equals(state)) {
            throw new ClusterRefusedException("cluster_state is " + state + " on " + seed, List.of("run 'redis-ha check' and fix the cluster first"));
        }
        List<LiveCluster.Member> masters = live.members().stream().filter(m -> m.isMaster() && m.self().slotCount() > 0)
                .sorted((a, b) -> a.address().compareTo(b.address())).toList();
        if (masters.isEmpty()) {
            throw new ClusterRefusedException("no master with slots", List.of(seed + ": form the cluster first"));
        }
        List<LiveCluster.Member> targets;
        String description;
        if (o.mode() == Mode.ZONE) {
            if (zones.isEmpty()) {
                throw new io.redisha.topology.InvalidInputException("zones", "(none)", "--zones HOST:PORT@ZONE,... so the drill knows which nodes a zone holds");
            }
            String zone = o.zone().orElseGet(() -> zoneOf(masters.get(0).address()));
            targets = live.members().stream().filter(m -> zone.equals(zoneOf(m.address()))).toList();
            if (targets.isEmpty()) {
                throw new io.redisha.topology.InvalidInputException("zone", zone, "a zone of the cluster: " + new java.util.TreeSet<>(zones.values()));
            }
            description = "lose zone " + zone + ": stop all " + Count.of(targets.size(), "node") + " there at once ("
                    + String.join(", ", targets.stream().map(m -> faults.describeKill(m.address())).toList()) + ")";
        } else {
            LiveCluster.Member target = o.target().map(t -> live.members().stream().filter(m -> m.address().equals(t)).findFirst()
                            .orElseThrow(() -> new io.redisha.topology.InvalidInputException("target", t, "a member of the cluster")))
                    .orElse(masters.get(0));
            if (!target.isMaster() || target.self().slotCount() == 0) {
                throw new io.redisha.topology.InvalidInputException("target", target.address(), "a master with slots; masters: "
                        + masters.stream().map(m -> m.address().toString()).toList());
            }
            targets = List.of(target);
            description = o.mode() == Mode.PAUSE ? "freeze master " + target.address() + " with DEBUG SLEEP"
                    : "kill master " + target.address() + " (" + faults.describeKill(target.address()) + ")";
        }
        Set<String> targetIds = new HashSet<>(targets.stream().map(LiveCluster.Member::id).toList());
        List<LiveCluster.Member> targetMasters = masters.stream().filter(m -> targetIds.contains(m.id())).toList();
        List<String> problems = new ArrayList<>();
        for (LiveCluster.Member m : targetMasters) {
            boolean replicaOutside = live.members().stream().anyMatch(r -> r.isReplica() && !targetIds.contains(r.id())
                    && r.self().masterId().filter(m.id()::equals).isPresent() && !r.self().isFailing());
            if (!replicaOutside) {
                problems.add(m.address() + " has no healthy replica outside the stopped nodes: its slots would go down");
            }
        }
        int surviving = masters.size() - targetMasters.size();
        if (surviving * 2 <= masters.size()) {
            problems.add("only " + surviving + " of " + Count.of(masters.size(), "master") + " would remain: not a majority, no failover can be voted");
        }
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("this drill would take the cluster down; nothing was changed", problems);
        }
        Duration pause = Duration.ZERO;
        if (o.mode() == Mode.PAUSE) {
            NodeAddress t = targets.get(0).address();
            try (NodeSession s = NodeSession.open(t, credentials)) {
                String debug = s.config("enable-debug-command").orElse("unknown");
                boolean loopback = t.bareHost().startsWith("127.") || t.bareHost().equals("::1") || t.bareHost().equals("localhost");
                if (debug.equals("no") || debug.equals("local") && !loopback) {
                    throw new ClusterRefusedException("DEBUG SLEEP is not allowed on " + t + " (enable-debug-command " + debug + ")", List.of(
                            "Redis 7 blocks DEBUG by default; use --mode kill (local clusters: SIGKILL), or on EC2 --mode kill --allow-shutdown"
                                    + " (SHUTDOWN NOSAVE), or set enable-debug-command local and run the drill on that host against 127.0.0.1"));
                }
                long nodeTimeout = s.config("cluster-node-timeout").map(Long::parseLong).orElse((long) RedisDirectives.DEFAULT_NODE_TIMEOUT_MS);
                pause = o.pause().orElse(Duration.ofMillis(Math.max(3 * nodeTimeout, 5_000)));
                if (pause.toMillis() <= nodeTimeout) {
                    throw new io.redisha.topology.InvalidInputException("duration-ms", pause.toMillis(), "more than cluster-node-timeout ("
                            + nodeTimeout + " ms), or no failover happens; 3x is a good margin");
                }
            }
            description += " for " + pause.toMillis() + " ms (cluster-node-timeout must pass before its replica is promoted)";
        }
        return new Prepared(o.mode(), targets.stream().map(LiveCluster.Member::address).toList(), targetMasters, description, pause, live);
    }

    public DrillReport run(NodeAddress seed, Prepared p, Options o) {
        List<String> notes = new ArrayList<>();
        Set<NodeAddress> targets = new HashSet<>(p.targets());
        LiveCluster before = p.before();
        List<NodeAddress> survivors = before.members().stream().map(LiveCluster.Member::address).filter(a -> !targets.contains(a)).toList();
        Map<String, NodeAddress> addressById = new LinkedHashMap<>();
        before.members().forEach(m -> addressById.put(m.id(), m.address()));

        try (Writer writer = new Writer(before.members().stream().map(LiveCluster.Member::address).toList(), o.maxWrites(), o.timeout())) {
            writer.start();
            Poll.until("the writer is acknowledged", Duration.ofSeconds(10), () -> writer.acked.isEmpty() ? Optional.of("no write acknowledged yet") : Optional.empty());
            sleep(300);

            say.accept("fault: " + p.description());
            long t0 = System.nanoTime();
            AtomicReference<RuntimeException> pauseError = new AtomicReference<>();
            Thread pauser = null;
            if (p.mode() == Mode.PAUSE) {
                pauser = pause(p.targets().get(0), p.pause(), pauseError);
            } else {
                try (Parallel parallel = new Parallel(p.targets().size())) {
                    parallel.map(p.targets(), a -> {
                        faults.kill(a);
                        return a;
                    });
                }
            }

            Optional<Long> recovery = Optional.empty();
            try {
                Poll.until("the stopped masters' slots are served by promoted replicas and cluster_state:ok on every reachable node", o.timeout(), () -> {
                    if (pauseError.get() != null) {
                        throw pauseError.get();
                    }
                    return pending(survivors, p.targetMasters(), targets);
                });
                recovery = Optional.of((System.nanoTime() - t0) / 1_000_000);
                say.accept("recovered after " + recovery.get() + " ms");
            } catch (ClusterRefusedException e) {
                notes.add("no recovery within " + o.timeout().toSeconds() + " s: " + String.join("; ", e.problems()));
            }
            sleep(300);
            writer.stopAndJoin();

            List<DrillReport.Failover> failovers = new ArrayList<>();
            MemberView after = survivorView(survivors);
            for (LiveCluster.Member m : p.targetMasters()) {
                int first = m.self().slots().get(0).first();
                Optional<String> owner = after == null ? Optional.empty() : after.slotOwners().entrySet().stream()
                        .filter(e -> e.getKey().first() <= first && first <= e.getKey().last()).map(Map.Entry::getValue)
                        .filter(id -> !id.equals(m.id())).findFirst();
                Optional<NodeAddress> promoted = owner.map(addressById::get);
                failovers.add(new DrillReport.Failover(m.address().toString(), zoneOf(m.address()),
                        promoted.map(NodeAddress::toString), promoted.map(this::zoneOf), m.self().slotCount()));
            }

            // Bring the stopped nodes back, then wait until each serves again as a replica.
            List<NodeAddress> back = new ArrayList<>();
            long t1 = System.nanoTime();
            if (pauser != null) {
                join(pauser);
                t1 = System.nanoTime();
                back.addAll(p.targets());
            } else {
                for (NodeAddress a : p.targets()) {
                    if (faults.restart(a)) {
                        back.add(a);
                    } else {
                        notes.add(a + " was stopped and is not restarted by the drill: start it again (e.g. systemctl start redis-server);"
                                + " it rejoins as a replica, then run 'redis-ha heal' to restore the zones");
                    }
                }
            }
            Optional<Long> rejoin = Optional.empty();
            List<String> rejoined = new ArrayList<>();
            if (!back.isEmpty()) {
                say.accept("waiting for " + back + " to rejoin as replicas");
                try {
                    List<NodeAddress> all = new ArrayList<>(survivors);
                    all.addAll(back);
                    Poll.until("the stopped nodes rejoin as replicas with their link up", o.timeout(), () -> rejoinPending(back, all));
                    rejoin = Optional.of((System.nanoTime() - t1) / 1_000_000);
                    back.forEach(a -> rejoined.add(a + " (" + zoneOf(a) + ")"));
                } catch (ClusterRefusedException e) {
                    notes.add("not all rejoined within " + o.timeout().toSeconds() + " s: " + String.join("; ", e.problems()));
                }
            }

            List<String> lost = writer.readBack(seedOf(survivors, seed));
            if (p.mode() == Mode.PAUSE) {
                notes.add("a frozen master that wakes up and is demoted discards what it accepted in the window; DEBUG SLEEP blocks its whole event loop, so it accepted nothing");
            }
            if (!lost.isEmpty()) {
                notes.add("Redis replicates asynchronously: writes acknowledged by a master just before it died may never reach the replica"
                        + " (WAIT 1 <ms> after critical writes narrows this window)");
            }
            writer.cleanUp();
            return new DrillReport(p.mode().name().toLowerCase(), p.targets().stream().map(a -> a + " (" + zoneOf(a) + ")").toList(),
                    failovers, recovery, writer.acked.size(), writer.failed.get(), lost, lost.size(), rejoin, rejoined, notes);
        }
    }

    private String zoneOf(NodeAddress address) {
        return zones.getOrDefault(address, "-");
    }

    private static NodeAddress seedOf(List<NodeAddress> survivors, NodeAddress seed) {
        return survivors.isEmpty() ? seed : survivors.get(0);
    }

    private Optional<String> pending(List<NodeAddress> survivors, List<LiveCluster.Member> targetMasters, Set<NodeAddress> targets) {
        for (NodeAddress a : survivors) {
            try (NodeSession s = NodeSession.open(a, credentials)) {
                String state = s.clusterInfo().get("cluster_state");
                if (!"ok".equals(state)) {
                    return Optional.of(a + ": cluster_state:" + state);
                }
                MemberView view = MemberView.of(s);
                for (LiveCluster.Member m : targetMasters) {
                    int first = m.self().slots().get(0).first();
                    Optional<NodeLine> owner = view.nodes().stream().filter(n -> n.isMaster() && !n.isFailing()
                            && n.slots().stream().anyMatch(r -> r.first() <= first && first <= r.last())).findFirst();
                    if (owner.isEmpty() || owner.get().id().equals(m.id())) {
                        return Optional.of(a + ": slot " + first + " of " + m.address() + " is not served by a promoted replica yet");
                    }
                }
            } catch (ClusterRefusedException e) {
                return Optional.of(a + ": " + String.join("; ", e.problems()));
            }
        }
        return Optional.empty();
    }

    private Optional<String> rejoinPending(List<NodeAddress> back, List<NodeAddress> all) {
        for (NodeAddress a : all) {
            try (NodeSession s = NodeSession.open(a, credentials)) {
                if (!"ok".equals(s.clusterInfo().get("cluster_state"))) {
                    return Optional.of(a + ": cluster_state not ok");
                }
                if (back.contains(a)) {
                    Map<String, String> repl = s.info("replication");
                    if (!"slave".equals(repl.get("role")) || !"up".equals(repl.get("master_link_status"))) {
                        return Optional.of(a + ": role " + repl.get("role") + ", link " + repl.getOrDefault("master_link_status", "-"));
                    }
                }
                if (MemberView.of(s).nodes().stream().anyMatch(NodeLine::isFailing)) {
                    return Optional.of(a + ": still sees a node flagged fail");
                }
            } catch (ClusterRefusedException e) {
                return Optional.of(a + ": " + String.join("; ", e.problems()));
            }
        }
        return Optional.empty();
    }

    private MemberView survivorView(List<NodeAddress> survivors) {
        for (NodeAddress a : survivors) {
            try (NodeSession s = NodeSession.open(a, credentials)) {
                return MemberView.of(s);
            } catch (ClusterRefusedException e) {
                // Try the next survivor.
            }
        }
        return null;
    }

    /** DEBUG SLEEP blocks the node's event loop, cluster bus included: to its peers it is down, as in the guide. */
    private Thread pause(NodeAddress target, Duration pause, AtomicReference<RuntimeException> error) {
        Thread t = new Thread(() -> {
            try (NodeSession s = NodeSession.open(target, credentials, (int) pause.toMillis() + 30_000)) {
                s.debugSleep(pause);
            } catch (RuntimeException e) {
                error.set(new ClusterRefusedException("DEBUG SLEEP failed on " + target, List.of(target + ": " + e.getMessage())));
            }
        }, "redis-ha-drill-pause");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One writer thread: unique keys, so every acknowledged write can be read back. */
    private final class Writer implements AutoCloseable {
        private final RedisClusterClient client;
        private final String prefix = "redis-ha:drill:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        private final Map<String, String> acked = new ConcurrentHashMap<>();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final long maxWrites;
        private final long deadline;
        private final List<NodeAddress> seeds;
        private Thread thread;

        Writer(List<NodeAddress> seeds, long maxWrites, Duration timeout) {
            this.seeds = seeds;
            this.client = client(seeds);
            this.maxWrites = maxWrites;
            // Bounded in time too: recovery, rejoin and a margin.
            this.deadline = System.nanoTime() + timeout.multipliedBy(3).toNanos();
        }

        private RedisClusterClient client(List<NodeAddress> nodes) {
            Set<HostAndPort> hosts = new HashSet<>();
            nodes.forEach(a -> hosts.add(new HostAndPort(a.bareHost(), a.port())));
            // Short timeouts and few retries: a write that cannot land within ~1 s counts as failed, like an impatient app.
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(1000);
            credentials.password().ifPresent(config::password);
            credentials.tls().ifPresent(tls -> config.ssl(true).sslSocketFactory(tls.socketFactory()));
            return RedisClusterClient.builder().nodes(hosts).clientConfig(config.build()).maxAttempts(3)
                    .maxTotalRetriesDuration(Duration.ofMillis(1500)).build();
        }

        void start() {
            thread = new Thread(() -> {
                for (long n = 0; n < maxWrites && !stop.get() && System.nanoTime() < deadline; n++) {
                    String key = prefix + n;
                    String value = Long.toString(n);
                    try {
                        client.set(key, value);
                        acked.put(key, value);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            }, "redis-ha-drill-writer");
            thread.setDaemon(true);
            thread.start();
        }

        void stopAndJoin() {
            stop.set(true);
            if (thread != null) {
                join(thread);
            }
        }

        /** Every acknowledged key read back through a fresh client; returns the ones missing or wrong. */
        List<String> readBack(NodeAddress seed) {
            List<String> lost = new ArrayList<>();
            List<String> keys = new ArrayList<>(acked.keySet());
            try (RedisClusterClient fresh = client(List.of(seed))) {
                for (int from = 0; from < keys.size(); from += 5000) {
                    List<String> batch = keys.subList(from, Math.min(keys.size(), from + 5000));
                    List<Response<String>> replies = new ArrayList<>();
                    try (ClusterPipeline pipeline = (ClusterPipeline) fresh.pipelined()) {
                        batch.forEach(k -> replies.add(pipeline.get(k)));
                        pipeline.sync();
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        if (!acked.get(batch.get(i)).equals(replies.get(i).get())) {
                            lost.add(batch.get(i) + " acknowledged, read " + replies.get(i).get());
                        }
                    }
                }
            }
            return lost;
        }

        /** The drill's keys are removed again; the cluster keeps nothing of the drill. */
        void cleanUp() {
            List<String> keys = new ArrayList<>(acked.keySet());
            try (RedisClusterClient fresh = client(seeds.subList(0, 1))) {
                try (ClusterPipeline pipeline = (ClusterPipeline) fresh.pipelined()) {
                    keys.forEach(pipeline::unlink);
                    pipeline.sync();
                }
            } catch (RuntimeException e) {
                say.accept("could not remove the drill's keys (" + prefix + "*): " + e.getMessage());
            }
        }

        @Override
        public void close() {
            stopAndJoin();
            client.close();
        }
    }
}
