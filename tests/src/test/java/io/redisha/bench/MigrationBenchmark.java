package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.transport.Credentials;
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
 * Migration at size: three masters holding incompressible values evenly in all slots move slots to
 * new masters while a client runs GET/SET at a fixed rate and records each request's latency from
 * send to reply (MOVED/ASK redirections and retries included). Two moves:
 * <ul>
 *   <li>one target: 4096 slots from all three to an empty 4th master (the guide's "add a master"
 *       reshard): {@code redis-cli --cluster reshard} against {@code redis-ha reshard};</li>
 *   <li>three targets: 8192 slots from the three to three empty masters (a grow from 3 to 6):
 *       {@code redis-cli --cluster rebalance --cluster-use-empty-masters} against {@code redis-ha
 *       rebalance --use-empty-masters}, where our mover runs the source-target pairs in parallel.</li>
 * </ul>
 * Sizes: (a) 4 KB values, (b) 256 KB values, 4096 slots holding 1 GB and 500 MB at scale 1 (4 GB and
 * 2 GB loaded). redis-cli runs with its default pipeline (10 keys per MIGRATE) and with 1000; ours
 * with its defaults and with {@code --max-busy 100} (no rest between rounds: the throughput end).
 * Every tool runs as its own process on a fresh cluster (so /usr/bin/time gives its peak RSS), and
 * afterwards every loaded key is counted on the nodes: none may be lost. Prints MB/s, keys/s, the
 * client's p50/p99/max idle and during the move, medians over the rounds, and the ratios. Not a test.
 * Run with {@code tests/bench/migration-bench.sh [scale] [rounds] [one|three|both]}.
 */
public final class MigrationBenchmark {
    private static final int CLIENT_OPS_PER_SECOND = 200;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);
    private static final String JAR = "cli/target/redis-ha.jar";
    private static final String CLIENT_KEYS = "c:";

    private record Size(String label, int valueBytes, long bytesIn4096Slots) {
    }

    /** A move: how many empty masters join the three loaded ones, and each tool's command line. */
    private enum Move {
        ONE_TARGET("4096 slots to 1 new master", 1),
        THREE_TARGETS("8192 slots to 3 new masters", 3);

        final String label;
        final int targets;

        Move(String label, int targets) {
            this.label = label;
            this.targets = targets;
        }

        List<String> command(String tool, NodeAddress seed, List<String> targetIds, List<String> extra) {
            List<String> c = new ArrayList<>();
            boolean ours = tool.startsWith("redis-ha");
            if (ours) {
                // A small fixed heap, as the node image runs the watchdog: the mover holds key names, never values.
                c.addAll(List.of("java", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR));
                c.addAll(this == ONE_TARGET
                        ? List.of("reshard", seed.toString(), "--from", "all", "--to", targetIds.get(0), "--slots", "4096", "--yes")
                        : List.of("rebalance", seed.toString(), "--use-empty-masters"));
                c.add("--json");
            } else {
                c.addAll(this == ONE_TARGET
                        ? List.of("redis-cli", "--cluster", "reshard", seed.toString(), "--cluster-from", "all", "--cluster-to", targetIds.get(0),
                                "--cluster-slots", "4096", "--cluster-yes")
                        : List.of("redis-cli", "--cluster", "rebalance", seed.toString(), "--cluster-use-empty-masters"));
            }
            c.addAll(extra);
            return c;
        }

        /**
         * The tools: label and extra arguments. {@code -Dbench.ours="--max-busy 30;--bytes-per-migrate 65536"}
         * replaces our two variants (for tuning); redis-cli's two always run first, for the ratios.
         */
        List<Tool> tools() {
            List<Tool> tools = new ArrayList<>(List.of(new Tool("redis-cli (pipeline 10)", List.of()),
                    new Tool("redis-cli --cluster-pipeline 1000", List.of("--cluster-pipeline", "1000"))));
            String ours = System.getProperty("bench.ours", "");
            if (ours.isBlank()) {
                tools.add(new Tool("redis-ha (defaults)", List.of()));
                tools.add(new Tool("redis-ha --max-busy 100", List.of("--max-busy", "100")));
            } else {
                for (String variant : ours.split(";")) {
                    tools.add(new Tool(("redis-ha " + variant.strip()).strip(), variant.isBlank() ? List.of() : List.of(variant.strip().split("\\s+"))));
                }
            }
            return tools;
        }
    }

    private record Tool(String label, List<String> extra) {
        boolean redisCli() {
            return label.startsWith("redis-cli");
        }
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

    /** @param serverCores CPU the cluster's servers used during the move, in cores; toolCores the tool's own (from /usr/bin/time) */
    private record Result(String tool, double seconds, long keys, long bytes, long peakRssKb, Latency idle, Latency moving, double load,
                          double serverCores, double toolCores) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double p99Ratio() {
            return moving.p99() / idle.p99();
        }
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String which = args.length > 2 ? args[2] : "both";
        List<Move> moves = switch (which) {
            case "one" -> List.of(Move.ONE_TARGET);
            case "three" -> List.of(Move.THREE_TARGETS);
            case "both" -> List.of(Move.ONE_TARGET, Move.THREE_TARGETS);
            default -> throw new IllegalArgumentException("move: one, three or both, got " + which);
        };
        // -Dbench.size=4|256 runs one size only (for tuning).
        List<Size> sizes = List.of(new Size("4 KB values", 4096, (long) (1e9 * scale)), new Size("256 KB values", 262_144, (long) (500e6 * scale)))
                .stream().filter(z -> z.label().startsWith(System.getProperty("bench.size", "") + " ")
                        || System.getProperty("bench.size", "").isEmpty()).toList();
        List<String> table = new ArrayList<>();
        for (Move move : moves) {
            for (Size size : sizes) {
                List<List<Result>> byTool = new ArrayList<>();
                move.tools().forEach(t -> byTool.add(new ArrayList<>()));
                List<Double> throughputRatio = new ArrayList<>();
                List<Double> keysRatio = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    List<Result> these = new ArrayList<>();
                    for (int t = 0; t < move.tools().size(); t++) {
                        Result r = run(move, size, move.tools().get(t), round);
                        byTool.get(t).add(r);
                        these.add(r);
                    }
                    double best = these.subList(0, 2).stream().mapToDouble(Result::mbPerSecond).max().orElseThrow();
                    double bestKeys = these.subList(0, 2).stream().mapToDouble(r -> r.keys() / r.seconds()).max().orElseThrow();
                    throughputRatio.add(best);
                    keysRatio.add(bestKeys);
                }
                for (int t = 0; t < move.tools().size(); t++) {
                    List<Result> rs = byTool.get(t);
                    List<Double> ratios = new ArrayList<>();
                    for (int i = 0; i < rs.size(); i++) {
                        ratios.add(rs.get(i).mbPerSecond() / throughputRatio.get(i));
                    }
                    table.add(String.format(Locale.ROOT,
                            "| %s, %s | %s | %d | %.1f | %.1f s | %.1f MB/s | %.0f keys/s | %.2f / %.2f / %.1f ms | %.2f / %.2f / %.1f ms | %.1f | %.2f + %.2f | %d MB | %.2fx |",
                            move.label, size.label(), move.tools().get(t).label(), rs.size(), median(rs, Result::load),
                            median(rs, Result::seconds), median(rs, Result::mbPerSecond), median(rs, r -> r.keys() / r.seconds()),
                            median(rs, r -> r.idle().p50()), median(rs, r -> r.idle().p99()), median(rs, r -> r.idle().max()),
                            median(rs, r -> r.moving().p50()), median(rs, r -> r.moving().p99()), median(rs, r -> r.moving().max()),
                            median(rs, Result::p99Ratio), median(rs, Result::serverCores), median(rs, Result::toolCores), rs.stream().mapToLong(Result::peakRssKb).max().orElse(0) / 1024,
                            median(ratios)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nScale %.2f, %d round(s); client at %d ops/s (GET/SET, 64-byte values); latency p50 / p99 / max;"
                + " every figure a median over the rounds (peak RSS: the largest)%n", scale, rounds, CLIENT_OPS_PER_SECOND);
        System.out.println("| move, data | tool | runs | load (1 min) | time | throughput | keys/s | client idle | client during the move | p99 during / idle | CPU cores, servers + tool | peak RSS of the tool | throughput / redis-cli's best |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** A CPU time /usr/bin/time -v printed, in seconds ("User time (seconds): 1.23"). */
    private static double cpuSeconds(String timeOutput, String which) {
        Matcher m = Pattern.compile(Pattern.quote(which) + " \\(seconds\\): ([0-9.]+)").matcher(timeOutput);
        if (!m.find()) {
            throw new IllegalStateException("/usr/bin/time printed no " + which);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
        return median(results.stream().map(f::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One move on a fresh cluster, with the tool as its own process. */
    private static Result run(Move move, Size size, Tool tool, int round) throws Exception {
        try (RedisNodes nodes = RedisNodes.nodes(3 + move.targets).withReplicasPerMaster(0).start()) {
            List<NodeAddress> targets = cluster(nodes, move.targets);
            List<NodeAddress> sources = nodes.addresses().subList(0, 3);
            long loaded = load(sources, size);
            List<String> targetIds = targets.stream().map(MigrationBenchmark::id).toList();
            List<Long> idle = new ArrayList<>();
            List<Long> moving = new ArrayList<>();
            List<Integer> movingSlots = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean during = new AtomicBoolean();
            Thread client = client(nodes, stop, during, idle, moving, movingSlots);
            client.start();
            Thread.sleep(IDLE_WINDOW.toMillis());
            for (NodeAddress a : nodes.addresses()) {
                try (Jedis j = jedis(a)) {
                    j.slowlogReset();
                    j.configResetStat();
                }
            }
            double load = loadAverage();
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v"));
            command.addAll(move.command(tool.label(), targets.get(0), targetIds, tool.extra()));
            during.set(true);
            long serverCpu = nodes.cpuMillis();
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            serverCpu = nodes.cpuMillis() - serverCpu;
            during.set(false);
            stop.set(true);
            client.join();
            if (exit != 0) {
                throw new IllegalStateException(tool.label() + " exited " + exit + ": " + out.substring(Math.max(0, out.length() - 2000)));
            }
            // Before the key count below, whose SCANs would show in the slow log too.
            System.out.println("  node time blocked by commands of 2 ms or more (count, total ms, longest ms): " + blocked(nodes.addresses()));
            long movedBytes = movedKeys(targets) * (long) size.valueBytes();
            System.out.println("  sources' event loop (INFO commandstats): " + eventLoop(sources, movedBytes));
            System.out.println("  targets' event loop (INFO commandstats): " + eventLoop(targets, movedBytes));
            long onTargets = 0;
            long everywhere = 0;
            for (NodeAddress a : nodes.addresses()) {
                try (Jedis j = jedis(a)) {
                    long data = j.dbSize() - count(j, CLIENT_KEYS + "*");
                    everywhere += data;
                    if (targets.contains(a)) {
                        onTargets += data;
                    }
                    MemberView view = MemberView.parse(j.clusterNodes());
                    if (!view.myself().openSlots().isEmpty()) {
                        throw new IllegalStateException(tool.label() + ": " + a + " has open slots " + view.myself().openSlots());
                    }
                }
            }
            try (Jedis t = jedis(targets.get(0))) {
                int owned = SlotRange.total(MemberView.parse(t.clusterNodes()).myself().slots());
                // One target: exactly 4096. Three: the rebalance gives each new master its share, 16384 / 6 (within rounding).
                if (move.targets == 1 ? owned != 4096 : Math.abs(owned - 16384 / 6) > 2) {
                    throw new IllegalStateException(tool.label() + ": the first target owns " + owned + " slots, expected "
                            + (move.targets == 1 ? "4096" : "about " + 16384 / 6));
                }
            }
            if (everywhere != loaded) {
                throw new IllegalStateException(tool.label() + ": " + loaded + " keys loaded, " + everywhere + " found after the move");
            }
            Matcher rss = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(out);
            long rssKb = rss.find() ? Long.parseLong(rss.group(1)) : -1;
            // Where the slow requests were: keys in the slots that moved (redirections, the target) or elsewhere.
            java.util.Set<Integer> moved = new HashSet<>();
            for (NodeAddress t : targets) {
                try (Jedis j = jedis(t)) {
                    MemberView.parse(j.clusterNodes()).myself().slots().forEach(range -> {
                        for (int slot = range.first(); slot <= range.last(); slot++) {
                            moved.add(slot);
                        }
                    });
                }
            }
            List<Long> inMoved = new ArrayList<>();
            List<Long> elsewhere = new ArrayList<>();
            for (int i = 0; i < moving.size(); i++) {
                (moved.contains(movingSlots.get(i)) ? inMoved : elsewhere).add(moving.get(i));
            }
            System.out.printf(Locale.ROOT, "  client during the move: keys in moved slots p99 %.2f ms (%d requests), other keys p99 %.2f ms (%d)%n",
                    Latency.of(inMoved).p99(), inMoved.size(), Latency.of(elsewhere).p99(), elsewhere.size());
            double toolCpu = cpuSeconds(out, "User time") + cpuSeconds(out, "System time");
            Result r = new Result(tool.label(), seconds, onTargets, onTargets * (long) size.valueBytes(), rssKb, Latency.of(idle), Latency.of(moving), load,
                    serverCpu / 1000.0 / seconds, toolCpu / seconds);
            System.out.printf(Locale.ROOT, "%s, %s, %s, round %d (load %.1f): %.1f s, %.1f MB/s, %d keys moved, none lost, peak RSS %d MB;"
                            + " client p99 idle %.2f ms, during %.2f ms (max %.1f); CPU: servers %.2f cores, the tool %.2f%n", move.label, size.label(),
                    tool.label(), round, load, r.seconds(), r.mbPerSecond(), r.keys(), rssKb / 1024, r.idle().p99(), r.moving().p99(), r.moving().max(),
                    r.serverCores(), r.toolCores());
            return r;
        }
    }

    /** From each node's slow log: per command name, how many ran 2 ms or more, their total and the longest. */
    private static String blocked(List<NodeAddress> addresses) {
        java.util.Map<String, long[]> byCommand = new java.util.TreeMap<>();
        for (NodeAddress a : addresses) {
            try (Jedis j = jedis(a)) {
                for (redis.clients.jedis.resps.Slowlog entry : j.slowlogGet(100_000)) {
                    String name = entry.getArgs().isEmpty() ? "?" : entry.getArgs().get(0).toUpperCase(Locale.ROOT);
                    if (name.equals("CLUSTER") && entry.getArgs().size() > 1) {
                        name += " " + entry.getArgs().get(1).toUpperCase(Locale.ROOT);
                    }
                    long[] c = byCommand.computeIfAbsent(name, k -> new long[3]);
                    c[0]++;
                    c[1] += entry.getExecutionTime();
                    c[2] = Math.max(c[2], entry.getExecutionTime());
                }
            }
        }
        List<String> parts = new ArrayList<>();
        byCommand.forEach((k, c) -> parts.add(String.format(Locale.ROOT, "%s %d, %.0f, %.1f", k, c[0], c[1] / 1e3, c[2] / 1e3)));
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /** Keys (other than the client's) on the targets now. */
    private static long movedKeys(List<NodeAddress> targets) {
        long n = 0;
        for (NodeAddress a : targets) {
            try (Jedis j = jedis(a)) {
                n += j.dbSize() - count(j, CLIENT_KEYS + "*");
            }
        }
        return n;
    }

    /**
     * Where the nodes' event loop time went during the move, from INFO commandstats (reset before it):
     * per command the calls, total ms and us per call, and all commands' time per moved MB. The
     * client's GET/SET are in it too (about 1,000 a second), so the per-MB total is an upper bound.
     */
    private static String eventLoop(List<NodeAddress> addresses, long movedBytes) {
        java.util.Map<String, long[]> byCommand = new java.util.TreeMap<>();
        for (NodeAddress a : addresses) {
            try (Jedis j = jedis(a)) {
                for (String line : j.info("commandstats").split("\r?\n")) {
                    Matcher m = Pattern.compile("cmdstat_([^:]+):calls=(\\d+),usec=(\\d+)").matcher(line);
                    if (m.find()) {
                        long[] c = byCommand.computeIfAbsent(m.group(1), k -> new long[2]);
                        c[0] += Long.parseLong(m.group(2));
                        c[1] += Long.parseLong(m.group(3));
                    }
                }
            }
        }
        // The bench's own reads after the move (SCAN to count keys, INFO, DBSIZE) are not the move's.
        byCommand.keySet().removeIf(c -> c.equals("scan") || c.equals("info") || c.equals("dbsize") || c.startsWith("slowlog")
                || c.startsWith("config") || c.startsWith("cluster|nodes"));
        long total = byCommand.values().stream().mapToLong(c -> c[1]).sum();
        List<String> parts = new ArrayList<>();
        byCommand.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(6).forEach(e ->
                parts.add(String.format(Locale.ROOT, "%s %d calls %.0f ms %.1f us/call", e.getKey(), e.getValue()[0], e.getValue()[1] / 1e3,
                        (double) e.getValue()[1] / Math.max(1, e.getValue()[0]))));
        return String.format(Locale.ROOT, "%.0f ms in all, %.0f us per moved MB; %s", total / 1e3, movedBytes > 0 ? total / (movedBytes / 1e6) : 0.0,
                String.join("; ", parts));
    }

    private static long count(Jedis j, String pattern) {
        long n = 0;
        String cursor = redis.clients.jedis.params.ScanParams.SCAN_POINTER_START;
        redis.clients.jedis.params.ScanParams params = new redis.clients.jedis.params.ScanParams().match(pattern).count(10_000);
        do {
            redis.clients.jedis.resps.ScanResult<String> page = j.scan(cursor, params);
            n += page.getResult().size();
            cursor = page.getCursor();
        } while (!cursor.equals(redis.clients.jedis.params.ScanParams.SCAN_POINTER_START));
        return n;
    }

    /** The 1-minute load average of the host, from /proc/loadavg: how busy the shared cores were. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A 3-master cluster (nodes 0-2) and {@code empty} more empty masters every node knows; returns those. */
    private static List<NodeAddress> cluster(RedisNodes nodes, int empty) throws Exception {
        List<ZonedNode> three = List.of(new ZonedNode(nodes.address(0), "a"), new ZonedNode(nodes.address(1), "b"), new ZonedNode(nodes.address(2), "c"));
        Placement placement = Planner.assign(three, 0, ZoneLoss.ACCEPT_RISK, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(60)).converge(placement, Credentials.none(), ClusterListener.SILENT);
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = jedis(a)) {
                // Room for the data, and no disk in the way: the same for every tool.
                j.configSet("maxmemory", "0");
                j.configSet("appendonly", "no");
                // Every command that blocks a node for 2 ms or more, to see where clients waited.
                j.configSet("slowlog-log-slower-than", "2000");
                j.configSet("slowlog-max-len", "100000");
            }
        }
        List<NodeAddress> added = nodes.addresses().subList(3, 3 + empty);
        for (NodeAddress a : added) {
            try (Jedis j = jedis(a)) {
                j.clusterMeet("127.0.0.1", nodes.address(0).port());
            }
        }
        int members = 3 + empty;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (nodes.addresses().stream().anyMatch(a -> {
            try (Jedis j = jedis(a)) {
                return MemberView.parse(j.clusterNodes()).memberIds().size() != members;
            }
        })) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the new nodes did not join");
            }
            Thread.sleep(20);
        }
        FormationBenchmark.awaitServedAndSynced(nodes.addresses(), 0);
        return added;
    }

    /**
     * Fills every slot of the masters evenly with incompressible values (DUMP compresses, so repeated
     * bytes would flatter every tool), at the density that puts {@code bytesIn4096Slots} in 4096 slots;
     * one loader per master. Returns the number of keys.
     */
    private static long load(List<NodeAddress> masters, Size size) throws InterruptedException {
        String[] tags = tags();
        double perSlot = (double) size.bytesIn4096Slots() / size.valueBytes() / 4096;
        byte[] pool = new byte[16 << 20];
        new Random(42).nextBytes(pool);
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> loaders = new ArrayList<>();
        for (NodeAddress master : masters) {
            Thread loader = new Thread(() -> {
                List<Integer> slots = new ArrayList<>();
                try (Jedis j = new Jedis(master.host(), master.port(), 60_000)) {
                    MemberView.parse(j.clusterNodes()).myself().slots().forEach(r -> {
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
    private static Thread client(RedisNodes nodes, AtomicBoolean stop, AtomicBoolean during, List<Long> idle, List<Long> moving,
                                 List<Integer> movingSlots) {
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
                    String key = CLIENT_KEYS + ThreadLocalRandom.current().nextInt(10_000);
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
                    if (moveRunning) {
                        movingSlots.add(JedisClusterCRC16.getSlot(key));
                    }
                    // Paced, not queued: a late request does not push the next ones back (no backlog).
                    next = Math.max(next + interval, System.nanoTime());
                }
            }
        });
    }

    private static String id(NodeAddress a) {
        try (Jedis j = jedis(a)) {
            return MemberView.parse(j.clusterNodes()).myself().id();
        }
    }

    private static Jedis jedis(NodeAddress a) {
        return new Jedis(a.host(), a.port(), 30_000);
    }
}
