package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.Roller;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.ZoneLoss;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * The write pause at each master handover of a roll, as a client sees it: one sequential writer over
 * the whole key space records when each SET was sent and acknowledged; the pause of a handover is
 * the longest SET that overlaps it. The reference is the same graceful failover done by hand with
 * {@code redis-cli CLUSTER FAILOVER} on a replica, in the same run and the same cluster. A 3x1
 * cluster rolled onto new processes per round. Prints medians, the ratio and the acknowledged writes
 * lost. Not a test: nothing is asserted. Run with {@code tests/bench/roll-bench.sh [rounds]}.
 */
public final class RollBenchmark {
    private static final String PASSWORD = "bench-roll";
    private static final Credentials CREDENTIALS = Credentials.password(PASSWORD);

    /** One SET: sent and acknowledged, in nanoTime. */
    private record Write(long sent, long acked) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Double> roll = new ArrayList<>();
        List<Double> cli = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        long written = 0;
        long lost = 0;
        for (int round = 1; round <= rounds; round++) {
            long[] r = round(round, roll, cli, server);
            written += r[0];
            lost += r[1];
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "roll of a 3x1 cluster onto new redis-server processes, %d rounds, %d handovers (medians):%n",
                rounds, roll.size());
        System.out.printf(Locale.ROOT, "  client write pause per handover, redis-ha roll:          %.0f ms (max %.0f ms)%n",
                median(roll), Collections.max(roll));
        if (cli.isEmpty()) {
            System.out.println("  client write pause, redis-cli CLUSTER FAILOVER: no sample (every one timed out)");
        } else {
            System.out.printf(Locale.ROOT, "  client write pause, redis-cli CLUSTER FAILOVER (%d samples): %.0f ms (max %.0f ms)%n",
                    cli.size(), median(cli), Collections.max(cli));
            System.out.printf(Locale.ROOT, "  ratio roll / redis-cli: %.2f%n", median(roll) / median(cli));
        }
        System.out.printf(Locale.ROOT, "  handover until every member agrees (roll, server side): %.0f ms%n", median(server));
        System.out.printf(Locale.ROOT, "  writer: %d acknowledged writes, %d lost%n", written, lost);
    }

    private static long[] round(int round, List<Double> roll, List<Double> cli, List<Double> server) throws Exception {
        try (RedisNodes olds = RedisNodes.nodes(6).withPassword(PASSWORD).start();
             RedisNodes news = RedisNodes.nodes(6).withPassword(PASSWORD).start()) {
            Placement placement = Resharding.assign(olds.zoned(List.of("a", "b", "c")), 1, ZoneLoss.MUST_SURVIVE, CREDENTIALS);
            new ClusterEngine(Duration.ofSeconds(60)).converge(placement, CREDENTIALS, ClusterListener.SILENT);
            Writer writer = new Writer(olds.addresses());
            writer.start();
            try {
                List<Roller.Replacement> pairs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    pairs.add(new Roller.Replacement(olds.address(i), news.address(i)));
                }
                Roller.Outcome outcome = new Roller(CREDENTIALS, placement.zoneByAddress(), Duration.ofSeconds(60))
                        .roll(pairs, Roller.Retirement.KEEP, ClusterListener.SILENT);
                long epochOffset = System.nanoTime() - Instant.now().toEpochMilli() * 1_000_000;
                for (Roller.Handover h : outcome.handovers()) {
                    long from = h.started().toEpochMilli() * 1_000_000 + epochOffset;
                    double pause = writer.longestOverlapping(from, from + h.took().toNanos());
                    roll.add(pause);
                    server.add((double) h.took().toMillis());
                    System.out.printf(Locale.ROOT, "round %d: roll handover of shard %s %s -> %s: client pause %.0f ms, handover %d ms%n",
                            round, h.shard(), h.from(), h.to(), pause, h.took().toMillis());
                }
                // The reference, on the rolled cluster: a graceful failover by hand on a replica of the shard handed
                // over first. Once per round: masters refuse a second vote on one shard within 2 x node timeout.
                LiveCluster live = LiveCluster.load(news.address(0), CREDENTIALS);
                LiveCluster.Member master = live.find(outcome.handovers().get(0).to().toString()).orElseThrow();
                LiveCluster.Member replica = live.members().stream().filter(m -> m.self().masterId().filter(master.id()::equals).isPresent())
                        .findFirst().orElseThrow();
                // The same precondition the roll waits for: every member sees the replica following the master.
                awaitFollowing(replica.address(), master.address());
                long start = System.nanoTime();
                redisCliFailover(replica.address());
                if (awaitMaster(replica.address(), master.address())) {
                    double pause = writer.longestOverlapping(start, System.nanoTime());
                    cli.add(pause);
                    System.out.printf(Locale.ROOT, "round %d: redis-cli CLUSTER FAILOVER on %s: client pause %.0f ms%n", round,
                            replica.address(), pause);
                } else {
                    System.out.printf(Locale.ROOT, "round %d: redis-cli CLUSTER FAILOVER on %s timed out (Redis refused it); no sample%n",
                            round, replica.address());
                }
                if (!outcome.check().ok()) {
                    System.out.println("round " + round + ": check FAILED after the roll:\n" + outcome.check().toTable());
                }
            } finally {
                writer.stop();
            }
            long lost = writer.lost(news.addresses());
            System.out.printf(Locale.ROOT, "round %d: %d acknowledged writes, %d lost%n", round, writer.writes.size(), lost);
            return new long[] {writer.writes.size(), lost};
        }
    }

    private static void redisCliFailover(NodeAddress replica) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-h", replica.host(), "-p", Integer.toString(replica.port()), "--no-auth-warning",
                "-a", PASSWORD, "CLUSTER", "FAILOVER").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("redis-cli CLUSTER FAILOVER on " + replica + " exited " + p.exitValue());
        }
    }

    /**
     * Whether, within 15 s, every member sees the promoted node as master and the demoted one as its
     * replica, and all agree on the slot map: what the roll waits for too.
     */
    private static boolean awaitMaster(NodeAddress promoted, NodeAddress demoted) throws InterruptedException {
        return await(15, promoted, live -> {
            String promotedId = live.find(promoted.toString()).map(LiveCluster.Member::id).orElse("");
            String demotedId = live.find(demoted.toString()).map(LiveCluster.Member::id).orElse("");
            return live.members().stream().allMatch(m -> m.view().byId(promotedId).filter(n -> n.isMaster() && n.slotCount() > 0).isPresent()
                    && m.view().byId(demotedId).flatMap(n -> n.masterId()).filter(promotedId::equals).isPresent())
                    && live.members().stream().map(m -> m.view().slotOwners()).distinct().count() == 1;
        });
    }

    /** Until every member sees {@code replica} following {@code master} (a master ignores a failover request from a stranger). */
    private static void awaitFollowing(NodeAddress replica, NodeAddress master) throws InterruptedException {
        if (!await(30, master, live -> {
            String masterId = live.find(master.toString()).map(LiveCluster.Member::id).orElse("");
            String replicaId = live.find(replica.toString()).map(LiveCluster.Member::id).orElse("");
            return live.members().stream().allMatch(m -> m.view().byId(replicaId).flatMap(n -> n.masterId()).filter(masterId::equals).isPresent());
        })) {
            throw new IllegalStateException(replica + " is not seen following " + master + " by every member within 30 s");
        }
    }

    private static boolean await(int seconds, NodeAddress seed, java.util.function.Predicate<LiveCluster> done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (done.test(LiveCluster.load(seed, CREDENTIALS))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One sequential writer of increasing values per key; remembers each SET's timing and the last acknowledged value. */
    private static final class Writer {
        private final RedisClusterClient client;
        private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        private final Map<String, Long> acked = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        Writer(List<NodeAddress> seeds) {
            this.client = client(seeds);
        }

        private static RedisClusterClient client(List<NodeAddress> seeds) {
            Set<HostAndPort> nodes = new HashSet<>();
            seeds.forEach(a -> nodes.add(new HostAndPort(a.host(), a.port())));
            return RedisClusterClient.builder().nodes(nodes)
                    .clientConfig(DefaultJedisClientConfig.builder().password(PASSWORD).socketTimeoutMillis(5000).build())
                    .maxAttempts(20).maxTotalRetriesDuration(Duration.ofSeconds(30)).build();
        }

        void start() {
            thread = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    String key = "w:" + ThreadLocalRandom.current().nextInt(3000);
                    long value = ++n;
                    long sent = System.nanoTime();
                    try {
                        client.set(key, Long.toString(value));
                        writes.add(new Write(sent, System.nanoTime()));
                        acked.merge(key, value, Math::max);
                    } catch (RuntimeException e) {
                        // An unacknowledged write may or may not land; only acknowledged ones count.
                    }
                }
            }, "bench-writer");
            thread.start();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join();
        }

        /** The longest SET that was in flight at some point between {@code from} and {@code to}, in ms. */
        double longestOverlapping(long from, long to) {
            return writes.stream().filter(w -> w.sent() <= to && w.acked() >= from).mapToLong(w -> w.acked() - w.sent())
                    .max().orElse(0) / 1e6;
        }

        /** Acknowledged writes that read back older or missing, through a fresh client on the new nodes. */
        long lost(List<NodeAddress> seeds) {
            client.close();
            try (RedisClusterClient fresh = client(seeds)) {
                return acked.entrySet().stream().filter(e -> {
                    String read = fresh.get(e.getKey());
                    return read == null || Long.parseLong(read) < e.getValue();
                }).count();
            }
        }
    }
}
