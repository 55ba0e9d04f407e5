package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.monitor.InstanceHealth;
import io.redisha.cluster.monitor.NodeProbe;
import io.redisha.cluster.monitor.Watchdog;
import io.redisha.cluster.transport.Credentials;
import io.redisha.local.Processes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The watchdog on real redis-server processes. cluster-node-timeout is set to 60 s, so Redis's own
 * failure detection cannot act within a test: a promotion seen while the dead master is not yet
 * flagged {@code fail} by any survivor was the watchdog's doing, not Redis's.
 */
class WatchdogTest {
    private static final String LONG_NODE_TIMEOUT = "60000";

    @Test
    @Tag(Servers.MATRIX_TAG)
    void promotesTheBestReplicaAsSoonAsAMasterProcessIsGone(@TempDir Path tmp) throws Exception {
        try (RedisNodes nodes = cluster(6, 1)) {
            NodeAddress master = masters(nodes).get(0);
            String masterId = Live.myId(nodes, master);
            NodeAddress replica = replicaOf(nodes, masterId);
            String key = keyOn(nodes, master);
            try (Jedis j = nodes.jedis(master)) {
                j.set(key, "1");
                assertEquals(1, j.waitReplicas(1, 5_000), "the replica has the key before the kill");
            }
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            Path state = tmp.resolve("watchdog.json");
            try (Running watchdog = new Running(nodes.addresses(), events, Optional.of(state))) {
                kill(nodes, master);
                Live.await("the replica serves the dead master's slots", () -> serves(nodes, replica));
                for (NodeAddress survivor : survivors(nodes, master)) {
                    NodeLine old = Live.view(nodes, survivor).byId(masterId).orElseThrow();
                    assertFalse(old.flags().contains("fail"), survivor + " already flagged the master failed: Redis's own failover, not the watchdog");
                }
                Live.await("the watchdog reports the promotion", () -> watchdog.dog.counts().promotions() == 1);
                assertEquals(List.of(Watchdog.Kind.CERTAIN_DEATH, Watchdog.Kind.FAILOVER_REQUESTED, Watchdog.Kind.PROMOTED),
                        events.stream().map(Watchdog.Event::kind).toList(), events.toString());
                assertEquals(replica.toString(), events.get(1).replica().orElseThrow());
                assertEquals(1, io.redisha.cluster.monitor.WatchdogCounts.read(state).orElseThrow().promotions(), "the state file has the counts");
            }
            try (Jedis j = nodes.jedis(replica)) {
                assertEquals("1", j.get(key), "a write acknowledged by the replica before the kill survives");
            }
            Live.await("cluster_state:ok on the survivors", () -> survivors(nodes, master).stream().allMatch(a -> "ok".equals(clusterState(nodes, a))));
        }
    }

    @Test
    void doesNothingWhileTheMasterIsPausedNotDead() throws Exception {
        try (RedisNodes nodes = cluster(6, 1)) {
            NodeAddress master = masters(nodes).get(0);
            String masterId = Live.myId(nodes, master);
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            try (Running watchdog = new Running(nodes.addresses(), events, Optional.empty())) {
                // DEBUG SLEEP freezes the event loop: connections are accepted but nothing answers. Not certain death.
                Thread sleeper = new Thread(() -> {
                    try (Jedis j = new Jedis(master.host(), master.port(), 10_000)) {
                        j.sendCommand(() -> "DEBUG".getBytes(), "SLEEP", "3");
                    }
                });
                sleeper.start();
                Live.await("the master is frozen", () -> !answers(master));
                sleeper.join();
                Live.await("the master answers again", () -> answers(master));
                // A few more looks after it woke up: still nothing may happen.
                long woke = watchdog.dog.looks();
                Live.await("five more looks", () -> watchdog.dog.looks() >= woke + 5);
                assertEquals(List.of(), events, "no action while the master is only paused");
                assertEquals(0, watchdog.dog.counts().failoversRequested());
            }
            assertStillServes(nodes, master, masterId, "the paused master");
        }
    }

    @Test
    void aRefusalSeenOnlyByTheWatchdogIsNotDeathWhileTheReplicaStillHearsTheMaster() throws Exception {
        try (RedisNodes nodes = cluster(6, 1)) {
            NodeAddress master = masters(nodes).get(0);
            String masterId = Live.myId(nodes, master);
            NodeProbe real = new NodeProbe(Credentials.none(), Watchdog.Options.defaults().probeTimeoutMs());
            // What an nftables reject on the watchdog's own path shows it (the fault harness's refused-probe does it for real):
            // both ports refuse, while the master serves every other client and its replica.
            Watchdog.Probe refusedHere = node -> node.equals(master) ? NodeProbe.Answer.REFUSED : real.probe(node);
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            try (Running watchdog = new Running(nodes.addresses(), events, InstanceHealth.NONE, refusedHere)) {
                Live.await("the watchdog doubts the refusal", () -> !events.isEmpty());
                long looks = watchdog.dog.looks();
                Live.await("ten more looks", () -> watchdog.dog.looks() >= looks + 10);
                assertEquals(List.of(Watchdog.Kind.HELD_BACK), events.stream().map(Watchdog.Event::kind).toList(), events.toString());
                assertTrue(events.get(0).detail().contains("still has its replication link up"), events.toString());
                assertEquals(0, watchdog.dog.counts().failoversRequested());
            }
            assertStillServes(nodes, master, masterId, "the live master");
        }
    }

    @Test
    void holdsBackWhenTheOnlyReplicaNeverCompletedASync() throws Exception {
        try (RedisNodes nodes = cluster(3, 0); RedisNodes extra = RedisNodes.nodes(1).withReplicasPerMaster(0).start()) {
            NodeAddress master = masters(nodes).get(0);
            String masterId = Live.myId(nodes, master);
            NodeAddress replica = extra.address(0);
            try (Jedis j = extra.jedis(replica)) {
                j.configSet("cluster-node-timeout", LONG_NODE_TIMEOUT);
                j.clusterMeet(master.host(), master.port());
            }
            String replicaId = Live.myId(extra, replica);
            Live.await("the new node and the masters know each other", () -> Live.view(extra, replica).byId(masterId).isPresent()
                    && survivors(nodes, master).stream().allMatch(m -> Live.view(nodes, m).byId(replicaId).filter(n -> !n.isHandshake()).isPresent()));
            // The master stops before the replica's first sync: the replica connects, its PING is never answered.
            signal("STOP", nodes.pid(nodes.addresses().indexOf(master)));
            try (Jedis j = extra.jedis(replica)) {
                j.clusterReplicate(masterId);
            }
            Live.await("the other masters see the new replica", () -> Live.view(nodes, survivors(nodes, master).get(0)).replicasOf(masterId).size() == 1);
            kill(nodes, master);
            Live.await("the replica reports it never synced", () -> "-1".equals(Live.info(extra, replica, "replication").get("master_link_down_since_seconds")));
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            List<NodeAddress> seeds = new ArrayList<>(nodes.addresses());
            seeds.add(replica);
            try (Running watchdog = new Running(seeds, events, InstanceHealth.NONE, null)) {
                Live.await("the watchdog holds back", () -> watchdog.dog.counts().heldBack() > 0);
                long looks = watchdog.dog.looks();
                Live.await("five more looks", () -> watchdog.dog.looks() >= looks + 5);
                assertEquals(0, watchdog.dog.counts().failoversRequested(), events.toString());
                assertTrue(events.stream().anyMatch(e -> e.kind() == Watchdog.Kind.HELD_BACK
                        && e.detail().contains("never completed a sync with its master")), events.toString());
            }
            assertFalse(Live.view(extra, replica).myself().isMaster(), "the never-synced replica was not promoted");
        }
    }

    @Test
    void aPlatformThatNeverAnswersDoesNotHoldUpTheDetectionOfADeadMaster() throws Exception {
        try (RedisNodes nodes = cluster(6, 1)) {
            NodeAddress master = masters(nodes).get(0);
            NodeAddress replica = replicaOf(nodes, Live.myId(nodes, master));
            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            // An EC2 API that cannot be reached (no route from a private subnet): every call hangs.
            InstanceHealth hanging = node -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            };
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            try (Running watchdog = new Running(nodes.addresses(), events, hanging, null)) {
                kill(nodes, master);
                Live.await("the replica serves the dead master's slots", () -> serves(nodes, replica));
                Live.await("the watchdog reports the promotion", () -> watchdog.dog.counts().promotions() == 1);
            } finally {
                never.countDown();
            }
        }
    }

    @Test
    void failsOverOneShardAtATimeWhenTwoMastersDie() throws Exception {
        // 5 masters: with 2 dead, 3 of 5 still form the majority that votes.
        try (RedisNodes nodes = cluster(10, 1)) {
            List<NodeAddress> masters = masters(nodes);
            List<NodeAddress> dead = List.of(masters.get(0), masters.get(1));
            List<NodeAddress> replicas = new ArrayList<>();
            for (NodeAddress m : dead) {
                replicas.add(replicaOf(nodes, Live.myId(nodes, m)));
            }
            List<Watchdog.Event> events = new CopyOnWriteArrayList<>();
            try (Running watchdog = new Running(nodes.addresses(), events, Optional.empty())) {
                dead.forEach(m -> kill(nodes, m));
                Live.await("both replicas serve", () -> replicas.stream().allMatch(r -> serves(nodes, r)));
                Live.await("the watchdog reports both promotions", () -> watchdog.dog.counts().promotions() == 2);
            }
            List<Watchdog.Event> actions = events.stream().filter(e -> e.kind() == Watchdog.Kind.FAILOVER_REQUESTED
                    || e.kind() == Watchdog.Kind.PROMOTED || e.kind() == Watchdog.Kind.FAILOVER_FAILED).toList();
            // Every request is closed (promoted or failed) before the next one is made.
            Optional<String> open = Optional.empty();
            for (Watchdog.Event e : actions) {
                if (e.kind() == Watchdog.Kind.FAILOVER_REQUESTED) {
                    assertTrue(open.isEmpty(), "a failover of " + e.master() + " was requested while " + open + " was still open: " + events);
                    open = Optional.of(e.master());
                } else {
                    assertEquals(open, Optional.of(e.master()), events.toString());
                    open = Optional.empty();
                }
            }
            assertEquals(2, actions.stream().filter(e -> e.kind() == Watchdog.Kind.PROMOTED).count(), events.toString());
            assertEquals(dead.get(0).toString(), actions.get(0).master(), "the shard with the lowest slots goes first");
        }
    }

    @Test
    void twoWatchdogsThatSeeTheSameDeathMakeOneRequest() throws Exception {
        try (RedisNodes nodes = cluster(6, 1)) {
            NodeAddress master = masters(nodes).get(0);
            NodeAddress replica = replicaOf(nodes, Live.myId(nodes, master));
            List<Watchdog.Event> first = new CopyOnWriteArrayList<>();
            List<Watchdog.Event> second = new CopyOnWriteArrayList<>();
            // Both have every node as a seed, so neither defers to the other: they race for the same replica.
            try (Running a = new Running(nodes.addresses(), first, Optional.empty());
                 Running b = new Running(nodes.addresses(), second, Optional.empty())) {
                kill(nodes, master);
                Live.await("the replica serves the dead master's slots", () -> serves(nodes, replica));
                Live.await("one watchdog reports the promotion", () -> a.dog.counts().promotions() + b.dog.counts().promotions() == 1);
                long looksA = a.dog.looks();
                long looksB = b.dog.looks();
                Live.await("five more looks each", () -> a.dog.looks() >= looksA + 5 && b.dog.looks() >= looksB + 5);
                assertEquals(1, a.dog.counts().failoversRequested() + b.dog.counts().failoversRequested(), "one request between them: " + first + " " + second);
                assertEquals(1, a.dog.counts().promotions() + b.dog.counts().promotions());
                assertEquals(0, a.dog.counts().failoversFailed() + b.dog.counts().failoversFailed());
            }
        }
    }

    @Test
    void localUpStartsOneWatchdogPerZoneThatFailsOverAKilledMasterAndLocalDownStopsThem(@TempDir Path tmp) {
        Path dir = tmp.resolve("local");
        int base = RedisNodes.freeBasePort(6);
        List<Long> pids = new ArrayList<>();
        try {
            CliTest.Run up = CliTest.run("local", "up", "--base-port", Integer.toString(base), "--dir", dir.toString(), "--json");
            assertEquals(0, up.exit(), up.err());
            up.json().get("watchdogs").forEach(w -> pids.add(w.get("pid").asLong()));
            assertEquals(3, pids.size(), up.out());
            assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
            for (int port = base; port < base + 6; port++) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.configSet("cluster-node-timeout", LONG_NODE_TIMEOUT);
                }
            }
            CliTest.Run drill = CliTest.run("local", "drill", "--mode", "kill", "--dir", dir.toString(), "--json");
            assertEquals(0, drill.exit(), drill.out() + drill.err());
            assertEquals(0, drill.json().get("report").get("lostWritesCount").asLong());
            List<String> states = List.of("az-a", "az-b", "az-c").stream().map(z -> dir.resolve("watchdog-" + z + ".json").toString()).toList();
            CliTest.Run metrics = CliTest.run("metrics", "127.0.0.1:" + (base + 1), "--watchdog-state", String.join(",", states), "--json");
            assertEquals(1, metrics.json().get("metrics").get("WatchdogPromotions").asLong(),
                    "one watchdog promoted the replica (Redis alone would wait 60 s): " + metrics.out());
            assertEquals(1, metrics.json().get("metrics").get("WatchdogFailoversRequested").asLong(), "one request, not one per watchdog");
        } finally {
            assertEquals(0, CliTest.run("local", "down", "--dir", dir.toString()).exit());
        }
        assertTrue(pids.stream().noneMatch(Processes::alive), "local down stops the watchdogs");
    }

    /** A watchdog on its own thread; closing stops it and waits for it. */
    private static final class Running implements AutoCloseable {
        final Watchdog dog;
        private final Thread thread;

        Running(List<NodeAddress> seeds, List<Watchdog.Event> events, Optional<Path> state) {
            this(seeds, events, state, InstanceHealth.NONE, null);
        }

        /** With this platform, and this probe (null: the real one). */
        Running(List<NodeAddress> seeds, List<Watchdog.Event> events, InstanceHealth health, Watchdog.Probe probe) {
            this(seeds, events, Optional.empty(), health, probe);
        }

        private Running(List<NodeAddress> seeds, List<Watchdog.Event> events, Optional<Path> state, InstanceHealth health, Watchdog.Probe probe) {
            Watchdog.Options d = Watchdog.Options.defaults();
            Watchdog.Options options = new Watchdog.Options(Duration.ofMillis(50), d.probeTimeoutMs(), d.confirmations(), d.promotionWait(),
                    d.backoff(), d.maxBackoff());
            dog = probe == null ? new Watchdog(seeds, Credentials.none(), health, options, events::add, state)
                    : new Watchdog(seeds, Credentials.none(), health, options, events::add, state, probe);
            thread = new Thread(dog::run, "watchdog");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            dog.stop();
            thread.join(10_000);
        }
    }

    private static RedisNodes cluster(int count, int replicas) {
        RedisNodes nodes = RedisNodes.nodes(count).withReplicasPerMaster(replicas).start();
        Placement placement = Planner.assign(nodes.zoned(List.of("a", "b", "c")), replicas, ZoneLoss.ACCEPT_RISK, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(60)).converge(placement, Credentials.none(), ClusterListener.SILENT);
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = nodes.jedis(a)) {
                j.configSet("cluster-node-timeout", LONG_NODE_TIMEOUT);
            }
        }
        return nodes;
    }

    /** Masters with slots, lowest slots first (the order the watchdog walks them in). */
    private static List<NodeAddress> masters(RedisNodes nodes) {
        MemberView view = Live.view(nodes, nodes.address(0));
        return view.nodes().stream().filter(n -> n.isMaster() && n.slotCount() > 0)
                .sorted(java.util.Comparator.comparingInt(n -> n.slots().get(0).first()))
                .map(n -> n.address().orElseThrow()).toList();
    }

    /** A key in the first slot the master serves. */
    private static String keyOn(RedisNodes nodes, NodeAddress master) {
        int slot = Live.view(nodes, master).myself().slots().get(0).first();
        for (int i = 0; ; i++) {
            if (redis.clients.jedis.util.JedisClusterCRC16.getSlot("k" + i) == slot) {
                return "k" + i;
            }
        }
    }

    private static NodeAddress replicaOf(RedisNodes nodes, String masterId) {
        return Live.view(nodes, nodes.address(0)).replicasOf(masterId).get(0).address().orElseThrow();
    }

    private static void kill(RedisNodes nodes, NodeAddress node) {
        ProcessHandle.of(nodes.pid(nodes.addresses().indexOf(node))).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
    }

    private static void assertStillServes(RedisNodes nodes, NodeAddress master, String masterId, String who) {
        NodeLine me = Live.view(nodes, master).myself();
        assertTrue(me.isMaster() && me.slotCount() > 0, who + " still serves its slots");
        assertEquals(masterId, me.id());
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }

    private static List<NodeAddress> survivors(RedisNodes nodes, NodeAddress dead) {
        return nodes.addresses().stream().filter(a -> !a.equals(dead)).toList();
    }

    private static boolean serves(RedisNodes nodes, NodeAddress node) {
        NodeLine me = Live.view(nodes, node).myself();
        return me.isMaster() && me.slotCount() > 0;
    }

    private static String clusterState(RedisNodes nodes, NodeAddress node) {
        try (Jedis j = nodes.jedis(node)) {
            return j.clusterInfo().contains("cluster_state:ok") ? "ok" : "not ok";
        }
    }

    private static boolean answers(NodeAddress node) {
        try (Jedis j = new Jedis(node.host(), node.port(), 200)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
