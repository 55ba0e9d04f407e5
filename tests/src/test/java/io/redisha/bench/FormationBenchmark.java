package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * No idle floors, measured against redis-cli in the same run, to one end point for both tools:
 * every slot served ({@code cluster_state:ok} on every node) and every replica in sync (link up, no
 * sync in progress). Nodes are started {@link #SETTLE} before either tool runs, as on EC2.
 * <ol>
 * <li>formation of 6 nodes (3x1) and 90 nodes (30x2): {@code redis-cli --cluster create} against
 *     {@code redis-ha} converge;</li>
 * <li>growth 3x1 to 4x1 with 200k keys of 64 bytes and a writer running: {@code redis-cli --cluster
 *     add-node}, {@code check} until the nodes agree, {@code reshard} of 4096 slots (pipeline 1000,
 *     its fastest), {@code add-node --cluster-slave}, against one {@code redis-ha} converge to the
 *     4x1 placement.</li>
 * </ol>
 * Not a test: nothing is asserted on timings. Run with {@code tests/bench/idle-floors-bench.sh [rounds] [sizes] [formation]};
 * {@code formation} leaves the growth rounds out, {@code growth} the formation rounds.
 */
public final class FormationBenchmark {
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    private static final int KEYS = 200_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String sizes = args.length > 1 ? args[1] : "6,90";
        boolean growth = args.length < 3 || !"formation".equals(args[2]);
        boolean formation = args.length < 3 || !"growth".equals(args[2]);
        List<String> table = new ArrayList<>();
        ours(6, 1); // warm the JVM once, as a long-running agent would be
        for (String size : formation ? sizes.split(",") : new String[0]) {
            int n = Integer.parseInt(size.strip());
            int replicas = n >= 30 ? 2 : 1;
            List<Double> cli = new ArrayList<>();
            List<Double> ours = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String load = loadAverage();
                boolean cliFirst = round % 2 == 1;
                double a = cliFirst ? redisCli(n, replicas) : ours(n, replicas);
                double b = cliFirst ? ours(n, replicas) : redisCli(n, replicas);
                cli.add(cliFirst ? a : b);
                ours.add(cliFirst ? b : a);
                System.out.printf(Locale.ROOT, "formation %d nodes, round %d: redis-cli %.2f s, redis-ha %.2f s (1-minute load average %s before the round)%n",
                        n, round, cli.get(round - 1), ours.get(round - 1), load);
            }
            table.add(String.format(Locale.ROOT, "| formation, %d nodes (%dx%d) | %.2f s | %.2f s | %.2f |", n, n / (replicas + 1), replicas,
                    median(cli), median(ours), median(ours) / median(cli)));
        }
        if (growth) {
            List<Double> cliGrow = new ArrayList<>();
            List<Double> oursGrow = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                cliGrow.add(grow(false, round));
                oursGrow.add(grow(true, round));
            }
            table.add(String.format(Locale.ROOT, "| growth 3x1 -> 4x1, 200k keys, writer on | %.2f s | %.2f s | %.2f |", median(cliGrow),
                    median(oursGrow), median(oursGrow) / median(cliGrow)));
        }
        System.out.printf(Locale.ROOT, "%nmedians over %d rounds; end point: cluster_state:ok on every node and every replica in sync%n", rounds);
        System.out.println("| operation | redis-cli | redis-ha | ratio ours / redis-cli |");
        System.out.println("|---|---|---|---|");
        table.forEach(System.out::println);
    }

    private static double redisCli(int n, int replicas) throws Exception {
        try (RedisNodes nodes = settled(n, replicas)) {
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.addresses().forEach(a -> command.add(a.toString()));
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            long start = System.nanoTime();
            run(command);
            awaitServedAndSynced(nodes.addresses(), n / (replicas + 1) * replicas);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double ours(int n, int replicas) throws Exception {
        try (RedisNodes nodes = settled(n, replicas)) {
            long start = System.nanoTime();
            List<String> steps = new ArrayList<>();
            ClusterListener timed = new ClusterListener() {
                @Override
                public void step(String name, int total) {
                    steps.add(String.format(Locale.ROOT, "%s@%.2f", name, (System.nanoTime() - start) / 1e9));
                }
            };
            ConvergeResult r = new ClusterEngine(Duration.ofSeconds(120)).converge(Resharding.assign(nodes.zoned(ZONES), replicas,
                    ZoneLoss.MUST_SURVIVE, Credentials.none()), Credentials.none(), timed);
            awaitServedAndSynced(nodes.addresses(), n / (replicas + 1) * replicas);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "    redis-ha: %d changes (%d MEETs); steps began at (s): %s%n", r.actions().size(),
                    r.actions().stream().filter(a -> a.startsWith("CLUSTER MEET")).count(), String.join(" ", steps));
            return seconds;
        }
    }

    /** 8 nodes: a 3x1 cluster with the keys on the first 6, two spare; grows to 4x1 under a writer. */
    private static double grow(boolean oursNotCli, int round) throws Exception {
        try (RedisNodes nodes = settled(8, 1)) {
            List<ZonedNode> zoned = nodes.zoned(ZONES);
            ClusterEngine engine = new ClusterEngine(Duration.ofSeconds(120));
            engine.converge(Resharding.assign(zoned.subList(0, 6), 1, ZoneLoss.MUST_SURVIVE, Credentials.none()), Credentials.none(),
                    ClusterListener.SILENT);
            List<NodeAddress> six = nodes.addresses().subList(0, 6);
            load(six);
            awaitServedAndSynced(six, 3);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            try (RedisClusterClient client = client(six)) {
                Thread writer = new Thread(() -> {
                    for (long i = 0; !stop.get(); i++) {
                        try {
                            client.set("w:" + (i % 5000), Long.toString(i));
                            acked.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
                writer.start();
                long start = System.nanoTime();
                if (oursNotCli) {
                    engine.converge(Resharding.assign(zoned, 1, ZoneLoss.ACCEPT_RISK, Credentials.none()), Credentials.none(),
                            ClusterListener.SILENT);
                } else {
                    NodeAddress master = nodes.address(6);
                    NodeAddress replica = nodes.address(7);
                    List<String> steps = new ArrayList<>();
                    long t = System.nanoTime();
                    run(List.of("redis-cli", "--cluster", "add-node", master.toString(), six.get(0).toString()));
                    t = step(steps, "add-node", t);
                    String newId = id(master);
                    awaitCheck(six.get(0), newId);
                    awaitKnown(six, newId);
                    // Until its rejoin delay has passed the new node answers CLUSTERDOWN, and MIGRATE to it fails.
                    awaitServedAndSynced(List.of(master), 0);
                    t = step(steps, "wait until the new master is known and serves", t);
                    run(List.of("redis-cli", "--cluster", "reshard", six.get(0).toString(), "--cluster-from", "all", "--cluster-to", newId,
                            "--cluster-slots", "4096", "--cluster-yes", "--cluster-pipeline", "1000"));
                    t = step(steps, "reshard", t);
                    // Right after a reshard the nodes may not agree yet and add-node refuses; its user runs it again.
                    runUntilAgreed(List.of("redis-cli", "--cluster", "add-node", replica.toString(), six.get(0).toString(), "--cluster-slave",
                            "--cluster-master-id", newId));
                    t = step(steps, "add-node --cluster-slave", t);
                    awaitServedAndSynced(nodes.addresses(), 4);
                    step(steps, "until served and the new replica in sync", t);
                    System.out.println("    redis-cli steps: " + String.join(", ", steps));
                }
                awaitServedAndSynced(nodes.addresses(), 4);
                double seconds = (System.nanoTime() - start) / 1e9;
                stop.set(true);
                writer.join();
                System.out.printf(Locale.ROOT, "growth 3x1 -> 4x1, round %d, %s: %.2f s (writer: %d acknowledged, %d failed)%n", round,
                        oursNotCli ? "redis-ha converge" : "redis-cli add-node + reshard + add-node --cluster-slave", seconds, acked.get(), failed.get());
                return seconds;
            }
        }
    }

    private static long step(List<String> steps, String what, long since) {
        long now = System.nanoTime();
        steps.add(String.format(Locale.ROOT, "%s %.2f s", what, (now - since) / 1e9));
        return now;
    }

    /** The guide's 200k keys of 64 bytes, through a cluster client in pipelines of 20k. */
    static void load(List<NodeAddress> seeds) {
        try (RedisClusterClient client = client(seeds)) {
            String pad = "v".repeat(56);
            for (int from = 0; from < KEYS; from += 20_000) {
                try (ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
                    for (int i = from; i < from + 20_000; i++) {
                        p.set("key:" + i, pad + String.format("%08d", i));
                    }
                    p.sync();
                }
            }
        }
    }

    private static RedisClusterClient client(List<NodeAddress> seeds) {
        Set<HostAndPort> hosts = new HashSet<>();
        seeds.forEach(a -> hosts.add(new HostAndPort(a.host(), a.port())));
        return RedisClusterClient.builder().nodes(hosts).maxAttempts(20).maxTotalRetriesDuration(Duration.ofSeconds(30)).build();
    }

    private static RedisNodes settled(int n, int replicas) throws InterruptedException {
        RedisNodes nodes = RedisNodes.nodes(n).withReplicasPerMaster(replicas).start();
        Thread.sleep(SETTLE.toMillis());
        return nodes;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out));
        }
    }

    private static void runUntilAgreed(List<String> command) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) {
                return;
            }
            if (!out.contains("don't agree") || System.nanoTime() > deadline) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            Thread.sleep(20);
        }
    }

    /** What a redis-cli user does before resharding onto a new node: check until the nodes agree and list it as a master. */
    private static void awaitCheck(NodeAddress seed, String newId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("redis-cli", "--cluster", "check", seed.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0 && out.contains("[OK] All nodes agree about slots configuration.") && out.contains("M: " + newId)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("redis-cli --cluster check never agreed");
    }

    /** Every node knows the new node: before that, redis-cli's reshard fails on the nodes that do not ("I don't know about node"). */
    private static void awaitKnown(List<NodeAddress> members, String newId) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (members.stream().anyMatch(a -> {
            try (Jedis j = new Jedis(a.host(), a.port())) {
                return !MemberView.parse(j.clusterNodes()).memberIds().contains(newId);
            }
        })) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the new node never became known to every member");
            }
            Thread.sleep(20);
        }
    }

    private static String id(NodeAddress a) {
        try (Jedis j = new Jedis(a.host(), a.port())) {
            return MemberView.parse(j.clusterNodes()).myself().id();
        }
    }

    /** cluster_state:ok on every node and {@code replicas} replicas with their link up and no sync in progress. */
    static void awaitServedAndSynced(List<NodeAddress> nodes, int replicas) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!servedAndSynced(nodes, replicas)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not serve with every replica in sync within 180 s");
            }
            Thread.sleep(20);
        }
    }

    private static boolean servedAndSynced(List<NodeAddress> nodes, int replicas) {
        int synced = 0;
        for (NodeAddress a : nodes) {
            try (Jedis j = new Jedis(a.host(), a.port())) {
                if (!j.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
                String replication = j.info("replication");
                if (replication.contains("role:slave")) {
                    if (!replication.contains("master_link_status:up") || replication.contains("master_sync_in_progress:1")) {
                        return false;
                    }
                    synced++;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return synced == replicas;
    }

    /** The host's 1-minute load average: the cores are shared, and the figures mean little without it. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
