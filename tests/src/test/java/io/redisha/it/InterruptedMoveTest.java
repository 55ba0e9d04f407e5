package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mover killed mid-move, as a real child process: by a test hook that halts the JVM (like
 * kill -9) after N slots at each step of a batch, and by a real SIGKILL. {@code redis-ha fix} (or
 * a rerun of reshard) then leaves no open slot and no lost key, with writers running throughout.
 * 50k keys, to keep CI time down.
 */
class InterruptedMoveTest {
    private static final String PASSWORD = "kill-s3cret";
    private static final Credentials CREDENTIALS = Credentials.password(PASSWORD);
    private static final Path JAR = Path.of("..", "cli", "target", "redis-ha.jar").toAbsolutePath().normalize();

    private static Process cli(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REDIS_HA_TEST_PASSWORD", PASSWORD);
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "interrupted-move-cli.log").toFile()));
        return builder.start();
    }

    private static int run(Map<String, String> env, String... args) throws Exception {
        Process p = cli(env, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redis-ha " + String.join(" ", args) + " did not end within 120 s");
        return p.exitValue();
    }

    private static String[] reshard(NodeAddress seed, String to, int slots, String... extra) {
        List<String> a = new ArrayList<>(List.of("reshard", seed.toString(), "--from", "all", "--to", to, "--slots",
                Integer.toString(slots), "--yes", "--password-env", "REDIS_HA_TEST_PASSWORD"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void assertSettled(NodeAddress seed, Workload w, String after) {
        LiveCluster live = LiveCluster.load(seed, CREDENTIALS);
        assertEquals(Map.of(), live.openSlots(), "open slots after " + after);
        assertEquals(16384, live.assignedSlots(), "slots served after " + after);
        assertEquals(List.of(), w.missingLoaded(seed), "loaded keys lost after " + after);
        assertEquals(List.of(), w.lostWrites(), "acknowledged writes lost after " + after);
    }

    /** What a scenario does to a cluster under writers. */
    private interface Moves {
        void run(RedisNodes nodes, NodeAddress seed, Workload w) throws Exception;
    }

    /** A 4-master cluster over zones a, b, c with {@code keys} loaded and two writers running through {@code moves}. */
    private static void underWriters(int keys, Moves moves) throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is missing; build it first: mvn -pl cli -am install -DskipTests");
        Files.createDirectories(Path.of("target"));
        try (RedisNodes nodes = RedisNodes.nodes(4).withPassword(PASSWORD).withReplicasPerMaster(0).start()) {
            List<ZonedNode> zoned = nodes.zoned(List.of("a", "b", "c"));
            new ClusterEngine(Duration.ofSeconds(60)).converge(Resharding.assign(zoned, 0, ZoneLoss.ACCEPT_RISK, CREDENTIALS),
                    CREDENTIALS, ClusterListener.SILENT);
            try (Workload w = new Workload(nodes.addresses(), PASSWORD, keys, 64)) {
                w.load().startWriters(2, 300, 2_000_000);
                moves.run(nodes, nodes.address(0), w);
                w.stopWriters();
                assertTrue(w.writes() > 0, "writers wrote during the moves");
            }
        }
    }

    @Test
    void fixFinishesOrRollsBackEveryInterruptionWithoutLosingAKey() throws Exception {
        underWriters(50_000, (nodes, seed, w) -> {
            String[] points = {"importing", "migrating", "keys", "target-node", "source-node"};
            for (int round = 0; round < points.length; round++) {
                NodeAddress target = nodes.address(round % 4);
                int haltAfter = 40 + 97 * round;
                int code = run(Map.of("REDIS_HA_TEST_HALT_AFTER_SLOTS", Integer.toString(haltAfter),
                        "REDIS_HA_TEST_HALT_AT", points[round]), reshard(seed, target.toString(), 1500, "--slots-per-batch", "16"));
                assertEquals(137, code, "the mover halted at " + points[round] + " after " + haltAfter + " slots");
                assertTrue(!LiveCluster.load(seed, CREDENTIALS).openSlots().isEmpty(), "slots are open after the halt at " + points[round]);
                // Odd rounds resume by rerunning reshard (it fixes first); even rounds run fix.
                if (round % 2 == 0) {
                    assertEquals(0, run(Map.of(), "fix", seed.toString(), "--password-env", "REDIS_HA_TEST_PASSWORD"), "fix exit code");
                } else {
                    assertEquals(0, run(Map.of(), reshard(seed, target.toString(), 100)), "rerun of reshard exit code");
                }
                assertSettled(seed, w, "halt at " + points[round]);
            }
        });
    }

    /** A real kill -9 while the mover works, then fix: the case the version matrix runs on every server. */
    @Test
    @Tag(Servers.MATRIX_TAG)
    void fixAfterAKillNineOfTheMoverLosesNothing() throws Exception {
        underWriters(20_000, (nodes, seed, w) -> {
            // Slow the mover down (one slot per batch, one connection) so the kill lands mid-move.
            Process p = cli(Map.of(), reshard(seed, nodes.address(1).toString(), 3000, "--slots-per-batch", "1", "--parallel", "1",
                    "--keys-per-migrate", "2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (LiveCluster.load(seed, CREDENTIALS).openSlots().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(300);
            p.destroyForcibly().waitFor();
            assertEquals(0, run(Map.of(), "fix", seed.toString(), "--password-env", "REDIS_HA_TEST_PASSWORD"), "fix after kill -9");
            assertSettled(seed, w, "kill -9");
        });
    }

    /**
     * The DUMP path ({@code --dump-above 1}: every key by DUMP, ASKING + RESTORE, WATCH + MULTI/UNLINK/EXEC) halted between a
     * key's RESTORE on the target and its UNLINK on the source, so the key is on both: fix (then a resumed reshard) completes
     * the move with no key and no acknowledged write lost, the writers rewriting keys of the moving slots throughout.
     */
    @Test
    void fixCompletesADumpMoveHaltedBetweenRestoreAndUnlink() throws Exception {
        underWriters(30_000, (nodes, seed, w) -> {
            for (int round = 0; round < 2; round++) {
                NodeAddress target = nodes.address(2 + round);
                int code = run(Map.of("REDIS_HA_TEST_HALT_AFTER_SLOTS", Integer.toString(60 + 200 * round), "REDIS_HA_TEST_HALT_AT", "restored"),
                        reshard(seed, target.toString(), 1500, "--slots-per-batch", "16", "--dump-above", "1"));
                assertEquals(137, code, "the mover halted after a RESTORE, before the UNLINK");
                assertTrue(!LiveCluster.load(seed, CREDENTIALS).openSlots().isEmpty(), "slots are open after the halt");
                if (round == 0) {
                    assertEquals(0, run(Map.of(), "fix", seed.toString(), "--password-env", "REDIS_HA_TEST_PASSWORD"), "fix exit code");
                } else {
                    assertEquals(0, run(Map.of(), reshard(seed, target.toString(), 100, "--dump-above", "1")), "rerun of reshard exit code");
                }
                assertSettled(seed, w, "a halt between RESTORE and UNLINK, round " + round);
            }
            assertTrue(calls(nodes, "dump") > 0 && calls(nodes, "restore") > 0, "the moves went by DUMP and RESTORE");
        });
    }

    /**
     * The DUMP path under writers that keep rewriting keys of the slots being moved (two writers, 300 keys each, as fast as
     * they go): an aborted EXEC redoes the key, so no acknowledged write is lost; keys with a TTL keep it.
     */
    @Test
    void theDumpPathLosesNoWriteOfKeysRewrittenWhileTheyMove() throws Exception {
        underWriters(20_000, (nodes, seed, w) -> {
            long expiring = 0;
            try (redis.clients.jedis.RedisClusterClient c = clusterClient(nodes)) {
                for (int i = 0; i < 200; i++) {
                    c.psetex("ttl:" + i, 3_600_000, "expiring");
                    expiring++;
                }
            }
            for (int round = 0; round < 3; round++) {
                NodeAddress target = nodes.address((round + 1) % 4);
                assertEquals(0, run(Map.of(), reshard(seed, target.toString(), 3000, "--dump-above", "1")), "reshard round " + round);
                assertSettled(seed, w, "a DUMP-path reshard, round " + round);
            }
            assertTrue(calls(nodes, "dump") > 10_000 && calls(nodes, "restore") > 10_000, "the keys went by DUMP and RESTORE: "
                    + calls(nodes, "dump") + " DUMPs, " + calls(nodes, "restore") + " RESTOREs");
            try (redis.clients.jedis.RedisClusterClient c = clusterClient(nodes)) {
                for (int i = 0; i < expiring; i++) {
                    long pttl = c.pttl("ttl:" + i);
                    assertTrue(pttl > 3_000_000 && pttl <= 3_600_000, "ttl:" + i + " kept its TTL, PTTL " + pttl);
                }
            }
        });
    }

    /**
     * The DUMP path under a client that deletes and rewrites keys of the moving slots: a key deleted between the mover's
     * DUMP and its EXEC must not come back from the copy restored on the target. Afterwards every key is in the state of
     * its last acknowledged command (its value, or absent after a DEL).
     */
    @Test
    void theDumpPathBringsBackNoKeyAClientDeletedWhileItMoved() throws Exception {
        underWriters(5_000, (nodes, seed, w) -> {
            Map<String, String> last = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong deletes = new java.util.concurrent.atomic.AtomicLong();
            Thread churn = new Thread(() -> {
                try (redis.clients.jedis.RedisClusterClient c = clusterClient(nodes)) {
                    for (long n = 0; !stop.get(); n++) {
                        String k = "d:" + java.util.concurrent.ThreadLocalRandom.current().nextInt(200);
                        try {
                            if (n % 3 == 0) {
                                c.del(k);
                                last.put(k, "");
                                deletes.incrementAndGet();
                            } else {
                                c.set(k, Long.toString(n));
                                last.put(k, Long.toString(n));
                            }
                        } catch (RuntimeException e) {
                            last.remove(k);
                        }
                    }
                }
            });
            churn.start();
            for (int round = 0; round < 3; round++) {
                assertEquals(0, run(Map.of(), reshard(seed, nodes.address((round + 2) % 4).toString(), 4000, "--dump-above", "1")),
                        "reshard round " + round);
            }
            stop.set(true);
            churn.join();
            assertTrue(deletes.get() > 100, "the client deleted keys during the moves: " + deletes.get());
            assertSettled(seed, w, "DUMP-path reshards under a client deleting keys");
            List<String> wrong = new ArrayList<>();
            try (redis.clients.jedis.RedisClusterClient c = clusterClient(nodes)) {
                last.forEach((k, v) -> {
                    String now = c.get(k);
                    if (!(v.isEmpty() ? now == null : v.equals(now))) {
                        wrong.add(k + " last acknowledged " + (v.isEmpty() ? "DEL" : "SET " + v) + ", reads " + now);
                    }
                });
            }
            assertEquals(List.of(), wrong, "keys not in the state of their last acknowledged command");
        });
    }

    private static redis.clients.jedis.RedisClusterClient clusterClient(RedisNodes nodes) {
        java.util.Set<redis.clients.jedis.HostAndPort> seeds = new java.util.HashSet<>();
        nodes.addresses().forEach(a -> seeds.add(new redis.clients.jedis.HostAndPort(a.host(), a.port())));
        return redis.clients.jedis.RedisClusterClient.builder().nodes(seeds).maxAttempts(20)
                .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().password(PASSWORD).build()).build();
    }

    /** Calls of {@code command} on every node, from INFO commandstats. */
    private static long calls(RedisNodes nodes, String command) {
        long n = 0;
        for (NodeAddress a : nodes.addresses()) {
            try (redis.clients.jedis.Jedis j = nodes.jedis(a)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(j.info("commandstats"));
                n += m.find() ? Long.parseLong(m.group(1)) : 0;
            }
        }
        return n;
    }
}
