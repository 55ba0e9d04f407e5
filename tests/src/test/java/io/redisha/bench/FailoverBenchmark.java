package io.redisha.bench;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Drill;
import io.redisha.cluster.DrillReport;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.it.RedisNodes;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalFaults;
import io.redisha.local.LocalState;
import io.redisha.local.LocalWatchdogs;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * Failover on certain death, measured: {@code drill} kill (one master) and zone loss (every node of
 * a zone) on a fresh 'local up' 3x1 cluster, at cluster-node-timeout 5000 and 15000, with the
 * per-zone watchdog processes and without them (plain Redis failure detection, the reference), all
 * in one run. Prints the medians of time to recovery, failed writes and acknowledged writes lost,
 * and the ratio watchdog/plain. Not a test: nothing is asserted on timings. Run with
 * {@code tests/bench/failover-bench.sh [rounds]}.
 */
public final class FailoverBenchmark {
    private record Case(Drill.Mode mode, long nodeTimeout, boolean watchdog) {
        String label() {
            return String.format(Locale.ROOT, "%-4s node-timeout %5d  %s", mode.name().toLowerCase(Locale.ROOT), nodeTimeout,
                    watchdog ? "watchdog" : "plain   ");
        }
    }

    private record Row(List<Long> recovery, List<Long> failed, List<Long> lost) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Case> cases = new ArrayList<>();
        for (Drill.Mode mode : List.of(Drill.Mode.KILL, Drill.Mode.ZONE)) {
            for (long timeout : List.of(5000L, 15000L)) {
                for (boolean watchdog : List.of(false, true)) {
                    cases.add(new Case(mode, timeout, watchdog));
                }
            }
        }
        java.util.Map<Case, Row> rows = new java.util.LinkedHashMap<>();
        cases.forEach(c -> rows.put(c, new Row(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
        for (int round = 1; round <= rounds; round++) {
            for (Case c : cases) {
                DrillReport r = drill(c);
                Row row = rows.get(c);
                row.recovery().add(r.recoveryMillis().orElse(-1L));
                row.failed().add(r.writesFailed());
                row.lost().add(r.lostWritesCount());
                System.out.printf(Locale.ROOT, "round %d  %s  recovery %6d ms  writes failed %5d  acknowledged lost %d%n", round, c.label(),
                        r.recoveryMillis().orElse(-1L), r.writesFailed(), r.lostWritesCount());
            }
        }
        System.out.printf(Locale.ROOT, "%nmedians over %d rounds, fresh 3x1 'local up' cluster per drill (3 zones), writer running:%n", rounds);
        System.out.println("| drill | cluster-node-timeout | plain Redis: recovery | watchdog: recovery | ratio | plain: failed writes | watchdog: failed writes | acknowledged lost (plain / watchdog) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < cases.size(); i += 2) {
            Row plain = rows.get(cases.get(i));
            Row dog = rows.get(cases.get(i + 1));
            System.out.printf(Locale.ROOT, "| %s | %d ms | %.2f s | %.2f s | %.2f | %d | %d | %d / %d |%n",
                    cases.get(i).mode().name().toLowerCase(Locale.ROOT), cases.get(i).nodeTimeout(), median(plain.recovery()) / 1000.0,
                    median(dog.recovery()) / 1000.0, median(dog.recovery()) / median(plain.recovery()), (long) median(plain.failed()),
                    (long) median(dog.failed()), plain.lost().stream().mapToLong(Long::longValue).sum(), dog.lost().stream().mapToLong(Long::longValue).sum());
        }
        System.out.println("(recovery -1 ms = did not recover within the drill's 60 s; lost = summed over all rounds)");
    }

    /** True once the watchdog's log has its start line ("watching the cluster", or {"started":...} with --json). */
    private static boolean watching(LocalWatchdogs.Running w) {
        try {
            String log = Files.exists(w.log()) ? Files.readString(w.log()) : "";
            return log.contains("watching the cluster") || log.contains("\"started\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static DrillReport drill(Case c) throws Exception {
        Path dir = Files.createTempDirectory("redis-ha-failover-bench");
        LocalCluster cluster = new LocalCluster(dir, new ClusterEngine(Duration.ofSeconds(60)));
        LocalWatchdogs watchdogs = new LocalWatchdogs(dir);
        try {
            LocalCluster.UpResult up = cluster.up(new LocalCluster.Options(3, 1, List.of("az-a", "az-b", "az-c"), RedisNodes.freeBasePort(6),
                    Optional.empty(), ZoneLoss.MUST_SURVIVE), ClusterListener.SILENT);
            for (LocalState.Node n : up.state().nodes()) {
                try (Jedis j = new Jedis("127.0.0.1", n.port())) {
                    j.configSet("cluster-node-timeout", Long.toString(c.nodeTimeout()));
                }
            }
            if (c.watchdog()) {
                List<LocalWatchdogs.Running> started = watchdogs.start(up.state());
                // A drill before every watchdog says it is watching would time JVM start-up, not the watchdog.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!started.stream().allMatch(FailoverBenchmark::watching)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the watchdogs did not start within 30 s; see " + dir);
                    }
                    Thread.sleep(20);
                }
            }
            LocalFaults faults = new LocalFaults(cluster);
            Drill drill = new Drill(cluster.credentials(), faults.zones(), faults, line -> { });
            NodeAddress seed = new NodeAddress("127.0.0.1", up.state().nodes().get(0).port());
            Drill.Options options = new Drill.Options(c.mode(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(60), 1_000_000);
            return drill.run(seed, drill.prepare(seed, options), options);
        } finally {
            watchdogs.stop();
            cluster.down(ClusterListener.SILENT);
            try (var left = Files.walk(dir)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
