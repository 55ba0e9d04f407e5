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
 * Migration at size: three masters holding incompressible values evenly in all slots, 4096 slots
 * moved from all of them to an empty 4th master (the guide's "add a master" reshard), while a client runs GET/SET at a fixed rate and records each
 * request's latency from send to reply (MOVED/ASK redirections and retries included). Sizes: (a) 4 KB values,
 * (b) 256 KB values, the 4096 moved slots holding 1 GB and 500 MB at scale 1 (4 GB and 2 GB loaded). Tools, each on a fresh
 * cluster and each as its own process (so /usr/bin/time gives its peak RSS): {@code redis-cli
 * --cluster reshard} with its default pipeline (10 keys per MIGRATE) and with 1000, and {@code
 * redis-ha reshard} (its defaults, and {@code --bytes-per-migrate 65536}: the latency end of the trade-off). Prints MB/s, keys/s, the client's p50/p99/max idle and during the move, and
 * the ratios. Not a test. Run with {@code tests/bench/migration-bench.sh [scale]}.
 */
public final class MigrationBenchmark {
    private static final int MOVED_SLOTS = 4096;
    private static final int CLIENT_OPS_PER_SECOND = 200;
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
            results.add(run(size, "redis-ha reshard", List.of()));
            // The latency end of the trade-off: MIGRATE rounds of 256 KiB instead of 4 MiB.
            results.add(run(size, "redis-ha reshard --bytes-per-migrate 65536", List.of("--bytes-per-migrate", "65536")));
            double best = results.subList(0, 2).stream().mapToDouble(Result::mbPerSecond).max().orElseThrow();
            for (Result r : results) {
                table.add(String.format(Locale.ROOT, "| %s, %.0f MB moved | %s | %.1f s | %.1f MB/s | %.0f keys/s | %.2f / %.2f / %.1f ms | %.2f / %.2f / %.1f ms | %.1f | %d MB | %.2fx |",
                        size.label(), r.bytes() / 1e6, r.tool(), r.seconds(), r.mbPerSecond(), r.keys() / r.seconds(), r.idle().p50(), r.idle().p99(),
                        r.idle().max(), r.moving().p50(), r.moving().p99(), r.moving().max(), r.moving().p99() / r.idle().p99(), r.peakRssKb() / 1024,
                        r.mbPerSecond() / best));
            }
        }
        System.out.printf(Locale.ROOT, "%n%d slots moved from 3 masters to a new one; client at %d ops/s (GET/SET, 64-byte values);"
                + " latency p50 / p99 / max%n", MOVED_SLOTS, CLIENT_OPS_PER_SECOND);
        System.out.println("| data | tool | time | throughput | keys/s | client idle | client during the move | p99 during / idle | peak RSS of the tool | throughput / redis-cli's best |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** One move on a fresh cluster; a tool named "redis-ha ..." runs our CLI with {@code extra}, otherwise redis-cli. */
    private static Result run(Size size, String tool, List<String> extra) throws Exception {
        try (RedisNodes nodes = RedisNodes.nodes(4).withReplicasPerMaster(0).start()) {
            NodeAddress target = cluster(nodes);
            List<NodeAddress> sources = nodes.addresses().subList(0, 3);
            long loaded = load(sources, size);
            String targetId = id(target);
            List<Long> idle = new ArrayList<>();
            List<Long> moving = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean during = new AtomicBoolean();
            Thread client = client(nodes, stop, during, idle, moving);
            client.start();
            Thread.sleep(IDLE_WINDOW.toMillis());
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v"));
            if (tool.startsWith("redis-ha")) {
                command.addAll(List.of("java", "-jar", JAR, "reshard", target.toString(), "--from", "all", "--to", targetId,
                        "--slots", Integer.toString(MOVED_SLOTS), "--yes", "--json"));
                command.addAll(extra);
            } else {
                command.addAll(List.of("redis-cli", "--cluster", "reshard", target.toString(), "--cluster-from", "all", "--cluster-to", targetId,
                        "--cluster-slots", Integer.toString(MOVED_SLOTS), "--cluster-yes"));
                command.addAll(extra);
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
            long elsewhere = 0;
            for (NodeAddress a : sources) {
                try (Jedis j = jedis(a)) {
                    elsewhere += j.dbSize();
                }
            }
            try (Jedis t = jedis(target)) {
                onTarget = t.dbSize();
                ClusterNodes view = ClusterNodes.parse(t.clusterNodes());
                int owned = SlotRange.total(view.myself().slots());
                if (owned != MOVED_SLOTS || onTarget + elsewhere < loaded || view.nodes().stream().anyMatch(n -> !n.openSlots().isEmpty())) {
                    throw new IllegalStateException(tool + ": expected " + MOVED_SLOTS + " slots and " + loaded + " keys in all, found "
                            + owned + " slots, " + onTarget + " + " + elsewhere + " keys");
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

    /** A 3-master cluster (nodes 0-2) and a 4th empty master every node knows; returns the 4th. */
    private static NodeAddress cluster(RedisNodes nodes) throws Exception {
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
        FormationBenchmark.awaitServedAndSynced(nodes.addresses(), 0);
        return nodes.address(3);
    }

    /**
     * Fills every slot of the masters evenly with incompressible values (DUMP compresses, so repeated
     * bytes would flatter every tool), at the density that puts {@code movedBytes} in 4096 slots;
     * one loader per master. Returns the number of keys.
     */
    private static long load(List<NodeAddress> masters, Size size) throws InterruptedException {
        String[] tags = tags();
        double perSlot = (double) size.movedBytes() / size.valueBytes() / MOVED_SLOTS;
        byte[] pool = new byte[16 << 20];
        new Random(42).nextBytes(pool);
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> loaders = new ArrayList<>();
        for (NodeAddress master : masters) {
            Thread loader = new Thread(() -> {
                List<Integer> slots = new ArrayList<>();
                try (Jedis j = new Jedis(master.host(), master.port(), 60_000)) {
                    ClusterNodes.parse(j.clusterNodes()).myself().slots().forEach(r -> {
                        for (int s = r.first(); s <= r.last(); s++) {
                            slots.add(s);
                        }
                    });
                    long keys = Math.round(perSlot * slots.size());
                    Pipeline p = j.pipelined();
                    long pendingBytes = 0;
                    for (long i = 0; i < keys; i++) {
                        // Evenly spaced over the slots, so any 4096 of them hold the same share even when keys < slots.
                        int slot = slots.get((int) (i * slots.size() / keys));
                        int offset = (int) ((i * 7919L + slot) % (pool.length - size.valueBytes()));
                        p.set(("{" + tags[slot] + "}:" + i).getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(pool, offset, offset + size.valueBytes()));
                        pendingBytes += size.valueBytes();
                        if (pendingBytes >= (32 << 20)) {
                            p.sync();
                            pendingBytes = 0;
                        }
                    }
                    p.sync();
                    total.addAndGet(keys);
                }
            });
            loaders.add(loader);
            loader.start();
        }
        for (Thread t : loaders) {
            t.join();
        }
        return total.get();
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

    /** GET and SET in turn at a fixed rate; each latency is from send to reply, redirections included. */
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
                    long sent = System.nanoTime();
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
                    long latency = System.nanoTime() - sent;
                    (moveRunning ? moving : idle).add(latency);
                    // Paced, not queued: a late request does not push the next ones back (no backlog).
                    next = Math.max(next + interval, System.nanoTime());
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
