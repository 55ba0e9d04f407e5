package io.redisha.policies.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.policies.ResourceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --preview-json} and {@code check --stack-export} on files shaped as Pulumi v3.274.1
 * writes them (display.PreviewDigest, apitype.UntypedDeployment with ResourceV3 resources), made
 * by hand from those types: the issue's example of Redis that is not ours, and a safe stack.
 */
class PulumiStateTest {
    private static final Path DIR = Path.of(System.getProperty("policycheck.basedir", "."), "src", "test", "resources", "pulumi");

    /** Every problem of the issue's example, by rule: the resources it must be reported on. */
    private static final Map<String, Set<String>> ISSUE_PROBLEMS = new TreeMap<>(Map.ofEntries(
            Map.entry("redis-no-public-ip", Set.of("redis-1")),
            Map.entry("redis-aof-enabled", Set.of("redis-1")),
            Map.entry("redis-auth-from-secret", Set.of("redis-1")),
            Map.entry("redis-tuned-image", Set.of("redis-1")),
            Map.entry("redis-imdsv2-required", Set.of("redis-1")),
            Map.entry("redis-encrypted-volumes", Set.of("redis-1")),
            Map.entry("redis-no-open-ports", Set.of("redis-sg", "redis-bus")),
            Map.entry("redis-replicas-per-master", Set.of("sessions")),
            Map.entry("elasticache-failover-multi-az", Set.of("sessions")),
            Map.entry("elasticache-encryption", Set.of("sessions")),
            Map.entry("elasticache-auth", Set.of("sessions")),
            Map.entry("elasticache-snapshots", Set.of("sessions")),
            Map.entry("redis-subnets-across-zones", Set.of("sessions"))));

    private static OfflineCheckTest.Run check(String... args) {
        return OfflineCheckTest.check(args);
    }

    private static void assertIssueExampleFails(String flag, String file) throws Exception {
        OfflineCheckTest.Run run = check(flag, DIR.resolve(file).toString(), "--json");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, run.exit(), run.err() + run.out());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals("prod", report.get("stack").asText(), "the stack comes from the URNs");
        Map<String, Set<String>> found = new TreeMap<>();
        report.get("violations").forEach(v -> {
            if (v.get("level").asText().equals("MANDATORY")) {
                found.computeIfAbsent(v.get("policy").asText(), k -> new TreeSet<>()).add(v.get("resourceName").asText());
                assertTrue(v.get("message").asText().contains(v.get("resourceName").asText())
                        && v.get("message").asText().contains("Fix:"), v.toString());
            }
        });
        assertEquals(ISSUE_PROBLEMS, found);
        // prod: the replication group's missing second replica is advised against too
        assertEquals(1, report.get("advisory").asInt(), report.toString());
        assertTrue(report.get("violations").toString().contains("requirepass with a literal password"));
        assertTrue(report.get("violations").toString().contains("opens Redis port(s) 16379 to 0.0.0.0/0"));
    }

    @Test
    void theIssuesExampleFailsFromAPreview() throws Exception {
        assertIssueExampleFails("--preview-json", "issue-example.preview.json");
    }

    @Test
    void theIssuesExampleFailsFromAStackExport() throws Exception {
        assertIssueExampleFails("--stack-export", "issue-example.stack-export.json");
    }

    @Test
    void aPreviewCapturedFromTheEngineFailsTheSameWay() throws Exception {
        // tests/src/test/resources/engine/policy-pack/unsafe/Pulumi.yaml under pulumi v3.274.1 and the AWS double;
        // no subnet group there, so no zone finding
        OfflineCheckTest.Run run = check("--preview-json", DIR.resolve("engine-issue-example.preview.json").toString(), "--json");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, run.exit(), run.err() + run.out());
        Map<String, Set<String>> found = new TreeMap<>();
        new ObjectMapper().readTree(run.out()).get("violations").forEach(v -> {
            if (v.get("level").asText().equals("MANDATORY")) {
                found.computeIfAbsent(v.get("policy").asText(), k -> new TreeSet<>()).add(v.get("resourceName").asText());
            }
        });
        Map<String, Set<String>> expected = new TreeMap<>(ISSUE_PROBLEMS);
        expected.remove("redis-subnets-across-zones");
        assertEquals(expected, found);
    }

    @Test
    void aStackExportWrittenByTheEngineAfterUpPasses() throws Exception {
        // tests/src/test/resources/engine/policy-pack/safe/Pulumi.yaml after `pulumi up`; its authToken is a ciphertext
        OfflineCheckTest.Run run = check("--stack-export", DIR.resolve("engine-safe.stack-export.json").toString());
        assertEquals(OfflineCheck.OK, run.exit(), run.out() + run.err());
        ResourceView group = PulumiState.fromStackExport(DIR.resolve("engine-safe.stack-export.json")).stream()
                .filter(r -> r.name().equals("sessions")).findFirst().orElseThrow();
        assertTrue(group.secretPaths().contains("authToken") && group.isUnknown("authToken"), group.toString());
        assertEquals("sessions", group.id());
    }

    @Test
    void aSafeStackOfEveryKindPasses() {
        OfflineCheckTest.Run run = check("--stack-export", DIR.resolve("safe.stack-export.json").toString());
        assertEquals(OfflineCheck.OK, run.exit(), run.out());
        assertTrue(run.out().contains("PASSED: no mandatory violation") && !run.out().contains("warn"), run.out());
        assertTrue(run.out().contains("(11 resources)"), "stack and provider are not counted: " + run.out());
    }

    @Test
    void previewValuesAreReadAsTheEngineMeantThem() throws Exception {
        List<ResourceView> resources = PulumiState.fromPreviewJson(DIR.resolve("issue-example.preview.json"));
        ResourceView host = resources.stream().filter(r -> r.name().equals("redis-1")).findFirst().orElseThrow();
        assertTrue(host.isUnknown("vpcSecurityGroupIds") || host.list("vpcSecurityGroupIds").contains(ResourceView.UNKNOWN));
        assertEquals(false, host.properties().containsKey("metadataOptions"), "an unknown output does not hide a missing input");
        assertEquals(false, host.properties().containsKey("__defaults"));
        ResourceView group = resources.stream().filter(r -> r.name().equals("sessions")).findFirst().orElseThrow();
        assertEquals(List.of("urn:pulumi:prod::shop::aws:elasticache/subnetGroup:SubnetGroup::cache-subnets"), group.dependencies("subnetGroupName"));
    }

    @Test
    void secretsAreMarkedAndNeverDecrypted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("export.json");
        Files.writeString(file, """
                {"version": 3, "deployment": {"manifest": {}, "resources": [
                  {"urn": "urn:pulumi:dev::app::aws:elasticache/replicationGroup:ReplicationGroup::a", "custom": true, "id": "a-1",
                   "type": "aws:elasticache/replicationGroup:ReplicationGroup",
                   "inputs": {"authToken": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"},
                              "userGroupIds": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "[\\"admins\\"]"}}},
                  {"urn": "urn:pulumi:dev::app::aws:ec2/subnet:Subnet::gone", "custom": true, "delete": true, "type": "aws:ec2/subnet:Subnet"}
                ]}}""");
        List<ResourceView> resources = PulumiState.fromStackExport(file);
        assertEquals(1, resources.size(), "a resource pending deletion is not judged");
        ResourceView group = resources.get(0);
        assertEquals(Set.of("authToken", "userGroupIds"), group.secretPaths());
        assertTrue(group.isUnknown("authToken"));
        assertEquals(List.of("admins"), group.list("userGroupIds"));
        assertEquals("a-1", group.id());
    }

    @Test
    void aWrongOrBrokenFileIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        OfflineCheckTest.Run swapped = check("--stack-export", DIR.resolve("issue-example.preview.json").toString());
        assertEquals(OfflineCheck.USAGE, swapped.exit());
        assertTrue(swapped.err().trim().endsWith("is not valid: no \"deployment.resources\" array; give the output of `pulumi stack export`"), swapped.err());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"steps\": [");
        OfflineCheckTest.Run notJson = check("--preview-json", broken.toString());
        assertEquals(OfflineCheck.USAGE, notJson.exit());
        assertEquals(1, notJson.err().trim().lines().count(), notJson.err());
        assertTrue(notJson.err().contains("--preview-json " + broken + " is not valid: not JSON"), notJson.err());
        OfflineCheckTest.Run both = check("--preview-json", broken.toString(), "--stack-export", broken.toString());
        assertEquals(OfflineCheck.USAGE, both.exit());
        assertTrue(both.err().contains("give one"), both.err());
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{\"steps\": []}");
        OfflineCheckTest.Run nothing = check("--preview-json", empty.toString());
        assertEquals(OfflineCheck.USAGE, nothing.exit());
        assertTrue(nothing.err().contains("declares no Redis") && nothing.err().contains("nothing was checked"), nothing.err());
    }

    @Test
    void helpSaysEveryInput() {
        OfflineCheckTest.Run help = check("--help");
        assertEquals(OfflineCheck.OK, help.exit());
        for (String flag : List.of("--stack NAME", "--preview-json FILE", "--stack-export FILE", "--resources FILE", "--policy-pack-config", "--json")) {
            assertTrue(help.out().contains(flag), flag + " in " + help.out());
        }
    }
}
