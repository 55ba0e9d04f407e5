package io.redisha.policies.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.policies.Fixtures;
import io.redisha.policies.ResourceView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline check on the real stack program under mocks (stacks/Pulumi.dev.yaml and
 * Pulumi.prod.yaml), and on unsafe changes to them, as a pull request would run it.
 */
class OfflineCheckTest {
    /** The stack files live in ../stacks relative to this module. */
    private static final Path REPO = Path.of(System.getProperty("policycheck.basedir", ".")).toAbsolutePath().getParent();

    record Run(int exit, String out, String err) {
    }

    static Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        if (all.contains("--stack") && !all.contains("--resources") && !all.contains("--stack-config")
                && !all.contains("--preview-json") && !all.contains("--stack-export")) {
            int i = all.indexOf("--stack");
            all.add("--stack-config");
            all.add(REPO.resolve("stacks").resolve("Pulumi." + all.get(i + 1) + ".yaml").toString());
        }
        int exit = OfflineCheck.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static JsonNode json(Run run) throws Exception {
        return new ObjectMapper().readTree(run.out());
    }

    /** A stack passes when no mandatory rule fires and the report says so. */
    static void assertPasses(JsonNode report, String stack) {
        List<String> mandatory = new ArrayList<>();
        report.get("violations").forEach(v -> {
            if (v.get("level").asText().equals("MANDATORY")) {
                mandatory.add(v.get("policy").asText() + ": " + v.get("message").asText());
            }
        });
        assertEquals(List.of(), mandatory, stack + " must pass every mandatory rule");
        assertTrue(report.get("passed").asBoolean(), stack + " should pass: " + report);
    }

    @Test
    void devPasses() throws Exception {
        Run run = check("--stack", "dev", "--json");
        JsonNode report = json(run);
        assertEquals("dev", report.get("stack").asText());
        assertPasses(report, "dev");
        assertEquals(0, report.get("advisory").asInt(), "dev is not production: no replica advice");
        assertEquals(report.get("passed").asBoolean() ? 0 : 1, run.exit());
    }

    @Test
    void prodPassesWithTwoReplicasAndNoAdvice() throws Exception {
        JsonNode report = json(check("--stack", "prod", "--json"));
        assertPasses(report, "prod");
        assertEquals(0, report.get("advisory").asInt(), report.toString());
    }

    @Test
    void prodWithOneReplicaIsAdvisedAgainst() throws Exception {
        Run run = check("--stack", "prod", "--json", "--set", "redis-ha:replicasPerMaster=1");
        JsonNode report = json(run);
        assertEquals(3, report.get("advisory").asInt(), report.toString());
        report.get("violations").forEach(v -> {
            if (v.get("policy").asText().equals("redis-replicas-for-production")) {
                assertEquals("ADVISORY", v.get("level").asText());
                assertTrue(v.get("message").asText().contains("Fix: for production set replicasPerMaster to 2"));
            }
        });
    }

    @Test
    void fourMastersOverThreeZonesFails() throws Exception {
        // the component itself refuses it: the check fails before any resource is declared
        List<java.util.logging.LogRecord> logged = new ArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("com.pulumi").addHandler(capture); // the SDK logger's parent
        Run refused;
        try {
            refused = check("--stack", "dev", "--set", "redis-ha:masters=4");
        } finally {
            java.util.logging.Logger.getLogger("com.pulumi").removeHandler(capture);
        }
        assertEquals(OfflineCheck.PROGRAM_FAILED, refused.exit(), refused.out());
        assertTrue(refused.out().contains("masters=4") && refused.out().contains("FAILED"), refused.out());
        // one line naming the input, the value and what is valid; no stack trace anywhere
        String reason = refused.out().lines().filter(l -> l.startsWith("  ") && l.contains("masters=4")).findFirst().orElseThrow().trim();
        assertTrue(reason.startsWith("RedisCluster 'dev': masters=4 is not valid:"), reason);
        assertTrue(!refused.out().contains("\tat ") && !refused.out().contains("Exception") && !refused.err().contains("\tat "), refused.out() + refused.err());
        assertEquals(List.of(), logged.stream().map(java.util.logging.LogRecord::getMessage).toList(), "the SDK logged the program's failure");
        // accepting the risk in config still fails the pull request, on the zone-loss rule
        Run accepted = check("--stack", "dev", "--json", "--set", "redis-ha:masters=4", "--set", "redis-ha:acceptZoneLossRisk=true");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, accepted.exit());
        assertTrue(violations(json(accepted), "redis-zone-loss-survivable").get(0).contains("not a majority"));
    }

    @Test
    void zeroReplicasFails() throws Exception {
        Run run = check("--stack", "dev", "--json", "--set", "redis-ha:replicasPerMaster=0", "--set", "redis-ha:acceptZoneLossRisk=true");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, run.exit());
        assertEquals(3, violations(json(run), "redis-replicas-per-master").size());
    }

    @Test
    void aNodeTimeoutTheComponentAcceptsButThePackDoesNotFails() throws Exception {
        Run run = check("--stack", "dev", "--json", "--set", "redis-ha:nodeTimeoutMs=1500");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, run.exit());
        List<String> v = violations(json(run), "redis-node-timeout-range");
        assertEquals(7, v.size(), v.toString()); // the component's input and each of the 6 nodes that renders it
        assertTrue(v.get(0).contains("dev (redis-ha:index:RedisCluster)") && v.get(0).contains("1500 ms") && v.get(0).contains("Fix:"), v.get(0));
        Run refused = check("--stack", "dev", "--set", "redis-ha:nodeTimeoutMs=500");
        assertEquals(OfflineCheck.PROGRAM_FAILED, refused.exit());
    }

    @Test
    void anOpenClientCidrFails() {
        Run run = check("--stack", "dev", "--set", "redis-ha:allowedClientCidrs=[\"0.0.0.0/0\"]");
        assertFalse(run.exit() == OfflineCheck.OK, run.out());
        assertTrue(run.out().contains("0.0.0.0/0"), run.out());
    }

    @Test
    void policyPackConfigCanRelaxALevel(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("policy-config.json");
        Files.writeString(config, "{\"redis-node-timeout-range\": {\"enforcementLevel\": \"advisory\", \"minMs\": 1000}}");
        Run run = check("--stack", "dev", "--json", "--set", "redis-ha:nodeTimeoutMs=1500", "--policy-pack-config", config.toString());
        assertEquals(List.of(), violations(json(run), "redis-node-timeout-range"));
    }

    @Test
    void aCapturedResourcesFileIsCheckedWithoutTheProgram(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> safe = new ArrayList<>();
        for (ResourceView r : Fixtures.cluster(3, 2, List.of("a-1a", "a-1b", "a-1c"), io.redisha.topology.ZoneLoss.MUST_SURVIVE)) {
            safe.add(Map.of("type", r.type(), "name", r.name(), "properties", r.properties()));
        }
        Path file = dir.resolve("resources.json");
        new ObjectMapper().writeValue(file.toFile(), safe);
        Run ok = check("--stack", "prod", "--resources", file.toString());
        assertEquals(OfflineCheck.OK, ok.exit(), ok.out());
        assertTrue(ok.out().contains("PASSED"), ok.out());

        List<Map<String, Object>> unsafe = new ArrayList<>(safe);
        unsafe.add(Map.of("type", ResourceView.INGRESS_RULE, "name", "world", "properties",
                Map.of("cidrIpv4", "0.0.0.0/0", "fromPort", 6379, "toPort", 6379, "ipProtocol", "tcp")));
        new ObjectMapper().writeValue(file.toFile(), unsafe);
        Run bad = check("--stack", "prod", "--resources", file.toString());
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, bad.exit());
        assertTrue(bad.out().contains("FAIL redis-no-open-ports") && bad.out().contains("- world: "), bad.out());
    }

    @Test
    void badUsageExitsTwoWithAMessage() {
        Run run = check("--resources", "/nonexistent.json");
        assertEquals(OfflineCheck.USAGE, run.exit());
        assertEquals("check: --resources /nonexistent.json is not valid: no such file", run.err().trim());
        Run none = check();
        assertEquals(OfflineCheck.USAGE, none.exit());
        assertTrue(none.err().contains("--preview-json FILE"), none.err());
        Run set = check("--stack", "dev", "--set", "masters");
        assertEquals(OfflineCheck.USAGE, set.exit());
        assertTrue(set.err().contains("namespace:key=value"), set.err());
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OfflineCheck.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: check ("), out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> violations(JsonNode report, String policy) {
        List<String> messages = new ArrayList<>();
        report.get("violations").forEach(v -> {
            if (v.get("policy").asText().equals(policy)) {
                messages.add(v.get("message").asText());
            }
        });
        return messages;
    }

    @Test
    void anEmptyStackIsNotAPass() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = OfflineCheck.run(new String[] {"--stack", "dev", "--resources", "/dev/null"},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));
        assertEquals(OfflineCheck.USAGE, exit);
        assertTrue(err.toString().contains("declares no Redis"), err.toString());
    }
}
