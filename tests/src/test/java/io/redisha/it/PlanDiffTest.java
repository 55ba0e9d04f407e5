package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cli.RedisHaCli;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.ZoneLoss;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.JedisClusterCRC16;

/** {@code redis-ha plan diff}: the exact moves between known plans, and the live key count of the moving slots. */
class PlanDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = RedisHaCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path plan(String name, int masters) throws Exception {
        Run r = cli("plan", "--masters", Integer.toString(masters), "--replicas", "1", "--zones", "a,b,c", "--json");
        assertEquals(0, r.code(), r.err());
        Path file = dir.resolve(name);
        Files.writeString(file, r.out());
        return file;
    }

    private static List<String> moves(JsonNode answer) {
        List<String> moves = new ArrayList<>();
        answer.get("moves").forEach(m -> moves.add(m.get("from").asText() + "->" + m.get("to").asText() + " "
                + m.get("slots").asInt() + " " + m.get("ranges").toString()));
        return moves;
    }

    @Test
    void threeToFiveMastersMovesTheFewestSlotsExactly() throws Exception {
        Run r = cli("plan", "diff", plan("3.json", 3).toString(), plan("5.json", 5).toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode answer = JSON.readTree(r.out());
        assertEquals(List.of("node-1-0->node-3-0 2185 [\"8738-10922\"]", "node-0-0->node-3-0 1092 [\"4369-5460\"]",
                "node-0-0->node-4-0 1092 [\"3277-4368\"]", "node-2-0->node-4-0 2184 [\"14200-16383\"]"), moves(answer));
        assertEquals(6553, answer.get("slotsMoved").asInt());
        assertEquals("[\"node-3-0\",\"node-3-1\",\"node-4-0\",\"node-4-1\"]", answer.get("added").toString());
        assertEquals("[]", answer.get("removed").toString());
        assertTrue(answer.get("zoneSafetyBefore").get("survivesZoneLoss").asBoolean());
        assertTrue(answer.get("zoneSafetyAfter").get("survivesZoneLoss").asBoolean());

        Run text = cli("plan", "diff", dir.resolve("3.json").toString(), dir.resolve("5.json").toString());
        assertTrue(text.out().contains("6553 slots in 4 moves"), text.out());
        assertTrue(text.out().contains("Zone safety after:"), text.out());
    }

    @Test
    void fiveToThreeDrainsTheRemovedMasters() throws Exception {
        Run r = cli("plan", "diff", plan("5.json", 5).toString(), plan("3.json", 3).toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode answer = JSON.readTree(r.out());
        assertEquals("[\"node-3-0\",\"node-3-1\",\"node-4-0\",\"node-4-1\"]", answer.get("removed").toString());
        int drained = 0;
        for (JsonNode m : answer.get("moves")) {
            assertTrue(m.get("from").asText().startsWith("node-3") || m.get("from").asText().startsWith("node-4"), m.toString());
            drained += m.get("slots").asInt();
        }
        // The even split of 5 gives node-3-0 9830-13106 and node-4-0 13107-16383: 3277 slots each.
        assertEquals(2 * 3277, drained, "node-3-0 and node-4-0 give away all their slots");
    }

    @Test
    void countsTheKeysLivingInTheMovingSlots() throws Exception {
        try (RedisNodes nodes = RedisNodes.nodes(3).withReplicasPerMaster(0).start()) {
            new ClusterEngine(Duration.ofSeconds(60)).converge(Resharding.assign(nodes.zoned(List.of("a", "b", "c")), 0,
                    ZoneLoss.ACCEPT_RISK, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
            long expected;
            try (Workload w = new Workload(nodes.addresses(), null, 20_000, 16)) {
                w.load();
            }
            Path from = plan("3.json", 3);
            Path to = plan("5.json", 5);
            JsonNode diff = JSON.readTree(cli("plan", "diff", from.toString(), to.toString(), "--json").out());
            List<int[]> ranges = new ArrayList<>();
            diff.get("moves").forEach(m -> m.get("ranges").forEach(t -> {
                String[] p = t.asText().split("-");
                ranges.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[p.length - 1])});
            }));
            expected = 0;
            for (int i = 0; i < 20_000; i++) {
                int slot = JedisClusterCRC16.getSlot(Workload.key(i));
                if (ranges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1])) {
                    expected++;
                }
            }
            Run r = cli("plan", "diff", from.toString(), to.toString(), "--cluster", nodes.address(0).toString(), "--json");
            assertEquals(0, r.code(), r.err());
            assertEquals(expected, JSON.readTree(r.out()).get("keysMoving").asLong());
            assertTrue(expected > 0);
        }
    }

    @Test
    void unreadablePlanIsInvalidInput() {
        Run r = cli("plan", "diff", dir.resolve("missing.json").toString(), dir.resolve("missing.json").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("OLD"), r.err());
    }
}
