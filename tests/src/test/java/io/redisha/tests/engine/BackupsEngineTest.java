package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups under the real engine (Pulumi CLI, YAML program, component provider, AWS provider double):
 * the prod stack's config (daily, 7 days) deploys the backup bucket with its versioning, SSE-KMS,
 * public access block and lifecycle, the key, the schedule association on node-0-0, the node's
 * write-only policy and the backup-age alarm, as the engine's state records them; and restoreFrom
 * reaches converge on a new cluster only. What AWS would do with them is not shown here (the double
 * stores what it is given).
 */
class BackupsEngineTest {
    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineProdDeclaresTheBackupBucketScheduleWriteOnlyAccessAndAlarm() throws IOException {
        ClusterProgram program = ClusterProgram.fromStackConfig("prod");
        try (EngineProject project = program.start()) {
            project.up();
            JsonNode resources = EngineProject.JSON.readTree(project.ok("stack", "export").out()).path("deployment").path("resources");

            JsonNode bucket = one(resources, "aws:s3/bucketV2:BucketV2", "prod-backups");
            String bucketName = bucket.path("outputs").path("bucket").asText();
            assertTrue(bucketName.startsWith("rhb-prod-"), bucketName);
            assertTrue(bucket.path("retainOnDelete").asBoolean(), "the backup bucket outlives the stack: " + bucket);
            JsonNode key = one(resources, "aws:kms/key:Key", "prod-backups-key");
            String keyArn = key.path("outputs").path("arn").asText();
            assertTrue(keyArn.startsWith("arn:aws:kms:us-east-1:123456789012:key/"), keyArn);
            assertTrue(key.path("inputs").path("enableKeyRotation").asBoolean());
            assertTrue(key.path("retainOnDelete").asBoolean(), "the key that decrypts the backups outlives the stack");

            JsonNode versioning = one(resources, "aws:s3/bucketVersioningV2:BucketVersioningV2", "prod-backups-versioning").path("inputs");
            assertEquals(bucketName, versioning.path("bucket").asText());
            assertEquals("Enabled", versioning.at("/versioningConfiguration/status").asText());
            JsonNode sse = one(resources, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                    "prod-backups-sse").path("inputs");
            assertEquals(bucketName, sse.path("bucket").asText());
            assertEquals("aws:kms", sse.at("/rules/0/applyServerSideEncryptionByDefault/sseAlgorithm").asText());
            assertEquals(keyArn, sse.at("/rules/0/applyServerSideEncryptionByDefault/kmsMasterKeyId").asText());
            JsonNode pab = one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "prod-backups-public-access").path("inputs");
            for (String flag : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
                assertTrue(pab.path(flag).asBoolean(), flag);
            }
            JsonNode lifecycle = one(resources, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "prod-backups-lifecycle").path("inputs");
            assertEquals(bucketName, lifecycle.path("bucket").asText());
            assertEquals(7, lifecycle.at("/rules/0/expiration/days").asInt());
            assertEquals(7, lifecycle.at("/rules/0/noncurrentVersionExpiration/noncurrentDays").asInt());
            assertEquals("prod/", lifecycle.at("/rules/0/filter/prefix").asText());

            // the schedule runs the backup document on node-0-0, to the cluster's prefix with the backup key
            JsonNode schedule = one(resources, "aws:ssm/association:Association", "prod-backup-schedule").path("inputs");
            assertEquals("rate(1 day)", schedule.path("scheduleExpression").asText());
            String nodeZero = one(resources, "aws:ec2/instance:Instance", "prod-node-0-0").path("id").asText();
            assertEquals(nodeZero, schedule.at("/targets/0/values/0").asText());
            assertEquals("s3://" + bucketName + "/prod/", schedule.at("/parameters/destination").asText());
            assertEquals(keyArn, schedule.at("/parameters/kmsKey").asText());
            JsonNode document = one(resources, "aws:ssm/document:Document", "prod-backup-document");
            assertEquals(document.path("outputs").path("name").asText(), schedule.path("name").asText());
            assertTrue(document.path("inputs").path("content").asText().contains("redis-ha.jar backup $LOCAL_IP:6379"), document.toString());

            // the node role: PutObject and the multipart calls under prod/ only, this key only, every delete denied
            JsonNode policy = EngineProject.JSON.readTree(one(resources, "aws:iam/rolePolicy:RolePolicy", "prod-node-backups").at("/inputs/policy").asText());
            List<String> allowed = new ArrayList<>();
            for (JsonNode s : policy.path("Statement")) {
                List<String> actions = new ArrayList<>();
                (s.path("Action").isArray() ? s.path("Action") : EngineProject.JSON.createArrayNode().add(s.path("Action"))).forEach(a -> actions.add(a.asText()));
                if (s.path("Effect").asText().equals("Allow")) {
                    allowed.addAll(actions);
                    String resource = s.path("Resource").asText();
                    assertTrue(resource.equals("arn:aws:s3:::" + bucketName + "/prod/*") || resource.equals(keyArn), resource);
                } else {
                    assertTrue(actions.contains("s3:DeleteObject") && actions.contains("s3:DeleteObjectVersion"), actions.toString());
                }
            }
            assertTrue(allowed.contains("s3:PutObject") && allowed.stream().noneMatch(a -> a.contains("Delete") || a.endsWith("*")), allowed.toString());

            // the alarm: no BackupSucceeded for two days (twice the daily schedule), missing data breaching
            JsonNode alarm = one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "prod-alarm-backup-age").path("inputs");
            assertEquals("BackupSucceeded", alarm.path("metricName").asText());
            assertEquals("RedisHA", alarm.path("namespace").asText());
            assertEquals("prod", alarm.at("/dimensions/ClusterName").asText());
            assertEquals("breaching", alarm.path("treatMissingData").asText());
            assertEquals("LessThanThreshold", alarm.path("comparisonOperator").asText());
            assertEquals(2 * 86400, alarm.path("period").asInt() * alarm.path("evaluationPeriods").asInt());

            // nothing was replaced or deleted, and a second up changes nothing
            List<String> changing = changing(project.takeCalls());
            assertEquals(List.of(), changing);
            project.ok("up", "--yes", "--expect-no-changes");
        }
    }

    @Test
    void engineRestoreFromReachesConvergeOnANewClusterOnly() throws IOException {
        String backup = "s3://old-backups/dev/20261207T031725Z";
        ClusterProgram program = ClusterProgram.fromStackConfig("dev").set("restoreFrom", backup);
        try (EngineProject project = program.start()) {
            project.up();
            JsonNode resources = EngineProject.JSON.readTree(project.ok("stack", "export").out()).path("deployment").path("resources");
            JsonNode converge = one(resources, "aws:ssm/association:Association", "dev-converge-association").path("inputs");
            assertEquals(backup, converge.at("/parameters/restoreFrom").asText());
            String content = one(resources, "aws:ssm/document:Document", "dev-converge").at("/inputs/content").asText();
            assertTrue(content.indexOf(" converge --plan-ssm") < content.indexOf(" restore \\\"{{ restoreFrom }}\\\""), content);
            String read = one(resources, "aws:iam/rolePolicy:RolePolicy", "dev-node-restore").at("/inputs/policy").asText();
            assertTrue(read.contains("arn:aws:s3:::old-backups/dev/20261207T031725Z/*"), read);
            project.takeCalls();

            // the cluster runs: the same restoreFrom (or any other) is ignored with a warning; no node, no data touched
            JsonNode deployed = project.outputs();
            project.writeProgram(ClusterProgram.fromStackConfig("dev").set("restoreFrom", "s3://other/dev/20261208T000000Z")
                    .withLastDeployment(deployed).yaml());
            EngineProject.Run run = project.ok("preview", "--json", "--diff");
            String text = run.out() + run.err();
            assertTrue(text.contains("restoreFrom=s3://other/dev/20261208T000000Z is ignored: the cluster exists"), run.both());
            Preview preview = new Preview(EngineProject.JSON.readTree(run.out()));
            for (String op : List.of("replace", "delete", "create-replacement", "delete-replaced")) {
                assertTrue(preview.resources(op).stream().noneMatch(r -> r.startsWith("aws:ec2/instance:Instance")), preview.changes());
            }
            assertFalse(preview.resources("create").stream().anyMatch(r -> r.contains("restore")), preview.changes());

            // a backups value the component refuses: one line naming the field, its value and what is valid; nothing planned
            project.writeProgram(ClusterProgram.fromStackConfig("dev").withLastDeployment(deployed)
                    .set("backups", java.util.Map.of("schedule", "rate(7 days)", "retentionDays", 36)).yaml());
            EngineProject.Run refused = project.run("preview", "--json", "--diff");
            assertTrue(refused.exit() != 0, refused.both());
            String said = refused.out() + refused.err();
            assertTrue(said.contains("backups.schedule=rate(7 days) is not valid: the interval must be 30 minutes..3 days"), refused.both());
            assertTrue(said.contains("backups.retentionDays=36 is not valid: 1..35"), refused.both());
            assertEquals(List.of(), changing(project.takeCalls()), "a refused preview touches nothing");
        }
    }

    /** The resource of {@code type} named {@code name} (the last URN segment) in a stack export. */
    static JsonNode one(JsonNode resources, String type, String name) {
        for (JsonNode r : resources) {
            if (r.path("type").asText().equals(type) && r.path("urn").asText().endsWith("::" + name)) {
                return r;
            }
        }
        throw new AssertionError("no " + type + " " + name + " in the state");
    }

    /** Calls of the double that replaced or deleted something. */
    static List<String> changing(List<JsonNode> calls) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : calls) {
            if (c.path("op").asText().equals("delete") || c.path("replaces").size() > 0) {
                out.add(c.toString());
            }
        }
        return out;
    }
}
