package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Readiness;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Forms the same 3x1 cluster of 6 fresh loopback nodes with {@code redis-cli --cluster create} and
 * with our engine, {@code rounds} times each (fresh nodes every time, one config renderer for both),
 * and prints the medians. Not a test: no timing is asserted anywhere. Run with
 * {@code tests/bench/create-bench.sh [rounds]}.
 *
 * <p>Both tools start on nodes that have been up for {@link #SETTLE}: a Redis master refuses to
 * report cluster_state:ok during its first 2 s (CLUSTER_WRITABLE_DELAY), a server-side floor that
 * would otherwise dominate both figures; on EC2 the nodes are up long before the bootstrap runs.
 * Ours is measured twice: with {@code --wait configured}, which returns at the point redis-cli does
 * (members, slots and replicas agreed everywhere), and with the default, which returns only when the
 * cluster serves (cluster_state:ok on every node, every replica link up). The time until the cluster
 * serves is measured for redis-cli and for {@code --wait configured} as well.
 */
public final class CreateBenchmark {
    private static final Duration SETTLE = Duration.ofMillis(2500);
    /** Time from the start until the cluster serves (state ok everywhere, replica links up), per tool. */
    private static final List<Double> cliUntilServing = new ArrayList<>();
    private static final List<Double> configuredUntilServing = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ClusterEngine engine = new ClusterEngine(Duration.ofSeconds(60));
        // One unmeasured round each warms the JVM (class loading, JIT), as a long-running agent would be.
        redisCli();
        ours(engine, Readiness.CONFIGURED);
        ours(engine, Readiness.SERVING);
        cliUntilServing.clear();
        configuredUntilServing.clear();
        List<Double> cli = new ArrayList<>();
        List<Double> configured = new ArrayList<>();
        List<Double> serving = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // Rotate the order so no tool always runs on a warmer machine.
            for (int turn = 0; turn < 3; turn++) {
                switch ((round + turn) % 3) {
                    case 0 -> cli.add(redisCli());
                    case 1 -> configured.add(ours(engine, Readiness.CONFIGURED));
                    default -> serving.add(ours(engine, Readiness.SERVING));
                }
            }
            System.out.printf(Locale.ROOT, "round %d: redis-cli %.3f s (serving at %.3f s); redis-ha --wait configured %.3f s"
                            + " (serving at %.3f s); redis-ha (default, waits until serving) %.3f s%n",
                    round, cli.get(round - 1), cliUntilServing.get(round - 1), configured.get(round - 1),
                    configuredUntilServing.get(round - 1), serving.get(round - 1));
        }
        double cliMedian = median(cli);
        double configuredMedian = median(configured);
        double servingMedian = median(serving);
        System.out.printf(Locale.ROOT, "%nmedians over %d rounds, 6 fresh nodes (3 masters x 1 replica):%n", rounds);
        System.out.printf(Locale.ROOT, "  until the tool returns with the cluster configured: redis-cli --cluster create %.3f s,"
                + " redis-ha create --wait configured %.3f s, ratio ours/redis-cli %.2f%n", cliMedian, configuredMedian,
                configuredMedian / cliMedian);
        double cliServing = median(cliUntilServing);
        System.out.printf(Locale.ROOT, "  until the cluster serves (cluster_state:ok everywhere, replica links up): redis-cli %.3f s,"
                + " redis-ha create (default) %.3f s, ratio %.2f%n", cliServing, servingMedian, servingMedian / cliServing);
    }

    private static double redisCli() throws Exception {
        try (RedisNodes nodes = settled()) {
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.addresses().forEach(a -> command.add(a.toString()));
            command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0 || !new String(output).contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed (" + exit + "): " + new String(output));
            }
            // The same end state ours waits for, measured from the same start.
            while (!servingWithReplicasUp(nodes)) {
                Thread.sleep(20);
            }
            cliUntilServing.add((System.nanoTime() - start) / 1e9);
            return seconds;
        }
    }

    private static double ours(ClusterEngine engine, Readiness readiness) throws InterruptedException {
        try (RedisNodes nodes = settled()) {
            long start = System.nanoTime();
            Placement placement = Planner.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), 1, ZoneLoss.MUST_SURVIVE,
                    java.util.Optional.empty());
            engine.converge(placement, Credentials.none(), ClusterListener.SILENT, readiness);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (readiness == Readiness.CONFIGURED) {
                while (!servingWithReplicasUp(nodes)) {
                    Thread.sleep(20);
                }
                configuredUntilServing.add((System.nanoTime() - start) / 1e9);
            }
            return seconds;
        }
    }

    private static RedisNodes settled() throws InterruptedException {
        long started = System.nanoTime();
        RedisNodes nodes = RedisNodes.nodes(6).withReplicasPerMaster(1).start();
        long left = SETTLE.toNanos() - (System.nanoTime() - started);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        return nodes;
    }

    private static boolean servingWithReplicasUp(RedisNodes nodes) {
        int replicasUp = 0;
        for (var address : nodes.addresses()) {
            try (redis.clients.jedis.Jedis jedis = nodes.jedis(address)) {
                if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
                String replication = jedis.info("replication");
                if (replication.contains("role:slave")) {
                    if (!replication.contains("master_link_status:up")) {
                        return false;
                    }
                    replicasUp++;
                }
            }
        }
        return replicasUp == 3;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

}
