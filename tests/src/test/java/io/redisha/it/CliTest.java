package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cli.RedisHaCli;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.ZonedNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The redis-ha commands run in-process, as a user runs them: exit codes and parseable --json. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<RedisNodes> started = new ArrayList<>();

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RedisHaCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @AfterEach
    void stopNodes() {
        started.forEach(RedisNodes::close);
    }

    @Test
    void planPrintsATableOrJsonAndRejectsBadInputWithExitTwo() {
        Run table = run("plan", "--masters", "3", "--replicas", "1", "--zones", "a,b,c");
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains("node-0-0") && table.out().contains("survives the loss of any one zone"), table.out());

        Run json = run("plan", "--masters", "3", "--replicas", "2", "--zones", "a,b,c", "--json");
        assertEquals(0, json.exit());
        assertEquals(9, json.json().get("nodes").size());

        Run tooFew = run("plan", "--masters", "2", "--zones", "a,b,c");
        assertEquals(2, tooFew.exit());
        assertTrue(tooFew.err().contains("masters=2 is not valid"), tooFew.err());

        Run twoZones = run("plan", "--zones", "a,b");
        assertEquals(2, twoZones.exit());
        assertTrue(twoZones.err().contains("--accept-zone-loss-risk"), twoZones.err());

        Run unknown = run("plan", "--zones", "a,b,c", "--bogus");
        assertEquals(2, unknown.exit());
    }

    @Test
    void createFormsThenChangesNothingAndCheckAgrees(@TempDir Path tmp) throws Exception {
        RedisNodes nodes = RedisNodes.nodes(6).start();
        started.add(nodes);
        List<String> args = new ArrayList<>(List.of("create"));
        nodes.zoned(List.of("az-a", "az-b", "az-c")).forEach(z -> args.add(z.toString()));
        args.addAll(List.of("--replicas", "1", "--json"));

        Run first = run(args.toArray(String[]::new));
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.json().at("/result/changed").asBoolean());
        assertEquals(6, first.json().at("/placement/addresses").size());

        Run second = run(args.toArray(String[]::new));
        assertEquals(0, second.exit(), second.err());
        assertFalse(second.json().at("/result/changed").asBoolean());
        assertEquals(0, second.json().at("/result/actions").size());

        List<String> zones = nodes.zoned(List.of("az-a", "az-b", "az-c")).stream().map(ZonedNode::toString).toList();
        Run check = run("check", nodes.address(0).toString(), "--zones", String.join(",", zones), "--json");
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.json().get("ok").asBoolean());

        // The same placement through converge --plan-file: what the SSM document runs.
        Placement placement = Placement.fromJson(JSON.writeValueAsString(first.json().get("placement")));
        Path planFile = tmp.resolve("placement.json");
        Files.writeString(planFile, placement.toJson());
        Run converge = run("converge", "--plan-file", planFile.toString());
        assertEquals(0, converge.exit(), converge.err());
        assertTrue(converge.out().contains("already matches the plan, nothing changed"), converge.out());

        // All six labelled one zone: replicas share their masters' zone, so check fails with exit 1.
        List<String> oneZone = nodes.addresses().stream().map(a -> a + "@az-a").toList();
        Run bad = run("check", nodes.address(0).toString(), "--zones", String.join(",", oneZone));
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("FAIL") && bad.out().contains("in its master's zone"), bad.out());
    }

    @Test
    void waitConfiguredReturnsWithReplicasAgreedAndTheClusterThenServes() throws Exception {
        RedisNodes nodes = RedisNodes.nodes(6).start();
        started.add(nodes);
        List<String> args = new ArrayList<>(List.of("create", "--replicas", "1", "--wait", "configured", "--json"));
        nodes.zoned(List.of("az-a", "az-b", "az-c")).forEach(z -> args.add(z.toString()));
        Run configured = run(args.toArray(String[]::new));
        assertEquals(0, configured.exit(), configured.err());
        assertEquals("CONFIGURED", configured.json().at("/result/reached").asText(), configured.out());
        // Configured means every node already sees the planned replica of every master.
        for (NodeAddress address : nodes.addresses()) {
            try (var jedis = nodes.jedis(address)) {
                long replicas = jedis.clusterNodes().lines().filter(l -> l.contains("slave")).count();
                assertEquals(3, replicas, address + " sees " + replicas + " replicas");
            }
        }
        // Serving follows by itself: check passes once Redis's rejoin delay has passed.
        long deadline = System.nanoTime() + 30_000_000_000L;
        Run check;
        do {
            check = run("check", nodes.address(0).toString(), "--json");
        } while (check.exit() != 0 && System.nanoTime() < deadline && sleep(100));
        assertEquals(0, check.exit(), check.out());

        Run bad = run("create", "--replicas", "1", "--wait", "soon", nodes.zoned(List.of("a", "b", "c")).get(0).toString());
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("serving or configured"), bad.err());
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    @Test
    void badNodeSyntaxAndRefusalsHaveMeaningfulExitCodes(@TempDir Path tmp) throws Exception {
        Run syntax = run("create", "127.0.0.1:7000", "--replicas", "1");
        assertEquals(2, syntax.exit());
        assertTrue(syntax.err().contains("HOST:PORT@ZONE"), syntax.err());

        RedisNodes nodes = RedisNodes.nodes(6).start();
        started.add(nodes);
        Live.putKeyOnLoneNode(nodes, nodes.address(0), "k", "v");
        List<String> args = new ArrayList<>(List.of("create", "--replicas", "1", "--json"));
        nodes.zoned(List.of("az-a", "az-b", "az-c")).forEach(z -> args.add(z.toString()));
        Run refused = run(args.toArray(String[]::new));
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.json().get("error").asText().contains("nothing was changed"), refused.out());
        assertTrue(refused.json().get("problems").get(0).asText().contains(nodes.address(0).toString()), refused.out());
        Live.assertAllFresh(nodes, nodes.addresses());

        Run missingPlan = run("converge", "--plan-file", tmp.resolve("nope.json").toString());
        assertEquals(2, missingPlan.exit());
        assertTrue(missingPlan.err().contains("plan-file"), missingPlan.err());
    }

    @Test
    void publishingWithoutARegionSaysWhatToSetAndTouchesNoNode() {
        Jar.Result r = Jar.run(java.util.Map.of("AWS_REGION", "", "AWS_DEFAULT_REGION", "", "AWS_PROFILE", "",
                        "AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", "/nonexistent/redis-ha-test-config"),
                "metrics", "127.0.0.1:1", "--publish", "RedisHA");
        assertEquals(2, r.exit(), r.both());
        assertEquals("redis-ha: region=(not set) is not valid: set AWS_REGION or --region, e.g. --region us-east-1", r.err().strip(), r.both());
    }

    @Test
    void localUpStatusUpAgainDownLeavesNothingRunning(@TempDir Path dir) {
        int base = RedisNodes.freeBasePort(6);
        String[] up = {"local", "up", "--base-port", Integer.toString(base), "--dir", dir.toString(), "--json"};
        Run first = run(up);
        List<Long> pids = new ArrayList<>();
        try {
            assertEquals(0, first.exit(), first.err() + first.out());
            JsonNode answer = first.json();
            assertFalse(answer.get("alreadyUp").asBoolean());
            assertTrue(answer.at("/status/summary/ok").asBoolean(), first.out());
            answer.get("nodes").forEach(n -> pids.add(n.get("pid").asLong()));
            assertEquals(6, pids.size());
            assertTrue(pids.stream().allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
            assertTrue(answer.get("connect").asText().contains("redis-cli -c -p " + base));
            // Loopback only.
            String conf = readUnchecked(dir.resolve("node-" + base).resolve("redis.conf"));
            assertTrue(conf.contains("bind 127.0.0.1\n") && !conf.contains("0.0.0.0"), conf);

            Run status = run("local", "status", "--dir", dir.toString(), "--json");
            assertEquals(0, status.exit(), status.out());
            assertTrue(status.json().get("ok").asBoolean());

            Run again = run(up);
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.json().get("alreadyUp").asBoolean());
            List<Long> samePids = new ArrayList<>();
            again.json().get("nodes").forEach(n -> samePids.add(n.get("pid").asLong()));
            assertEquals(pids, samePids);
        } finally {
            Run down = run("local", "down", "--dir", dir.toString(), "--json");
            assertEquals(0, down.exit(), down.err());
        }
        for (long pid : pids) {
            assertFalse(io.redisha.local.Processes.alive(pid), "pid " + pid + " still runs");
        }
        for (int p = base; p < base + 6; p++) {
            assertTrue(RedisNodes.free(p) && RedisNodes.free(p + NodeAddress.BUS_PORT_OFFSET), "port " + p + " still in use");
        }
        Run none = run("local", "status", "--dir", dir.toString());
        assertEquals(1, none.exit());
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
