package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalState;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped CLI rolling a 3x1 cluster under writers, halted like kill -9 (a test hook that halts
 * the JVM) at five different steps, each run resuming where the last one died, and a last run that
 * finishes. Also {@code plan roll} before any change, and {@code local roll} on a local cluster.
 */
class InterruptedRollTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("REDIS_HA_TEST_PASSWORD", RollTest.PASSWORD);

    private static String[] args(String verb, RedisNodes olds, RedisNodes news, Map<NodeAddress, String> zones, String... extra) {
        List<String> a = new ArrayList<>(List.of(verb.split(" ")));
        a.add(olds.address(0).toString());
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < olds.addresses().size(); i++) {
            pairs.add(olds.address(i) + "=" + news.address(i));
        }
        a.addAll(List.of("--replace", String.join(",", pairs)));
        List<String> zoned = new ArrayList<>();
        zones.forEach((address, zone) -> zoned.add(address + "@" + zone));
        a.addAll(List.of("--zones", String.join(",", zoned), "--password-env", "REDIS_HA_TEST_PASSWORD"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void rollKilledAtFiveStepsFinishesWhenRunAgainWithNothingLost() throws Exception {
        assertTrue(Files.exists(Jar.PATH), Jar.PATH + " is missing; build it first: mvn -pl cli -am package -DskipTests");
        try (RedisNodes olds = RedisNodes.nodes(6).withPassword(RollTest.PASSWORD).start();
             RedisNodes news = RedisNodes.nodes(6).withPassword(RollTest.PASSWORD).start()) {
            Placement placement = RollTest.form(olds, 1);
            Map<NodeAddress, String> zones = placement.zoneByAddress();

            // The plan touches nothing: replicas first, then the three masters, each handing over to its replacement.
            Jar.Result planned = Jar.run(ENV, args("plan roll", olds, news, zones, "--json"));
            assertEquals(0, planned.exit(), planned.both());
            JsonNode steps = JSON.readTree(planned.out()).get("steps");
            assertEquals(6, steps.size(), planned.out());
            for (int i = 0; i < 6; i++) {
                assertEquals(i < 3 ? "replica" : "master", steps.get(i).get("role").asText(), planned.out());
                assertEquals(i >= 3, !steps.get(i).get("handover").asText().isEmpty(), planned.out());
            }
            Live.assertAllFresh(news, news.addresses());
            Jar.Result invalid = Jar.run(ENV, "roll", olds.address(0).toString(), "--replace", olds.address(0).toString(),
                    "--zones", olds.address(0) + "@a", "--password-env", "REDIS_HA_TEST_PASSWORD");
            assertEquals(2, invalid.exit(), invalid.both());
            assertTrue(invalid.err().contains("replace=" + olds.address(0) + " is not valid: OLD=NEW"), invalid.both());

            try (Workload w = new Workload(olds.addresses(), RollTest.PASSWORD, 20_000, 64)) {
                w.load().startWriters(3, 300, Long.MAX_VALUE);
                // Each run dies at its step and the next resumes there: the first replica meets, replicates,
                // syncs and is forgotten across four runs; the fifth run finishes the replicas and dies right
                // after asking the first master's replacement to take over.
                for (String step : List.of("meet", "replicate", "synced", "forget", "failover")) {
                    Jar.Result halted = Jar.run(Map.of("REDIS_HA_TEST_PASSWORD", RollTest.PASSWORD, "REDIS_HA_TEST_ROLL_HALT_AT", step),
                            args("roll", olds, news, zones));
                    assertEquals(137, halted.exit(), "halted at " + step + ": " + halted.both());
                    assertTrue(halted.err().contains("halting the roll after step " + step), halted.both());
                    assertEquals(16384, servedSlots(olds, news), "every slot is served after the halt at " + step);
                }
                Jar.Result finished = Jar.run(ENV, args("roll", olds, news, zones, "--json"));
                assertEquals(0, finished.exit(), finished.both());
                JsonNode answer = JSON.readTree(finished.out());
                assertTrue(answer.get("ok").asBoolean(), finished.out());
                assertEquals(2, answer.get("handovers").size(), "two masters were left to hand over in the last run: " + finished.out());

                // Running it once more finds nothing left to do.
                Jar.Result again = Jar.run(ENV, args("roll", olds, news, zones, "--json"));
                assertEquals(0, again.exit(), again.both());
                assertEquals(0, JSON.readTree(again.out()).get("handovers").size(), again.out());
                w.stopWriters();
                assertTrue(w.writes() > 0, "the writers wrote during the roll");
                RollTest.assertRolled(olds, news, w, zones);
            }
        }
    }

    @Test
    void localRollMovesEveryNodeOntoANewGeneration() throws Exception {
        Path dir = Files.createTempDirectory("redis-ha-local-roll");
        String base = Integer.toString(RedisNodes.freeBasePort(12));
        try {
            Jar.Result up = Jar.run(Map.of(), "local", "up", "--dir", dir.toString(), "--base-port", base);
            assertEquals(0, up.exit(), up.both());
            LocalCluster local = new LocalCluster(dir, new io.redisha.cluster.ClusterEngine());
            Set<Integer> before = ports(local.requireState());
            NodeAddress first = new NodeAddress("127.0.0.1", before.iterator().next());
            Workload w = new Workload(List.of(first), null, 5_000, 64).load();
            Jar.Result dry = Jar.run(Map.of(), "local", "roll", "--dir", dir.toString(), "--dry-run");
            assertEquals(0, dry.exit(), dry.both());
            assertTrue(dry.out().contains("Would replace 6 nodes"), dry.out());
            assertEquals(before, ports(local.requireState()), "a dry run starts nothing");

            Jar.Result rolled = Jar.run(Map.of(), "local", "roll", "--dir", dir.toString(), "--json");
            assertEquals(0, rolled.exit(), rolled.both());
            assertEquals(3, JSON.readTree(rolled.out()).get("handovers").size(), rolled.out());
            LocalState after = local.requireState();
            assertEquals(List.of(), after.rolling(), "the roll is finished in the state file");
            Set<Integer> now = ports(after);
            assertEquals(List.of(), w.missingLoaded(new NodeAddress("127.0.0.1", now.iterator().next())), "keys lost by the local roll");
            w.close();
            assertEquals(6, now.size());
            now.forEach(p -> assertTrue(!before.contains(p), "node on port " + p + " is of the old generation"));
            before.forEach(p -> assertTrue(RedisNodes.free(p), "old port " + p + " is still in use: the old process was not stopped"));
            Jar.Result status = Jar.run(Map.of(), "local", "status", "--dir", dir.toString());
            assertEquals(0, status.exit(), status.both());
        } finally {
            Jar.run(Map.of(), "local", "down", "--dir", dir.toString());
        }
    }

    /** Slots served, as seen from the first node (new ones first) that is a member of the cluster. */
    private static int servedSlots(RedisNodes olds, RedisNodes news) {
        List<NodeAddress> all = new ArrayList<>(news.addresses());
        all.addAll(olds.addresses());
        for (NodeAddress a : all) {
            if (!Live.view(news.addresses().contains(a) ? news : olds, a).knowsOnlyItself()) {
                return LiveCluster.load(a, RollTest.CREDENTIALS).assignedSlots();
            }
        }
        return 0;
    }

    private static Set<Integer> ports(LocalState state) {
        Set<Integer> ports = new TreeSet<>();
        state.nodes().forEach(n -> ports.add(n.port()));
        return ports;
    }
}
