package io.redisha.cluster.monitor;

import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.RedisDirectives;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Failover on certain death: instead of waiting cluster-node-timeout for the masters to agree that
 * a master failed, ask its best replica to run {@code CLUSTER FAILOVER FORCE} as soon as the master
 * is certainly dead. The voting masters grant a FORCE even while they still see the old master
 * healthy, so a false death demotes a live master and loses what it had not replicated; certain
 * death is therefore narrow: the process gone seen from two vantage points (this watchdog gets
 * refusals on the client and bus port, see {@link NodeProbe}, and the chosen replica reports its
 * replication link down), or the platform reporting the machine stopped or terminated
 * ({@link InstanceHealth}, asked in the background and never waited for). A silence, a pause or a
 * failing status check is never death. The replica is still elected by a majority of masters, so a
 * partitioned minority cannot promote one.
 *
 * <p>Guards: never TAKEOVER; never while the master answers PING (checked again right before the
 * request, with the replica's link); never a replica that has not completed a sync with its master;
 * one shard at a time (the requesting watchdog waits until the replica serves or the wait ends, and
 * every watchdog walks the dead masters in the same slot order); a backoff per master after a
 * failover that did not complete; a master the cluster already marks {@code fail} is left to Redis's
 * own failover. Masters are probed in parallel, so silent ones do not delay the others. With a
 * watchdog beside every node, the one beside the chosen replica asks; the others ask only if it has
 * not after {@link #DEFER_LOOKS} more looks. Every action is reported to the listener and counted.
 */
public final class Watchdog implements Runnable {
    /** Extra looks a watchdog that is not beside the chosen replica waits, so that one request is made, not one per watchdog. */
    static final int DEFER_LOOKS = 3;
    /** Client name a watchdog holds on the chosen replica while its request for a shard is open. */
    static final String LEASE_PREFIX = "redis-ha-watchdog-failover-";
    /** How old the platform's answer about a machine may be and still count. */
    static final Duration PLATFORM_ANSWER_MAX_AGE = Duration.ofSeconds(5);
    public enum Kind { CERTAIN_DEATH, FAILOVER_REQUESTED, PROMOTED, FAILOVER_FAILED, HELD_BACK }

    /** One quick look at a node's process ({@link NodeProbe} in production). */
    public interface Probe {
        NodeProbe.Answer probe(NodeAddress node);
    }

    /** What this watchdog found on its own: why, and whether a replica must confirm it (a refusal seen from here only). */
    private record Suspicion(String reason, boolean needsReplicaWord) {
    }

    /** One action or finding, as logged: what happened to which master, and through which replica. */
    public record Event(Instant at, Kind kind, String master, Optional<String> replica, String detail) {
        @Override
        public String toString() {
            return at + " " + kind + " master " + master + replica.map(r -> " replica " + r).orElse("") + ": " + detail;
        }
    }

    public interface Listener {
        void event(Event event);
    }

    /**
     * @param interval       time between two looks at the cluster
     * @param probeTimeoutMs how long a probe waits for a connection or a PING reply
     * @param confirmations  consecutive looks that must find the master dead before acting
     * @param promotionWait  how long a requested failover may take before it counts as failed
     * @param backoff        first pause before retrying a master whose failover failed or was held
     *                       back; doubles each time, at least 2 x cluster-node-timeout (masters
     *                       refuse a second vote for the same shard within that time)
     * @param maxBackoff     the longest pause
     */
    public record Options(Duration interval, int probeTimeoutMs, int confirmations, Duration promotionWait, Duration backoff,
                          Duration maxBackoff) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(100), 300, 2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60));
        }

        public Options {
            if (interval.isNegative() || interval.isZero() || probeTimeoutMs < 1 || confirmations < 1 || promotionWait.isZero()
                    || backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("watchdog options out of range: " + interval + ", " + probeTimeoutMs + " ms, "
                        + confirmations + " confirmations, " + promotionWait + ", backoff " + backoff + ".." + maxBackoff);
            }
        }
    }

    private final List<NodeAddress> seeds;
    private final Credentials credentials;
    private final PlatformVerdicts platform;
    private final Options options;
    private final Listener listener;
    private final Optional<Path> stateFile;
    private final Probe probe;
    private final ExecutorService probers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "watchdog-probe");
        t.setDaemon(true);
        return t;
    });

    private final Map<String, Integer> evidence = new HashMap<>();
    private final Set<String> dead = new LinkedHashSet<>();
    /** Masters refused from here whose replica still has its link up (reported once per episode). */
    private final Set<String> doubted = new LinkedHashSet<>();
    private final Map<String, Long> pausedUntil = new HashMap<>();
    private final Map<String, Duration> nextPause = new HashMap<>();
    private final Set<NodeAddress> known = new LinkedHashSet<>();
    private volatile boolean stopped;
    private volatile WatchdogCounts counts = WatchdogCounts.ZERO;
    private volatile long looks;

    /**
     * @param seeds     the nodes beside this watchdog (asked first for the cluster's view); the
     *                  other members it learns are asked when these are down
     * @param stateFile where the counts are written after every event, for {@code metrics}
     */
    public Watchdog(List<NodeAddress> seeds, Credentials credentials, InstanceHealth health, Options options, Listener listener,
                    Optional<Path> stateFile) {
        this(seeds, credentials, health, options, listener, stateFile, new NodeProbe(credentials, options.probeTimeoutMs()));
    }

    /** As above, with the probe given (tests put a probe here that sees what an nftables reject on this watchdog's path shows). */
    public Watchdog(List<NodeAddress> seeds, Credentials credentials, InstanceHealth health, Options options, Listener listener,
                    Optional<Path> stateFile, Probe probe) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("the watchdog needs at least one node to watch from");
        }
        this.seeds = List.copyOf(seeds);
        this.credentials = credentials;
        this.platform = new PlatformVerdicts(health, PLATFORM_ANSWER_MAX_AGE);
        this.options = options;
        this.listener = listener;
        this.stateFile = stateFile;
        this.probe = probe;
        stateFile.ifPresent(counts::write);
    }

    /** Looks at the cluster every interval until {@link #stop()}. */
    @Override
    public void run() {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            try {
                tick();
            } catch (RuntimeException e) {
                // A failed look (a node went away mid-read) is retried at the next interval.
            }
            looks++;
            sleep(options.interval().toMillis());
        }
        probers.shutdownNow();
        platform.close();
    }

    public void stop() {
        stopped = true;
    }

    public WatchdogCounts counts() {
        return counts;
    }

    /** How many looks at the cluster have completed. */
    public long looks() {
        return looks;
    }

    /** One look: find the first certainly dead master in slot order and fail it over. */
    void tick() {
        Optional<MemberView> view = view();
        if (view.isEmpty()) {
            return;
        }
        List<NodeLine> masters = view.get().nodes().stream().filter(n -> n.isMaster() && n.slotCount() > 0)
                .sorted(Comparator.comparingInt(n -> n.slots().get(0).first())).toList();
        Set<String> current = new LinkedHashSet<>();
        masters.forEach(m -> current.add(m.id()));
        evidence.keySet().retainAll(current);
        dead.retainAll(current);
        doubted.retainAll(current);
        Map<String, NodeProbe.Answer> answers = probeAll(masters);
        for (NodeLine master : masters) {
            Optional<NodeAddress> address = master.address();
            if (address.isEmpty() || master.flags().contains("fail")) {
                // Unknown address, or the cluster agreed it failed: Redis's own failover runs now.
                continue;
            }
            Optional<Suspicion> suspicion = suspicion(address.get(), answers.getOrDefault(master.id(), NodeProbe.Answer.SILENT));
            if (suspicion.isEmpty()) {
                evidence.remove(master.id());
                dead.remove(master.id());
                doubted.remove(master.id());
                continue;
            }
            int seen = evidence.merge(master.id(), 1, Integer::sum);
            if (seen < options.confirmations() || System.nanoTime() < pausedUntil.getOrDefault(master.id(), Long.MIN_VALUE)) {
                continue;
            }
            if (failOver(master, address.get(), view.get(), seen, suspicion.get())) {
                return; // one shard at a time: the next look starts from a fresh view
            }
        }
    }

    /** Every master probed at once: a silent one costs the probe timeout, and must not add it to the others' detection. */
    private Map<String, NodeProbe.Answer> probeAll(List<NodeLine> masters) {
        Map<String, Future<NodeProbe.Answer>> pending = new HashMap<>();
        for (NodeLine m : masters) {
            m.address().ifPresent(a -> pending.put(m.id(), probers.submit(() -> probe.probe(a))));
        }
        Map<String, NodeProbe.Answer> answers = new HashMap<>();
        pending.forEach((id, answer) -> {
            try {
                answers.put(id, answer.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                answers.put(id, NodeProbe.Answer.SILENT);
            }
        });
        return answers;
    }

    /** Why this watchdog suspects the node is dead, or empty when it answers or nothing points to death. */
    private Optional<Suspicion> suspicion(NodeAddress node, NodeProbe.Answer answer) {
        if (answer == NodeProbe.Answer.ANSWERS) {
            return Optional.empty();
        }
        Optional<String> machine = platform.certainlyDown(node);
        if (machine.isPresent()) {
            return Optional.of(new Suspicion(machine.get(), false));
        }
        return answer == NodeProbe.Answer.REFUSED
                ? Optional.of(new Suspicion("process gone: " + node + " and its bus port refuse connections while the host answers", true))
                : Optional.empty();
    }

    /** Fails the master over if its death is certain and a replica is fit; true when this look acted on it (no other shard now). */
    private boolean failOver(NodeLine master, NodeAddress masterAddress, MemberView view, int seen, Suspicion suspicion) {
        List<Candidate> candidates = new ArrayList<>();
        List<String> unfit = new ArrayList<>();
        for (NodeLine replica : view.replicasOf(master.id())) {
            if (replica.isFailing() || replica.address().isEmpty()) {
                unfit.add(replica.shortId() + " (" + (replica.isFailing() ? "failing" : "no address") + ")");
                continue;
            }
            try (NodeSession s = NodeSession.open(replica.address().get(), credentials)) {
                candidates.add(Candidate.read(replica, s));
            } catch (RuntimeException e) {
                unfit.add(replica.address().get() + " (unreachable)");
            }
        }
        if (candidates.stream().anyMatch(Candidate::promoted)) {
            // Another watchdog (or Redis) promoted one since this view was read: nothing left to do.
            return true;
        }
        List<Candidate> fit = new ArrayList<>(candidates.stream().filter(c -> c.unfitBecause().isEmpty()).toList());
        candidates.stream().filter(c -> c.unfitBecause().isPresent()).forEach(c -> unfit.add(c.address() + " (" + c.unfitBecause().get() + ")"));
        // The most data first (Redis ranks its own candidates the same way); the id breaks ties, so every watchdog picks the same one.
        fit.sort(Comparator.comparingLong(Candidate::offset).reversed().thenComparing(c -> c.node().id()));
        Optional<Candidate> witness = fit.isEmpty() ? candidates.stream().filter(Candidate::linkDown).findFirst() : Optional.of(fit.get(0));
        if (suspicion.needsReplicaWord() && witness.filter(Candidate::linkDown).isEmpty()) {
            // Refused from here only (a firewall, a rule on this watchdog's path): the second vantage point disagrees or is missing.
            if (doubted.add(master.id())) {
                emit(Kind.HELD_BACK, master, witness.map(c -> c.address().toString()), suspicion.reason()
                        + ", but " + witness.map(c -> "replica " + c.address() + " still has its replication link up").orElse("no replica could confirm it")
                        + ": not certain, nothing done");
            }
            return false;
        }
        if (dead.add(master.id())) {
            emit(Kind.CERTAIN_DEATH, master, Optional.empty(), suspicion.reason()
                    + (suspicion.needsReplicaWord() ? "; replica " + witness.get().address() + " has lost its replication link too" : ""));
        }
        long nodeTimeout = candidates.stream().mapToLong(Candidate::nodeTimeoutMs).max().orElse(RedisDirectives.DEFAULT_NODE_TIMEOUT_MS);
        if (fit.isEmpty()) {
            emit(Kind.HELD_BACK, master, Optional.empty(), "no replica fit to take over: " + (unfit.isEmpty() ? "none" : String.join(", ", unfit)));
            pause(master, nodeTimeout);
            return true;
        }
        Candidate best = fit.get(0);
        if (!seeds.contains(best.address()) && seen < options.confirmations() + DEFER_LOOKS) {
            // The watchdog beside that replica asks first; the others step in only when it has not.
            return true;
        }
        if (probe.probe(masterAddress) == NodeProbe.Answer.ANSWERS) {
            emit(Kind.HELD_BACK, master, Optional.of(best.address().toString()), "the master answers again; nothing done");
            evidence.remove(master.id());
            dead.remove(master.id());
            return true;
        }
        // The lease stays open until the outcome is known: another watchdog that reaches this point meanwhile
        // (its looks run on, and the election can take longer than its deferral) sees it and asks nothing.
        try (NodeSession lease = NodeSession.open(best.address(), credentials)) {
            if (!lease.holdsOnly(LEASE_PREFIX + master.id())) {
                return true;
            }
            Candidate now = Candidate.read(best.node(), lease);
            if (now.unfitBecause().isPresent() || (suspicion.needsReplicaWord() && !now.linkDown())) {
                emit(Kind.HELD_BACK, master, Optional.of(best.address().toString()), "the replica's word changed right before the request ("
                        + now.unfitBecause().orElse("its replication link is up again") + "); nothing done");
                evidence.remove(master.id());
                dead.remove(master.id());
                return true;
            }
            try {
                lease.failoverForce();
            } catch (RuntimeException e) {
                emit(Kind.FAILOVER_FAILED, master, Optional.of(best.address().toString()), "CLUSTER FAILOVER FORCE was refused: " + e.getMessage());
                pause(master, nodeTimeout);
                return true;
            }
            emit(Kind.FAILOVER_REQUESTED, master, Optional.of(best.address().toString()),
                    "CLUSTER FAILOVER FORCE (replication offset " + best.offset() + "; the masters vote)");
            awaitPromotion(master, masterAddress, best.address(), nodeTimeout);
        }
        return true;
    }

    private void awaitPromotion(NodeLine master, NodeAddress masterAddress, NodeAddress replica, long nodeTimeout) {
        try {
            Duration took = Poll.until(replica + " serves the slots of " + masterAddress, options.promotionWait(), () -> {
                try (NodeSession s = NodeSession.open(replica, credentials)) {
                    NodeLine me = MemberView.of(s).myself();
                    return me.isMaster() && me.slotCount() > 0 ? Optional.empty() : Optional.of(replica + " is still a replica");
                }
            });
            emit(Kind.PROMOTED, master, Optional.of(replica.toString()), "serves the slots now (" + took.toMillis() + " ms after the request)");
            evidence.remove(master.id());
            nextPause.remove(master.id());
        } catch (RuntimeException e) {
            emit(Kind.FAILOVER_FAILED, master, Optional.of(replica.toString()), "not promoted within "
                    + options.promotionWait().toMillis() + " ms (no majority of masters voted?); retried after a backoff");
            pause(master, nodeTimeout);
        }
    }

    private void pause(NodeLine master, long nodeTimeoutMs) {
        Duration floor = Duration.ofMillis(2 * nodeTimeoutMs);
        Duration pause = nextPause.getOrDefault(master.id(), options.backoff());
        Duration effective = pause.compareTo(floor) < 0 ? floor : pause;
        pausedUntil.put(master.id(), System.nanoTime() + effective.toNanos());
        Duration doubled = pause.multipliedBy(2);
        nextPause.put(master.id(), doubled.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : doubled);
    }

    /** A replica's fitness: reachable, willing, synced, and its data not older than Redis itself would accept. */
    private record Candidate(NodeLine node, NodeAddress address, long offset, long nodeTimeoutMs, boolean promoted, boolean linkDown,
                             Optional<String> unfitBecause) {
        static Candidate read(NodeLine replica, NodeSession s) {
            Map<String, String> replication = s.info("replication");
            long offset = number(replication.get("slave_repl_offset"));
            boolean linkDown = !"up".equals(String.valueOf(replication.get("master_link_status")).strip());
            long downFor = number(replication.get("master_link_down_since_seconds"));
            long nodeTimeout = s.config("cluster-node-timeout").map(Candidate::number).orElse((long) RedisDirectives.DEFAULT_NODE_TIMEOUT_MS);
            long factor = s.config("cluster-replica-validity-factor").map(Candidate::number).orElse(10L);
            boolean noFailover = s.config("cluster-replica-no-failover").filter("yes"::equals).isPresent();
            Optional<String> unfit = Optional.empty();
            if (noFailover) {
                unfit = Optional.of("cluster-replica-no-failover yes");
            } else if (!"slave".equals(replication.get("role"))) {
                unfit = Optional.of("not a replica any more");
            } else if (linkDown && downFor < 0) {
                // Redis says -1 when this process never completed a sync with its master: FORCE skips every
                // check of Redis's own, so promoting it would roll the shard back to whatever it loaded (or nothing).
                unfit = Optional.of("never completed a sync with its master (master_link_down_since_seconds:-1)");
            } else if (factor > 0 && downFor * 1000 > nodeTimeout * (factor + 1)) {
                // Redis's own data-age rule, which a manual failover skips: a long-disconnected replica holds stale data.
                unfit = Optional.of("link to the master down for " + downFor + " s: its data is too old");
            }
            boolean promoted = "master".equals(replication.get("role"));
            return new Candidate(replica, replica.address().orElseThrow(), offset, nodeTimeout, promoted, linkDown, unfit);
        }

        private static long number(String value) {
            try {
                return value == null ? 0 : Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /** The cluster as the first answering node sees it: the seeds first, then members seen before. */
    private Optional<MemberView> view() {
        List<NodeAddress> order = new ArrayList<>(seeds);
        known.stream().filter(a -> !order.contains(a)).forEach(order::add);
        for (NodeAddress a : order) {
            if (probe.probe(a) != NodeProbe.Answer.ANSWERS) {
                continue;
            }
            try (NodeSession s = NodeSession.open(a, credentials)) {
                MemberView view = MemberView.of(s);
                view.nodes().stream().filter(n -> !n.isHandshake()).map(NodeLine::address).flatMap(Optional::stream).forEach(known::add);
                return Optional.of(view);
            } catch (RuntimeException e) {
                // try the next node
            }
        }
        return Optional.empty();
    }

    private void emit(Kind kind, NodeLine master, Optional<String> replica, String detail) {
        // The counts are published last: whoever sees a count change also finds its event and state file written.
        WatchdogCounts next = counts.plus(kind);
        stateFile.ifPresent(next::write);
        listener.event(new Event(Instant.now(), kind, master.address().map(NodeAddress::toString).orElse(master.shortId()), replica, detail));
        counts = next;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
