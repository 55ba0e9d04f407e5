package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.SlotMove;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The guide's "Adding Nodes" reshard, measured: 3 masters with 200k keys of 64 bytes, a 4th empty
 * master, 4096 slots moved to it by {@code redis-cli --cluster reshard} (default pipeline of 10 keys,
 * and --cluster-pipeline 1000) and by our {@link SlotMover} with a writer running. A fresh cluster
 * for every run. Prints the medians, the ratios, and the writes the writer lost. Not a test: no
 * timing is asserted. Run with {@code tests/bench/reshard-bench.sh [rounds]}.
 */
public final class ReshardBenchmark {
    private static final int KEYS = 200_000;
    private static final int SLOTS = 4096;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Double> cliDefault = new ArrayList<>();
        List<Double> cliBest = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        long lost = 0;
        long written = 0;
        run("ours (warm-up)", null);
        for (int round = 1; round <= rounds; round++) {
            if (!Boolean.getBoolean("bench.oursOnly")) {
                cliDefault.add(run("redis-cli default pipeline, round " + round, List.of()));
                cliBest.add(run("redis-cli --cluster-pipeline 1000, round " + round, List.of("--cluster-pipeline", "1000")));
            }
            double[] r = runOurs("redis-ha SlotMover with a writer, round " + round);
            ours.add(r[0]);
            written += (long) r[1];
            lost += (long) r[2];
        }
        double d = cliDefault.isEmpty() ? Double.NaN : median(cliDefault);
        double b = cliBest.isEmpty() ? Double.NaN : median(cliBest);
        double o = median(ours);
        System.out.println();
        System.out.printf(Locale.ROOT, "reshard of %d slots, %d keys of 64 bytes, 3 -> 4 masters, %d rounds (medians):%n", SLOTS, KEYS, rounds);
        System.out.printf(Locale.ROOT, "  redis-cli (default pipeline 10):  %.2f s%n", d);
        System.out.printf(Locale.ROOT, "  redis-cli --cluster-pipeline 1000: %.2f s%n", b);
        System.out.printf(Locale.ROOT, "  redis-ha SlotMover (writer on):   %.2f s%n", o);
        System.out.printf(Locale.ROOT, "  speed-up: %.1fx vs redis-cli default, %.1fx vs --cluster-pipeline 1000, %.1fx vs the faster redis-cli median%n",
                d / o, b / o, Math.min(d, b) / o);
        System.out.printf(Locale.ROOT, "  writer during ours: %d acknowledged writes, %d lost%n", written, lost);
    }

    /** The mover's options; -Dbench.slotsPerBatch, -Dbench.parallel, -Dbench.keysPerMigrate, -Dbench.bytesPerMigrate, -Dbench.maxBusy override the defaults. */
    private static SlotMover.Options options() {
        SlotMover.Options d = SlotMover.Options.defaults();
        return new SlotMover.Options(Integer.getInteger("bench.keysPerMigrate", d.keysPerMigrate()),
                Integer.getInteger("bench.slotsPerBatch", d.slotsPerBatch()), Integer.getInteger("bench.parallel", d.threadsPerPair()),
                d.migrateTimeoutMs(), d.retries(), Long.getLong("bench.bytesPerMigrate", d.bytesPerMigrate()),
                Integer.getInteger("bench.maxBusy", d.maxBusyPercent()));
    }

    private static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A fresh 3-master cluster with the keys, and an empty 4th master that every node knows. */
    private static RedisNodes cluster() throws Exception {
        RedisNodes nodes = RedisNodes.nodes(4).withReplicasPerMaster(0).start();
        List<ZonedNode> three = List.of(new ZonedNode(nodes.address(0), "a"), new ZonedNode(nodes.address(1), "b"),
                new ZonedNode(nodes.address(2), "c"));
        Placement placement = Planner.assign(three, 0, ZoneLoss.ACCEPT_RISK, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(60)).converge(placement, Credentials.none(), ClusterListener.SILENT);
        try (Jedis fourth = nodes.jedis(3)) {
            fourth.clusterMeet("127.0.0.1", nodes.address(0).port());
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            boolean ready = true;
            for (int i = 0; i < 4; i++) {
                try (Jedis j = nodes.jedis(i)) {
                    ready &= MemberView.parse(j.clusterNodes()).memberIds().size() == 4 && j.clusterInfo().contains("cluster_state:ok");
                }
            }
            if (ready) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the 4th node did not join");
            }
            Thread.sleep(20);
        }
        FormationBenchmark.load(nodes.addresses());
        return nodes;
    }

    private static RedisClusterClient client(RedisNodes nodes) {
        Set<HostAndPort> seeds = new HashSet<>();
        nodes.addresses().forEach(a -> seeds.add(new HostAndPort(a.host(), a.port())));
        return RedisClusterClient.builder().nodes(seeds).maxAttempts(20).maxTotalRetriesDuration(Duration.ofSeconds(30)).build();
    }

    private static void verify(RedisNodes nodes, String what) {
        long keys = 0;
        LiveCluster live = LiveCluster.load(nodes.address(0), Credentials.none());
        for (int i = 0; i < 4; i++) {
            try (Jedis j = nodes.jedis(i)) {
                keys += j.keys("key:*").size();
            }
        }
        String id4 = live.find(nodes.address(3).toString()).orElseThrow().id();
        int moved = live.ownedRanges().get(id4).stream().mapToInt(r -> r.size()).sum();
        if (keys != KEYS || !live.openSlots().isEmpty() || moved != SLOTS) {
            throw new IllegalStateException(what + ": expected " + KEYS + " keys, no open slot and " + SLOTS
                    + " slots on the new master; found " + keys + " keys, open " + live.openSlots() + ", " + moved + " slots");
        }
    }

    /** redis-cli's reshard on a fresh cluster; {@code null} options runs ours instead (warm-up). */
    private static double run(String what, List<String> pipeline) throws Exception {
        if (pipeline == null) {
            return runOurs(what)[0];
        }
        try (RedisNodes nodes = cluster()) {
            LiveCluster live = LiveCluster.load(nodes.address(0), Credentials.none());
            String to = live.find(nodes.address(3).toString()).orElseThrow().id();
            List<String> from = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                from.add(live.find(nodes.address(i).toString()).orElseThrow().id());
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "reshard", nodes.address(0).toString(),
                    "--cluster-from", String.join(",", from), "--cluster-to", to, "--cluster-slots", Integer.toString(SLOTS), "--cluster-yes"));
            command.addAll(pipeline);
            long cpu = nodes.cpuMillis();
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int code = p.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            cpu = nodes.cpuMillis() - cpu;
            if (code != 0) {
                throw new IllegalStateException("redis-cli exited " + code);
            }
            verify(nodes, what);
            System.out.printf(Locale.ROOT, "%-50s %.2f s (servers' CPU %d ms, %.2f cores)%n", what, seconds, cpu, cpu / 1000.0 / seconds);
            return seconds;
        }
    }

    /** Our mover on a fresh cluster with a writer running; returns seconds, acknowledged writes, lost writes. */
    private static double[] runOurs(String what) throws Exception {
        try (RedisNodes nodes = cluster(); RedisClusterClient client = client(nodes)) {
            Map<String, Long> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    String k = "w:" + (n % 5000);
                    try {
                        client.set(k, Long.toString(n));
                        acked.put(k, n);
                        writes.incrementAndGet();
                    } catch (RuntimeException e) {
                        // Not acknowledged: not counted.
                    }
                    n++;
                }
            });
            writer.start();
            long cpu = nodes.cpuMillis();
            long jvmCpu = jvmCpuMillis();
            long start = System.nanoTime();
            LiveCluster live = LiveCluster.load(nodes.address(0), Credentials.none());
            String to = live.find(nodes.address(3).toString()).orElseThrow().id();
            List<String> from = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                from.add(live.find(nodes.address(i).toString()).orElseThrow().id());
            }
            List<SlotMove> moves = Resharding.reshard(live, from, to, SLOTS);
            SlotMover.Result result = new SlotMover(options(), Credentials.none()).move(live, moves, SlotMover.Listener.SILENT);
            double seconds = (System.nanoTime() - start) / 1e9;
            cpu = nodes.cpuMillis() - cpu;
            jvmCpu = jvmCpuMillis() - jvmCpu;
            stop.set(true);
            writer.join();
            if (!result.ok()) {
                throw new IllegalStateException(what + ": " + result.leftOpen());
            }
            long lost = acked.entrySet().stream().filter(e -> {
                String v = client.get(e.getKey());
                return v == null || Long.parseLong(v) < e.getValue();
            }).count();
            // The writer's keys are extra; count only the loaded ones in verify.
            verify(nodes, what);
            System.out.printf(Locale.ROOT, "%-50s %.2f s (%d keys moved; writer: %d writes acknowledged, %d lost; servers' CPU %d ms,"
                    + " %.2f cores; this JVM, mover and writer, %d ms)%n", what, seconds, result.keysMoved(), writes.get(), lost, cpu,
                    cpu / 1000.0 / seconds, jvmCpu);
            System.out.println("    worker time by step (ms, summed over workers): " + result.phaseMillis());
            return new double[] {seconds, writes.get(), lost};
        }
    }
}
