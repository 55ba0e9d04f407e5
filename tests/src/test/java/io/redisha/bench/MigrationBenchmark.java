package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ClusterListener;
import io.redisha.cluster.ClusterNodes;
import io.redisha.cluster.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Migration at size: one master holding incompressible values in all its slots, 4096 of those slots
 * moved to an empty 4th master, while a client runs GET/SET at a fixed rate and records latency
 * from each request's scheduled time (so a stalled server counts in full). Sizes: (a) 4 KB values,
 * (b) 256 KB values, the 4096 moved slots holding 1 GB and 500 MB at scale 1. Tools, each on a fresh
 * cluster and each as its own process (so /usr/bin/time gives its peak RSS): {@code redis-cli
 * --cluster reshard} with its default pipeline (10 keys per MIGRATE) and with 1000, and {@code
 * redis-ha reshard}. Prints MB/s, keys/s, the client's p50/p99/max idle and during the move, and
 * the ratios. Not a test. Run with {@code tests/bench/migration-bench.sh [scale]}.
 */
public final class MigrationBenchmark {
    private static final int MOVED_SLOTS = 4096;
    private static final int CLIENT_OPS_PER_SECOND = 500;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(3);
    private static final String JAR = "bootstrap/target/redis-ha.jar";

    private record Size(String label, int valueBytes, long movedBytes) {
    }

    private record Latency(double p50, double p99, double max, int samples) {
        static Latency of(List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return new Latency(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            return new Latency(sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                    sorted[sorted.length - 1] / 1e6, sorted.length);
        }
    }

    private record Result(String tool, double seconds, long keys, long bytes, long peakRssKb, Latency idle, Latency moving) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<Size> sizes = List.of(new Size("4 KB values", 4096, (long) (1e9 * scale)), new Size("256 KB values", 262_144, (long) (500e6 * scale)));
        List<String> table = new ArrayList<>();
        for (Size size : sizes) {
            List<Result> results = new ArrayList<>();
            results.add(run(size, "redis-cli --cluster reshard (pipeline 10)", List.of()));
            results.add(run(size, "redis-cli --cluster reshard --cluster-pipeline 1000", List.of("--cluster-pipeline", "1000")));
            results.add(run(size, "redis-ha reshard", null));
            double best = results.subList(0, 2).stream().mapToDouble(Result::mbPerSecond).max().orElseThrow();
            for (Result r : results) {
                table.add(String.format(Locale.ROOT, "| %s, %.0f MB moved | %s | %.1f s | %.1f MB/s | %.0f keys/s | %.2f / %.2f / %.1f ms | %.2f / %.2f / %.1f ms | %.1f | %d MB | %.2fx |",
                        size.label(), r.bytes() / 1e6, r.tool(), r.seconds(), r.mbPerSecond(), r.keys() / r.seconds(), r.idle().p50(), r.idle().p99(),
                        r.idle().max(), r.moving().p50(), r.moving().p99(), r.moving().max(), r.moving().p99() / r.idle().p99(), r.peakRssKb() / 1024,
                        r.mbPerSecond() / best));
            }
        }
        System.out.printf(Locale.ROOT, "%n%d slots moved from one master to a new one; client at %d ops/s (GET/SET, 64-byte values);"
                + " latency p50 / p99 / max%n", MOVED_SLOTS, CLIENT_OPS_PER_SECOND);
        System.out.println("| data | tool | time | throughput | keys/s | client idle | client during the move | p99 during / idle | peak RSS of the tool | throughput / redis-cli's best |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** One move on a fresh cluster; {@code pipeline} null runs redis-ha. */
    private static Result run(Size size, String tool, List<String> pipeline) throws Exception {
        try (RedisNodes nodes = RedisNodes.nodes(4).withReplicasPerMaster(0).start()) {
            NodeAddress[] roles = cluster(nodes);
            NodeAddress source = roles[0];
            NodeAddress target = roles[1];
            long loaded = load(source, size);
            String sourceId = id(source);
            String targetId = id(target);
            List<Long> idle = new ArrayList<>();
            List<Long> moving = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean during = new AtomicBoolean();
            Thread client = client(nodes, stop, during, idle, moving);
            client.start();
            Thread.sleep(IDLE_WINDOW.toMillis());
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v"));
            if (pipeline == null) {
                command.addAll(List.of("java", "-jar", JAR, "reshard", source.toString(), "--from", sourceId, "--to", targetId,
                        "--slots", Integer.toString(MOVED_SLOTS), "--yes", "--json"));
            } else {
                command.addAll(List.of("redis-cli", "--cluster", "reshard", source.toString(), "--cluster-from", sourceId, "--cluster-to", targetId,
                        "--cluster-slots", Integer.toString(MOVED_SLOTS), "--cluster-yes"));
                command.addAll(pipeline);
            }
            during.set(true);
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            during.set(false);
            stop.set(true);
            client.join();
            if (exit != 0) {
                throw new IllegalStateException(tool + " exited " + exit + ": " + out.substring(Math.max(0, out.length() - 2000)));
            }
            long onTarget;
            long onSource;
            try (Jedis t = jedis(target); Jedis s = jedis(source)) {
                onTarget = t.dbSize();
                onSource = s.dbSize();
                int owned = SlotRange.total(ClusterNodes.parse(t.clusterNodes()).myself().slots());
                if (owned != MOVED_SLOTS || onTarget + onSource < loaded || !ClusterNodes.parse(t.clusterNodes()).myself().openSlots().isEmpty()) {
                    throw new IllegalStateException(tool + ": expected " + MOVED_SLOTS + " slots and " + loaded + " keys in all, found "
                            + owned + " slots, " + onTarget + " + " + onSource + " keys");
                }
            }
            Matcher rss = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(out);
            long rssKb = rss.find() ? Long.parseLong(rss.group(1)) : -1;
            // The client's own keys ("c:...") that landed in the moved slots count as moved too; they are few and small.
            Result r = new Result(tool, seconds, onTarget, onTarget * (long) size.valueBytes(), rssKb, Latency.of(idle), Latency.of(moving));
            System.out.printf(Locale.ROOT, "%s, %s: %.1f s, %.1f MB/s, %d keys moved, peak RSS %d MB; client p99 idle %.2f ms, during %.2f ms (max %.1f)%n",
                    size.label(), tool, r.seconds(), r.mbPerSecond(), r.keys(), rssKb / 1024, r.idle().p99(), r.moving().p99(), r.moving().max());
            return r;
        }
    }

    /** A 3-master cluster and a 4th empty master every node knows; returns {source (owner of slot 0), target}. */
    private static NodeAddress[] cluster(RedisNodes nodes) throws Exception {
        List<ZonedNode> three = List.of(new ZonedNode(nodes.address(0), "a"), new ZonedNode(nodes.address(1), "b"), new ZonedNode(nodes.address(2), "c"));
        Placement placement = Planner.assign(three, 0, ZoneLoss.ACCEPT_RISK, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(60)).converge(placement, Credentials.none(), ClusterListener.SILENT);
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = jedis(a)) {
                // Room for the data, and no disk in the way: the same for every tool.
                j.configSet("maxmemory", "0");
                j.configSet("appendonly", "no");
            }
        }
        try (Jedis fourth = jedis(nodes.address(3))) {
            fourth.clusterMeet("127.0.0.1", nodes.address(0).port());
        }
        FormationBenchmark.awaitServedAndSynced(nodes.addresses(), 0);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (nodes.addresses().stream().anyMatch(a -> {
            try (Jedis j = jedis(a)) {
                return ClusterNodes.parse(j.clusterNodes()).memberIds().size() != 4;
            }
        })) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the 4th node did not join");
            }
            Thread.sleep(20);
        }
        NodeAddress source = null;
        for (int i = 0; i < 3; i++) {
            try (Jedis j = jedis(nodes.address(i))) {
                if (ClusterNodes.parse(j.clusterNodes()).myself().slots().stream().anyMatch(r -> r.first() == 0)) {
                    source = nodes.address(i);
                }
            }
        }
        return new NodeAddress[] {source, nodes.address(3)};
    }

    /**
     * Fills every slot of the source evenly with incompressible values (DUMP compresses, so repeated
     * bytes would flatter every tool), at the density that puts {@code movedBytes} in 4096 slots.
     */
    private static long load(NodeAddress source, Size size) {
        List<Integer> slots = new ArrayList<>();
        try (Jedis j = jedis(source)) {
            ClusterNodes.parse(j.clusterNodes()).myself().slots().forEach(r -> {
                for (int s = r.first(); s <= r.last(); s++) {
                    slots.add(s);
                }
            });
        }
        String[] tags = tags();
        long perMovedSlots = Math.max(1, size.movedBytes() / size.valueBytes());
        long total = perMovedSlots * slots.size() / MOVED_SLOTS;
        byte[] pool = new byte[16 << 20];
        new Random(42).nextBytes(pool);
        try (Jedis j = new Jedis(source.host(), source.port(), 60_000)) {
            Pipeline p = j.pipelined();
            long pendingBytes = 0;
            for (long i = 0; i < total; i++) {
                int slot = slots.get((int) (i % slots.size()));
                int offset = (int) ((i * 7919L) % (pool.length - size.valueBytes()));
                p.set(("{" + tags[slot] + "}:" + i).getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(pool, offset, offset + size.valueBytes()));
                pendingBytes += size.valueBytes();
                if (pendingBytes >= (32 << 20)) {
                    p.sync();
                    pendingBytes = 0;
                }
            }
            p.sync();
        }
        return total;
    }

    /** A hash tag for every slot. */
    private static String[] tags() {
        String[] tags = new String[16384];
        int found = 0;
        for (int i = 0; found < tags.length; i++) {
            String tag = Integer.toString(i, 36);
            int slot = JedisClusterCRC16.getSlot(tag);
            if (tags[slot] == null) {
                tags[slot] = tag;
                found++;
            }
        }
        return tags;
    }

    /** GET and SET in turn at a fixed rate; each latency is taken from the request's scheduled time. */
    private static Thread client(RedisNodes nodes, AtomicBoolean stop, AtomicBoolean during, List<Long> idle, List<Long> moving) {
        Set<HostAndPort> seeds = new HashSet<>();
        nodes.addresses().forEach(a -> seeds.add(new HostAndPort(a.host(), a.port())));
        return new Thread(() -> {
            try (RedisClusterClient c = RedisClusterClient.builder().nodes(seeds).maxAttempts(20)
                    .maxTotalRetriesDuration(Duration.ofSeconds(60)).build()) {
                long interval = 1_000_000_000L / CLIENT_OPS_PER_SECOND;
                long next = System.nanoTime();
                String value = "x".repeat(64);
                for (long n = 0; !stop.get(); n++) {
                    long now = System.nanoTime();
                    if (now < next) {
                        java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                    }
                    boolean moveRunning = during.get();
                    String key = "c:" + ThreadLocalRandom.current().nextInt(10_000);
                    try {
                        if (n % 2 == 0) {
                            c.set(key, value);
                        } else {
                            c.get(key);
                        }
                    } catch (RuntimeException e) {
                        // A failed request counts with the time it took.
                    }
                    long latency = System.nanoTime() - next;
                    (moveRunning ? moving : idle).add(latency);
                    next += interval;
                }
            }
        });
    }

    private static String id(NodeAddress a) {
        try (Jedis j = jedis(a)) {
            return ClusterNodes.parse(j.clusterNodes()).myself().id();
        }
    }

    private static Jedis jedis(NodeAddress a) {
        return new Jedis(a.host(), a.port(), 30_000);
    }
}
