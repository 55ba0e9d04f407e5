package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import io.redisha.components.node.BackupDocument;
import io.redisha.components.node.ConvergeDocument;
import io.redisha.components.node.NodeDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code backups} and {@code restoreFrom} inputs: validation, the schedule's interval, the alarm window, the node policies. */
class BackupPlanTest {
    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw")).instanceType("t3.medium");
    }

    @Test
    void scheduleIntervals() {
        assertEquals(Optional.of(24 * 60), BackupPlan.intervalMinutes("rate(1 day)"));
        assertEquals(Optional.of(12 * 60), BackupPlan.intervalMinutes("rate(12 hours)"));
        assertEquals(Optional.of(30), BackupPlan.intervalMinutes("rate(30 minutes)"));
        assertEquals(Optional.of(24 * 60), BackupPlan.intervalMinutes("cron(15 3 * * ? *)"));
        assertEquals(Optional.of(24 * 60), BackupPlan.intervalMinutes("cron(0 23 ? * * *)"));
        assertEquals(Optional.of(60), BackupPlan.intervalMinutes("cron(5 * * * ? *)"));
        for (String bad : List.of("rate(1 days)", "rate(2 day)", "rate(0 minutes)", "daily", "cron(0 3 * * * *)", "cron(0 3 ? * ? *)",
                "cron(0 3 ? * MON *)", "cron(0 24 * * ? *)", "cron(0 3 * * ?)", "rate(1 week)")) {
            assertEquals(Optional.empty(), BackupPlan.intervalMinutes(bad), bad);
        }
    }

    @Test
    void theAlarmWindowIsTwiceTheIntervalWithinCloudWatchLimits() {
        BackupPlan daily = new BackupPlan("rate(1 day)", 24 * 60, 7, Optional.empty(), Optional.empty());
        assertEquals(2 * 86400, daily.alarmWindowSeconds());
        assertEquals(3600, daily.alarmPeriodSeconds()); // a window over a day needs periods of an hour or more
        assertEquals(48, daily.alarmEvaluationPeriods());
        BackupPlan half = new BackupPlan("rate(45 minutes)", 45, 7, Optional.empty(), Optional.empty());
        assertEquals(5400, half.alarmWindowSeconds());
        assertEquals(300, half.alarmPeriodSeconds());
        assertEquals(18, half.alarmEvaluationPeriods());
        BackupPlan longest = new BackupPlan("rate(3 days)", BackupPlan.MAX_INTERVAL_MINUTES, 7, Optional.empty(), Optional.empty());
        assertTrue(longest.alarmPeriodSeconds() * longest.alarmEvaluationPeriods() <= 7 * 86400, "CloudWatch evaluates at most 7 days");
    }

    @Test
    void everyBackupFieldIsValidatedWithOneLineEach() {
        InvalidClusterArgsException e = assertThrows(InvalidClusterArgsException.class, () -> valid()
                .backups(BackupArgs.builder().schedule("rate(7 days)").retentionDays(36).bucket("My_Bucket")
                        .kmsKeyArn("alias/redis-backups").build())
                .restoreFrom("https://example.com/backup").build().validate("tc"));
        List<String> p = e.problems();
        assertEquals(5, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("backups.schedule=rate(7 days) is not valid: the interval must be 30 minutes..3 days"), p.get(0));
        assertTrue(p.get(1).startsWith("backups.retentionDays=36 is not valid: 1..35"), p.get(1));
        assertTrue(p.get(2).startsWith("backups.bucket=My_Bucket is not valid: an S3 bucket name"), p.get(2));
        assertTrue(p.get(3).startsWith("backups.kmsKeyArn=alias/redis-backups is not valid: a KMS key ARN"), p.get(3));
        assertTrue(p.get(4).startsWith("restoreFrom=https://example.com/backup is not valid: the S3 folder of a backup"), p.get(4));
        p.forEach(line -> assertFalse(line.contains("\n"), line));
        assertThrows(InvalidClusterArgsException.class, () -> valid().backups(BackupArgs.builder().retentionDays(0).build()).build().validate("tc"));
        assertThrows(InvalidClusterArgsException.class, () -> valid().backups(BackupArgs.builder().schedule("cron(0 3 * * *)").build()).build().validate("tc"));
        assertThrows(InvalidClusterArgsException.class, () -> valid().restoreFrom("s3://b/p\"; rm -rf /").build().validate("tc"));
    }

    @Test
    void defaultsAreADailyBackupKeptSevenDaysInACreatedBucketAndKey() {
        BackupPlan plan = valid().backups(BackupArgs.builder().build()).build().validate("tc").backups().orElseThrow();
        assertEquals(new BackupPlan("rate(1 day)", 1440, 7, Optional.empty(), Optional.empty()), plan);
        assertEquals(Optional.empty(), valid().build().validate("tc").backups());
    }

    @Test
    void restoreFromIsReadOnlyForANewCluster() {
        ClusterSettings fresh = valid().restoreFrom("s3://old-backups/prod/20261207T031725Z/").build().validate("tc");
        assertEquals("s3://old-backups/prod/20261207T031725Z", fresh.restoreAtCreation().orElseThrow().uri());
        assertEquals("arn:aws:s3:::old-backups/prod/20261207T031725Z/*", fresh.restoreAtCreation().orElseThrow().objectsArn());
        String previous = fresh.plan().withZoneNames(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c")).toJson();
        ClusterSettings running = valid().zones("eu-west-1a", "eu-west-1b", "eu-west-1c").previousPlan(previous)
                .restoreFrom("s3://old-backups/prod/20261207T031725Z").build().validate("tc");
        assertEquals(Optional.empty(), running.restoreAtCreation());
    }

    @Test
    void theNodesWriteUnderTheClusterPrefixOnlyAndNeverDelete() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Policies.backupWrite("rhb-tc-1", "tc/", "arn:aws:kms:eu-west-1:123456789012:key/k-1"));
        List<String> allowed = new ArrayList<>();
        for (JsonNode s : policy.path("Statement")) {
            List<String> actions = new ArrayList<>();
            (s.path("Action").isArray() ? s.path("Action") : new ObjectMapper().createArrayNode().add(s.path("Action"))).forEach(a -> actions.add(a.asText()));
            if (s.path("Effect").asText().equals("Allow")) {
                allowed.addAll(actions);
                String resource = s.path("Resource").asText();
                assertTrue(resource.equals("arn:aws:s3:::rhb-tc-1/tc/*") || resource.equals("arn:aws:kms:eu-west-1:123456789012:key/k-1"), resource);
            } else {
                assertTrue(actions.containsAll(List.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration")), actions.toString());
            }
        }
        assertEquals(List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "kms:GenerateDataKey", "kms:Decrypt"), allowed);
        assertThrows(IllegalArgumentException.class, () -> Policies.backupWrite("b", "", "k"));
    }

    @Test
    void theBackupDocumentRunsTheJarTheWayConvergeDoes() throws Exception {
        JsonNode backup = new ObjectMapper().readTree(BackupDocument.content(false));
        JsonNode converge = new ObjectMapper().readTree(ConvergeDocument.content(900, false, true));
        List<String> b = new ArrayList<>();
        backup.at("/mainSteps/0/inputs/runCommand").forEach(c -> b.add(c.asText()));
        List<String> c = new ArrayList<>();
        converge.at("/mainSteps/0/inputs/runCommand").forEach(x -> c.add(x.asText()));
        assertEquals(NodeDocument.region(), b.subList(0, NodeDocument.region().size()));
        assertEquals(NodeDocument.region(), c.subList(0, NodeDocument.region().size()));
        assertTrue(java.util.Collections.indexOfSubList(b, NodeDocument.fetchJar()) > 0, b.toString());
        assertTrue(java.util.Collections.indexOfSubList(c, NodeDocument.fetchJar()) > 0, c.toString());
        String run = b.get(b.size() - 1);
        assertTrue(run.startsWith("java -jar /opt/redis-ha/redis-ha.jar backup $LOCAL_IP:6379 --to \"{{ destination }}\""), run);
        assertTrue(run.contains("--publish RedisHA") && run.contains("--password-ssm \"{{ passwordParameter }}\""), run);
        assertTrue(c.stream().anyMatch(x -> x.startsWith("java -jar /opt/redis-ha/redis-ha.jar restore \"{{ restoreFrom }}\" --into $LOCAL_IP:6379")), c.toString());
        int convergeAt = c.indexOf(c.stream().filter(x -> x.contains(" converge ")).findFirst().orElseThrow());
        int restoreAt = c.indexOf(c.stream().filter(x -> x.contains(" restore ")).findFirst().orElseThrow());
        assertTrue(convergeAt < restoreAt, "restore after converge");
        assertTrue(converge.path("parameters").has("restoreFrom"));
        assertFalse(new ObjectMapper().readTree(ConvergeDocument.content(900, false)).path("parameters").has("restoreFrom"));
    }
}
