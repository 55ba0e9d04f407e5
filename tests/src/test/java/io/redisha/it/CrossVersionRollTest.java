package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisha.server.ServerBinary;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ServerVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The upgrade people plan: a 3x1 Redis 7.0 cluster from 'local up' rolled by 'local roll --server PATH'
 * onto Redis 8.2, and onto Valkey 8.1, with writers running: nothing acknowledged is lost, check
 * passes, every node reports the new version (Valkey's with its zone as availability-zone). And the
 * roll the servers cannot do, a downgrade onto an older snapshot format, refused before anything starts.
 */
class CrossVersionRollTest {

    private static CliTest.Run local(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dir", dir.toString()));
        return CliTest.run(all.toArray(String[]::new));
    }

    private static List<NodeAddress> addresses(JsonNode zoneMap) {
        List<NodeAddress> addresses = new ArrayList<>();
        zoneMap.fieldNames().forEachRemaining(a -> addresses.add(NodeAddress.parse(a)));
        return addresses;
    }

    private static Map<String, String> infoServer(NodeAddress address) {
        try (Jedis jedis = new Jedis(address.host(), address.port())) {
            Map<String, String> fields = new LinkedHashMap<>();
            jedis.info("server").lines().filter(l -> l.indexOf(':') > 0)
                    .forEach(l -> fields.put(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
            return fields;
        }
    }

    private static void rollsUnderWriters(Path dir, ServerBinary next) {
        ServerBinary from = Servers.redis70();
        int base = RedisNodes.freeBasePort(6);
        try {
            CliTest.Run up = local(dir, "local", "up", "--server", from.path(), "--base-port", Integer.toString(base), "--no-watchdog", "--json");
            assertEquals(0, up.exit(), up.out() + up.err());
            try (Workload w = new Workload(addresses(up.json().get("zoneMap")), null, 5_000, 64).load()) {
                w.startWriters(3, 300, Long.MAX_VALUE);
                CliTest.Run roll = local(dir, "local", "roll", "--server", next.path(), "--json");
                long during = w.writes();
                w.stopWriters();
                assertEquals(0, roll.exit(), roll.out() + roll.err());
                assertTrue(roll.json().get("ok").asBoolean(), roll.out());
                assertEquals(3, roll.json().get("handovers").size(), "one graceful handover per master: " + roll.out());
                assertTrue(during > 0, "the writers wrote during the roll");

                CliTest.Run status = local(dir, "local", "status", "--json");
                assertEquals(0, status.exit(), status.out());
                assertTrue(status.json().get("summary").get("zoneSafety").asText().startsWith("survives the loss of any one zone"), status.out());
                assertTrue(status.out().contains("server: " + next.version().label() + " on 6 nodes"), "one server on every node: " + status.out());

                Path state = dir.resolve("state.json");
                JsonNode members = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(state)).get("nodes");
                assertEquals(6, members.size());
                for (JsonNode member : members) {
                    NodeAddress address = new NodeAddress("127.0.0.1", member.get("port").asInt());
                    Map<String, String> info = infoServer(address);
                    assertEquals(next.version(), ServerVersion.fromInfo(info), address + " after the roll");
                    assertEquals(next.path(), member.get("server").asText(), "the state records the node's new server");
                    if (next.version().takesAvailabilityZone()) {
                        try (Jedis jedis = new Jedis(address.host(), address.port())) {
                            assertEquals(member.get("zone").asText(), jedis.configGet("availability-zone").get("availability-zone"), address.toString());
                        }
                    }
                }
                NodeAddress seed = new NodeAddress("127.0.0.1", members.get(0).get("port").asInt());
                assertEquals(List.of(), w.missingLoaded(seed), "loaded keys missing or wrong");
                assertEquals(List.of(), w.lostWrites(seed), "acknowledged writes lost");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            local(dir, "local", "down");
        }
    }

    @Test
    void rollsRedis70OntoRedis82UnderWritersLosingNothing(@TempDir Path tmp) {
        rollsUnderWriters(tmp.resolve("local"), Servers.redis82());
    }

    @Test
    void rollsRedis70OntoValkey81UnderWritersLosingNothing(@TempDir Path tmp) {
        rollsUnderWriters(tmp.resolve("local"), Servers.valkey81());
    }

    @Test
    void createRefusesNodesThatCouldNotReplicateFromOneAnother() {
        try (RedisNodes newer = RedisNodes.nodes(3).withServer(Servers.redis82()).start();
             RedisNodes older = RedisNodes.nodes(3).withServer(Servers.redis70()).start()) {
            List<io.redisha.topology.ZonedNode> zoned = new ArrayList<>(newer.zoned(List.of("a", "b", "c")));
            zoned.addAll(older.zoned(List.of("b", "c", "a")));
            io.redisha.topology.Placement placement = io.redisha.topology.Planner.assign(zoned, 1, io.redisha.topology.ZoneLoss.MUST_SURVIVE,
                    java.util.Optional.empty());
            io.redisha.cluster.transport.ClusterRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(io.redisha.cluster.transport.ClusterRefusedException.class,
                    () -> new io.redisha.cluster.ClusterEngine().converge(placement, io.redisha.cluster.transport.Credentials.none(), io.redisha.cluster.model.ClusterListener.SILENT));
            assertTrue(refused.problems().stream().anyMatch(p -> p.startsWith("the nodes run redis 7.0.15, redis 8.2.3, which cannot replicate from one another")
                    && p.contains("(RDB format 12 > 10)")), refused.problems().toString());
            for (NodeAddress a : newer.addresses()) {
                assertTrue(Live.view(newer, a).knowsOnlyItself(), a + " was left untouched");
            }
        }
    }

    @Test
    void refusesADowngradeOntoAnOlderSnapshotFormatBeforeAnythingStarts(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("local");
        ServerBinary newer = Servers.redis82();
        ServerBinary older = Servers.valkey81();
        int base = RedisNodes.freeBasePort(6);
        try {
            CliTest.Run up = local(dir, "local", "up", "--server", newer.path(), "--base-port", Integer.toString(base), "--no-watchdog", "--json");
            assertEquals(0, up.exit(), up.out() + up.err());
            String stateBefore = Files.readString(dir.resolve("state.json"));

            CliTest.Run refused = local(dir, "local", "roll", "--server", older.path());
            assertEquals(1, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("nothing was started"), refused.err());
            assertTrue(refused.err().contains("valkey 8.1.8 cannot load the snapshots redis 8.2.3 writes (RDB format 12 > 11)"), refused.err());
            CliTest.Run toDebian = local(dir, "local", "roll", "--server", Servers.redis70().path());
            assertEquals(1, toDebian.exit(), toDebian.out() + toDebian.err());
            assertTrue(toDebian.err().contains("redis 7.0.15 cannot load the snapshots redis 8.2.3 writes (RDB format 12 > 10)"), toDebian.err());

            assertEquals(stateBefore, Files.readString(dir.resolve("state.json")), "no new generation was recorded");
            for (int port = base + 6; port < base + 12; port++) {
                assertTrue(RedisNodes.free(port), "no new node was started on " + port);
            }
            assertEquals(0, local(dir, "local", "status").exit());
        } finally {
            local(dir, "local", "down");
        }
    }
}
