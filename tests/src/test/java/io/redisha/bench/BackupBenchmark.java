package io.redisha.bench;

import io.redisha.aws.BackupStores;
import io.redisha.backup.Backup;
import io.redisha.backup.BackupLocation;
import io.redisha.backup.ObjectStore;
import io.redisha.backup.Restore;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Backup and restore throughput against the references, in one run on the same data: a 3x1
 * cluster of N string keys (1000 bytes by default, hard to compress); {@code redis-ha backup} (to a folder) against {@code redis-cli --rdb}
 * from the same three replicas at once; {@code redis-ha restore} into an empty 3x0 cluster against
 * {@code redis-cli --pipe} of the same keys (one pipe per master, at once); client p99 (GET of one key) on shard
 * 0's master idle and while a backup runs. Prints medians and ratios; asserts nothing. Run with
 * {@code tests/bench/backup-bench.sh [keys] [rounds]}.
 */
public final class BackupBenchmark {
    private static final Credentials NONE = Credentials.none();

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path work = Files.createTempDirectory("redis-ha-backup-bench");
        try (RedisNodes source = RedisNodes.nodes(6).start(); RedisNodes target = RedisNodes.nodes(3).start()) {
            form(source, 1, ZoneLoss.MUST_SURVIVE);
            form(target, 0, ZoneLoss.ACCEPT_RISK);
            load(source, keys);
            LiveCluster live = LiveCluster.load(source.address(0), NONE);
            List<NodeAddress> replicas = live.members().stream().filter(LiveCluster.Member::isReplica).map(LiveCluster.Member::address).toList();
            NodeAddress master0 = live.require(live.owners().get(0)).address();
            String probe = probeKey(live.owners(), live.owners().get(0));
            List<Path> pipes = protocolFiles(target, keys, work);

            List<Double> ours = new ArrayList<>();
            List<Double> cli = new ArrayList<>();
            List<Double> restore = new ArrayList<>();
            List<Double> pipe = new ArrayList<>();
            List<Double> idleP99 = new ArrayList<>();
            List<Double> backupP99 = new ArrayList<>();
            List<Double> cliP99 = new ArrayList<>();
            long rdbBytes = 0;
            for (int round = 1; round <= rounds; round++) {
                // redis-cli --rdb from the same replicas, all three at once (as the backup takes them).
                long[] cliNanos = new long[1];
                cliP99.add(p99While(master0, probe, () -> cliNanos[0] = rdbFromReplicas(replicas, work)));
                double cliSeconds = cliNanos[0] / 1e9;
                long cliBytes = 0;
                for (int i = 0; i < replicas.size(); i++) {
                    cliBytes += Files.size(work.resolve("cli-" + i + ".rdb"));
                }
                cli.add(cliBytes / 1e6 / cliSeconds);

                idleP99.add(p99While(master0, probe, () -> sleep(3000)));
                Path dest = work.resolve("backups");
                Backup.Result[] result = new Backup.Result[1];
                backupP99.add(p99While(master0, probe, () -> {
                    try (ObjectStore store = BackupStores.open(BackupLocation.parse("to", dest.toString()), Optional.empty())) {
                        result[0] = new Backup(NONE, ClusterListener.SILENT).run(source.address(0), BackupLocation.parse("to", dest.toString()), store,
                                Backup.Options.defaults());
                    }
                }));
                rdbBytes = result[0].manifest().bytes();
                ours.add(rdbBytes / 1e6 / (result[0].elapsed().toNanos() / 1e9));

                flush(target);
                long start = System.nanoTime();
                try (ObjectStore store = BackupStores.open(BackupLocation.parse("SOURCE", result[0].location()), Optional.empty())) {
                    new Restore(NONE, ClusterListener.SILENT).run(store, target.address(0), new Restore.Options(false, work));
                }
                restore.add(rdbBytes / 1e6 / ((System.nanoTime() - start) / 1e9));

                flush(target);
                start = System.nanoTime();
                List<Process> loads = new ArrayList<>();
                for (int i = 0; i < pipes.size(); i++) {
                    loads.add(new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(target.address(i).port()), "--pipe")
                            .redirectInput(pipes.get(i).toFile()).redirectErrorStream(true).redirectOutput(work.resolve("pipe.log").toFile()).start());
                }
                for (Process p : loads) {
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("redis-cli --pipe failed: " + Files.readString(work.resolve("pipe.log")));
                    }
                }
                pipe.add(rdbBytes / 1e6 / ((System.nanoTime() - start) / 1e9));
                flush(target);
                System.out.printf(Locale.ROOT, "round %d: backup %.1f MB/s, redis-cli --rdb %.1f MB/s; restore %.1f MB/s, redis-cli --pipe %.1f MB/s;"
                        + " master p99 idle %.2f ms, during redis-cli --rdb %.2f ms, during backup %.2f ms%n", round, ours.get(round - 1), cli.get(round - 1),
                        restore.get(round - 1), pipe.get(round - 1), idleP99.get(round - 1), cliP99.get(round - 1), backupP99.get(round - 1));
            }
            System.out.printf(Locale.ROOT, "%nmedians of %d rounds, %d string keys of " + valueBytes + " bytes, %.1f MB of RDB over 3 shards (MB/s = RDB bytes / wall time):%n", rounds, keys, rdbBytes / 1e6);
            System.out.println("| measure | redis-ha | reference | ratio | target |");
            System.out.println("|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| backup throughput | %.1f MB/s | redis-cli --rdb %.1f MB/s | %.2f | >= 0.8 |%n", median(ours), median(cli), median(ours) / median(cli));
            System.out.printf(Locale.ROOT, "| restore throughput | %.1f MB/s | redis-cli --pipe %.1f MB/s | %.2f | >= 0.5 |%n", median(restore), median(pipe),
                    median(restore) / median(pipe));
            System.out.printf(Locale.ROOT, "| master p99 | %.2f ms during backup | %.2f ms idle | %.2f | <= 2 |%n", median(backupP99), median(idleP99),
                    median(backupP99) / median(idleP99));
            System.out.printf(Locale.ROOT, "| master p99 | %.2f ms during backup | %.2f ms during redis-cli --rdb | %.2f | (same host: the replicas' forks share its 2 cores) |%n",
                    median(backupP99), median(cliP99), median(backupP99) / median(cliP99));
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** redis-cli --rdb from every replica at once; returns the wall time in ns. */
    private static long rdbFromReplicas(List<NodeAddress> replicas, Path work) {
        try {
            long start = System.nanoTime();
            List<Process> rdbs = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                rdbs.add(new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(replicas.get(i).port()), "--rdb",
                        work.resolve("cli-" + i + ".rdb").toString()).redirectErrorStream(true).redirectOutput(work.resolve("cli.log").toFile()).start());
            }
            for (Process p : rdbs) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("redis-cli --rdb failed: " + Files.readString(work.resolve("cli.log")));
                }
            }
            return System.nanoTime() - start;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void form(RedisNodes nodes, int replicas, ZoneLoss zoneLoss) {
        new ClusterEngine().converge(Resharding.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), replicas, zoneLoss, NONE), NONE,
                ClusterListener.SILENT);
    }

    private static int valueBytes;

    /** Hex of a hash chain seeded by i: RDB compression (LZF) cannot shrink it much, unlike repeated digits. */
    private static String value(int i) {
        StringBuilder v = new StringBuilder(valueBytes + 16);
        long x = i * 0x9E3779B97F4A7C15L + 1;
        while (v.length() < valueBytes) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            v.append(Long.toHexString(x));
        }
        return v.substring(0, valueBytes);
    }

    /** N keys through per-master pipelines, each to its slot's owner. */
    private static void load(RedisNodes nodes, int keys) {
        LiveCluster live = LiveCluster.load(nodes.address(0), NONE);
        Map<Integer, String> owners = live.owners();
        Map<String, Jedis> connections = new java.util.HashMap<>();
        Map<String, Pipeline> pipelines = new java.util.HashMap<>();
        for (LiveCluster.Member m : live.masters()) {
            Jedis j = nodes.jedis(m.address());
            connections.put(m.id(), j);
            pipelines.put(m.id(), j.pipelined());
        }
        for (int i = 0; i < keys; i++) {
            String k = "key:" + i;
            pipelines.get(owners.get(JedisClusterCRC16.getSlot(k))).set(k, value(i));
            if (i % 10_000 == 9_999) {
                pipelines.values().forEach(Pipeline::sync);
            }
        }
        pipelines.values().forEach(Pipeline::sync);
        // Replicas caught up before anything is measured.
        connections.values().forEach(j -> j.waitReplicas(1, 30_000));
        connections.values().forEach(Jedis::close);
    }

    /** The same keys as RESP SET commands, one file per target master (redis-cli --pipe is not cluster-aware). */
    private static List<Path> protocolFiles(RedisNodes target, int keys, Path work) throws Exception {
        LiveCluster live = LiveCluster.load(target.address(0), NONE);
        Map<Integer, String> owners = live.owners();
        List<Path> files = new ArrayList<>();
        Map<String, OutputStream> outs = new java.util.HashMap<>();
        for (int i = 0; i < target.addresses().size(); i++) {
            Path f = work.resolve("pipe-" + i + ".resp");
            files.add(f);
            outs.put(live.memberAt(target.address(i)).orElseThrow().id(), new BufferedOutputStream(Files.newOutputStream(f), 1 << 16));
        }
        for (int i = 0; i < keys; i++) {
            String k = "key:" + i;
            String v = value(i);
            String resp = "*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$" + v.length() + "\r\n" + v + "\r\n";
            outs.get(owners.get(JedisClusterCRC16.getSlot(k))).write(resp.getBytes(StandardCharsets.US_ASCII));
        }
        for (OutputStream o : outs.values()) {
            o.close();
        }
        return files;
    }

    private static void flush(RedisNodes nodes) {
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = nodes.jedis(a)) {
                j.flushAll();
            }
        }
    }

    /** p99 of GET latency on {@code node} from one client while {@code work} runs, in ms. */
    private static String probeKey(Map<Integer, String> owners, String master) {
        for (int i = 0; ; i++) {
            if (master.equals(owners.get(JedisClusterCRC16.getSlot("key:" + i)))) {
                return "key:" + i;
            }
        }
    }

    private static double p99While(NodeAddress node, String key, Runnable work) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> samples = Collections.synchronizedList(new ArrayList<>());
        Thread client = new Thread(() -> {
            try (Jedis j = new Jedis(node.host(), node.port())) {
                while (running.get()) {
                    long t = System.nanoTime();
                    j.get(key);
                    samples.add(System.nanoTime() - t);
                }
            }
        });
        client.start();
        work.run();
        running.set(false);
        client.join();
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
