package io.redisha.tests.engine;

import static io.redisha.tests.engine.PackPreview.FAILED;
import static io.redisha.tests.engine.PackPreview.assertPassesClean;
import static io.redisha.tests.engine.PackPreview.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy pack under the real Pulumi engine on YAML programs that declare Redis the way other
 * teams do (tests/src/test/resources/engine/policy-pack: hand-written Redis on EC2, ElastiCache,
 * MemoryDB, security group rules), against the AWS provider double (a stand-in for pulumi-aws that
 * makes no AWS call): {@code pulumi preview --policy-pack policies/pulumi-analyzer-redis-ha}, as
 * {@code source .ci/engine-env} sets the engine up.
 */
class PolicyPackEngineTest {
    private static final Path PROGRAMS = Path.of("src", "test", "resources", "engine", "policy-pack");

    @BeforeAll
    static void engine() {
        PackPreview.requireOrFail();
    }

    @Test
    void aProgramThatFollowsTheChecklistPassesOnProd() {
        try (EngineProject project = project("safe", Map.of())) {
            assertPassesClean(PackPreview.preview(project));
        }
    }

    @Test
    void theIssuesExampleFailsWithEveryProblemNamedAndItsFix() {
        try (EngineProject project = project("unsafe", Map.of())) {
            EngineProject.Run preview = PackPreview.preview(project);
            assertNotEquals(0, preview.exit(), preview.both());
            assertTrue(preview.out().contains(FAILED), preview.both());
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("redis-no-public-ip", "aws:ec2:Instance|redis-1");
            expected.put("redis-aof-enabled", "aws:ec2:Instance|redis-1");
            expected.put("redis-auth-from-secret", "aws:ec2:Instance|redis-1");
            expected.put("redis-tuned-image", "aws:ec2:Instance|redis-1");
            expected.put("redis-imdsv2-required", "aws:ec2:Instance|redis-1");
            expected.put("redis-encrypted-volumes", "aws:ec2:Instance|redis-1");
            expected.put("redis-no-open-ports", "aws:ec2:SecurityGroupRule|redis-bus");
            expected.put("redis-replicas-per-master", "aws:elasticache:ReplicationGroup|sessions");
            expected.put("elasticache-failover-multi-az", "aws:elasticache:ReplicationGroup|sessions");
            expected.put("elasticache-encryption", "aws:elasticache:ReplicationGroup|sessions");
            expected.put("elasticache-auth", "aws:elasticache:ReplicationGroup|sessions");
            expected.put("elasticache-snapshots", "aws:elasticache:ReplicationGroup|sessions");
            expected.forEach((rule, resource) -> {
                String[] r = resource.split("\\|");
                assertTrue(finding(preview, rule, r[0], r[1]).contains("Fix: "), rule + " on " + r[1] + " with its fix in " + preview.both());
            });
        }
    }

    @Test
    void aMandatoryViolationStopsPulumiUpBeforeAnythingIsCreated() throws IOException {
        try (EngineProject project = project("unsafe", Map.of())) {
            EngineProject.Run up = PackPreview.run(project, "up", "--yes", "--skip-preview");
            assertNotEquals(0, up.exit(), up.both());
            assertTrue(up.out().contains("[mandatory]"), up.both());
            String export = project.ok("stack", "export").out();
            assertFalse(export.contains("aws:ec2/instance:Instance") || export.contains("aws:elasticache"), "nothing was created: " + export);
        }
    }

    @Test
    void policyPackConfigChangesALimit() throws IOException {
        try (EngineProject project = project("safe", Map.of())) {
            Path config = project.dir().resolveSibling("policy-config.json");
            Files.writeString(config, "{\"elasticache-snapshots\": {\"minDays\": 14}}");
            EngineProject.Run preview = PackPreview.preview(project, "--policy-pack-config", config.toString());
            assertNotEquals(0, preview.exit(), preview.both());
            assertTrue(finding(preview, "elasticache-snapshots", "aws:elasticache:ReplicationGroup", "sessions").contains("needs at least 14"),
                    preview.both());
        }
    }

    @Test
    void anAdvisoryViolationDoesNotFailThePreview() {
        try (EngineProject project = project("safe", Map.of("ledgerReplicas", "1"))) {
            EngineProject.Run preview = PackPreview.preview(project);
            assertEquals(0, preview.exit(), preview.both());
            assertTrue(preview.out().contains("[advisory] [severity: medium]  redis-replicas-for-production  (aws:memorydb:Cluster: ledger)"),
                    preview.both());
        }
    }

    /** A stack {@code prod} of the program, with its secret and {@code config}. */
    private static EngineProject project(String program, Map<String, String> config) {
        String yaml;
        try {
            yaml = Files.readString(PROGRAMS.resolve(program).resolve("Pulumi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineProject project = EngineProject.create("prod", yaml);
        return project.initialised(() -> {
            project.ok("config", "set", "--secret", "sessionsAuthToken", "not-a-real-token-0123456789");
            config.forEach((key, value) -> project.ok("config", "set", key, value));
        });
    }
}
