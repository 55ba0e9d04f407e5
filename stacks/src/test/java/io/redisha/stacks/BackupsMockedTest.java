package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.components.node.BackupDocument;
import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backups of the Java stack under mocks: prod's daily backups kept 7 days (bucket settings, key, schedule,
 * write-only node access, the backup-age alarm), dev without any, restoreFrom on a new cluster, and a
 * refused backups config that declares nothing.
 */
class BackupsMockedTest {
    static final String ASSOCIATION = "aws:ssm/association:Association";
    static final String POLICY = "aws:iam/rolePolicy:RolePolicy";

    private static DeclaredResource one(MockedDeployment.Result r, String type, String name) {
        return r.resources(type).stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + name + " in " + r.resources(type).stream().map(DeclaredResource::name).toList()));
    }

    @Test
    void prodBacksUpDailyIntoAVersionedEncryptedPrivateBucketKeptSevenDays() throws Exception {
        MockedDeployment.Result r = Stacks.run("prod", Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));

        DeclaredResource bucket = one(r, "aws:s3/bucketV2:BucketV2", "prod-backups");
        assertEquals("rhb-prod-", bucket.string("bucketPrefix"));
        assertFalse(Boolean.TRUE.equals(bucket.input("forceDestroy").orElse(false)), "backups are never force-destroyed");
        assertTrue(bucket.urn().contains("redis-ha:index:RedisCluster$aws:s3/bucketV2:BucketV2"), bucket.urn());
        String bucketName = "rhb-prod-mock";
        DeclaredResource key = one(r, "aws:kms/key:Key", "prod-backups-key");
        assertEquals("true", key.string("enableKeyRotation"));
        String keyArn = "arn:aws:kms:us-east-1:" + MockedDeployment.ACCOUNT + ":prod-backups-key";

        DeclaredResource versioning = one(r, "aws:s3/bucketVersioningV2:BucketVersioningV2", "prod-backups-versioning");
        assertEquals(bucketName, versioning.string("bucket"));
        assertEquals("Enabled", versioning.string("versioningConfiguration.status"));
        DeclaredResource sse = one(r, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "prod-backups-sse");
        assertEquals(bucketName, sse.string("bucket"));
        assertEquals("aws:kms", sse.string("rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"));
        assertEquals(keyArn, sse.string("rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"));
        DeclaredResource pab = one(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "prod-backups-public-access");
        for (String flag : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
            assertEquals("true", pab.string(flag), flag);
        }
        DeclaredResource lifecycle = one(r, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "prod-backups-lifecycle");
        assertEquals("Enabled", lifecycle.string("rules.0.status"));
        assertEquals("prod/", lifecycle.string("rules.0.filter.prefix"));
        assertEquals(7.0, ((Number) lifecycle.input("rules.0.expiration.days").orElseThrow()).doubleValue());
        assertEquals(7.0, ((Number) lifecycle.input("rules.0.noncurrentVersionExpiration.noncurrentDays").orElseThrow()).doubleValue());

        // the schedule: the backup document on node-0-0, daily, to s3://bucket/prod/ with the backup key
        DeclaredResource schedule = one(r, ASSOCIATION, "prod-backup-schedule");
        assertEquals("rate(1 day)", schedule.string("scheduleExpression"));
        assertFalse(schedule.string("name").isEmpty(), "the association runs the backup document");
        assertEquals("s3://" + bucketName + "/prod/", schedule.string("parameters.destination"));
        assertEquals(keyArn, schedule.string("parameters.kmsKey"));
        assertEquals("prod", schedule.string("parameters.clusterName"));
        assertEquals("/redis-ha/prod/auth", schedule.string("parameters.passwordParameter"));
        String nodeZero = one(r, "aws:ec2/instance:Instance", "prod-node-0-0").name();
        assertEquals("InstanceIds", schedule.string("targets.0.key"));
        assertFalse(schedule.string("targets.0.values.0").isEmpty(), nodeZero);
        assertEquals(BackupDocument.content(true), one(r, "aws:ssm/document:Document", "prod-backup-document").string("content"),
                "prod runs TLS: the backup connects over TLS");

        // the nodes: write under prod/ only, with this key only; an explicit deny of deletes; no Allow of a delete anywhere
        JsonNode policy = new ObjectMapper().readTree(one(r, POLICY, "prod-node-backups").string("policy"));
        for (JsonNode s : policy.path("Statement")) {
            List<String> actions = actions(s);
            if (s.path("Effect").asText().equals("Allow")) {
                assertTrue(actions.stream().noneMatch(a -> a.contains("Delete") || a.equals("s3:*") || a.contains("PutLifecycle")), actions.toString());
                String resource = s.path("Resource").asText();
                assertTrue(resource.equals("arn:aws:s3:::" + bucketName + "/prod/*") || resource.equals(keyArn), resource);
            } else {
                assertTrue(actions.containsAll(List.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration")), actions.toString());
            }
        }
        for (DeclaredResource p : r.resources(POLICY)) {
            for (JsonNode s : new ObjectMapper().readTree(p.string("policy")).path("Statement")) {
                if (s.path("Effect").asText().equals("Allow")) {
                    assertTrue(actions(s).stream().noneMatch(a -> a.startsWith("s3:Delete")), p.name() + ": " + s);
                }
            }
        }

        // the alarm on the age of the last good backup: no success for two days, missing data breaching
        DeclaredResource alarm = one(r, MonitoringMockedTest.ALARM, "prod-alarm-backup-age");
        assertEquals("RedisHA", alarm.string("namespace"));
        assertEquals("BackupSucceeded", alarm.string("metricName"));
        assertEquals("prod", alarm.string("dimensions.ClusterName"));
        assertEquals("Sum", alarm.string("statistic"));
        assertEquals("LessThanThreshold", alarm.string("comparisonOperator"));
        assertEquals(1.0, ((Number) alarm.input("threshold").orElseThrow()).doubleValue());
        assertEquals("breaching", alarm.string("treatMissingData"));
        double period = ((Number) alarm.input("period").orElseThrow()).doubleValue();
        double periods = ((Number) alarm.input("evaluationPeriods").orElseThrow()).doubleValue();
        assertEquals(2 * 86400.0, period * periods, "twice the daily schedule");
        assertEquals(periods, ((Number) alarm.input("datapointsToAlarm").orElseThrow()).doubleValue());
    }

    private static List<String> actions(JsonNode statement) {
        List<String> out = new ArrayList<>();
        JsonNode a = statement.path("Action");
        if (a.isArray()) {
            a.forEach(x -> out.add(x.asText()));
        } else {
            out.add(a.asText());
        }
        return out;
    }

    @Test
    void devHasNoBackupsAndTheAlarmGoesToTheTopic() {
        MockedDeployment.Result dev = Stacks.run("dev", Map.of());
        assertTrue(dev.succeeded(), () -> dev.failure().orElse(""));
        assertTrue(dev.resources("aws:s3/bucketV2:BucketV2").stream().noneMatch(b -> b.name().endsWith("-backups")));
        assertTrue(dev.resources(ASSOCIATION).stream().noneMatch(a -> a.name().endsWith("-backup-schedule")));
        assertTrue(dev.resources("aws:kms/key:Key").isEmpty());

        MockedDeployment.Result withTopic = Stacks.run("dev", Map.of("redis-ha:backups", "{\"schedule\":\"cron(30 2 * * ? *)\",\"retentionDays\":3}",
                "redis-ha:alarmTopicArn", MonitoringMockedTest.TOPIC));
        assertTrue(withTopic.succeeded(), () -> withTopic.failure().orElse(""));
        DeclaredResource alarm = one(withTopic, MonitoringMockedTest.ALARM, "dev-alarm-backup-age");
        assertEquals(List.of(MonitoringMockedTest.TOPIC), alarm.input("alarmActions").orElseThrow());
        assertEquals("cron(30 2 * * ? *)", one(withTopic, ASSOCIATION, "dev-backup-schedule").string("scheduleExpression"));
        assertEquals(3.0, ((Number) one(withTopic, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "dev-backups-lifecycle")
                .input("rules.0.expiration.days").orElseThrow()).doubleValue());
    }

    @Test
    void aNewClusterRestoresAfterConvergeAndMayReadOnlyThatBackup() {
        MockedDeployment.Result r = Stacks.run("dev", Map.of("redis-ha:restoreFrom", "s3://old-backups/dev/20261207T031725Z"));
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        DeclaredResource converge = one(r, ASSOCIATION, "dev-converge-association");
        assertEquals("s3://old-backups/dev/20261207T031725Z", converge.string("parameters.restoreFrom"));
        String content = one(r, "aws:ssm/document:Document", "dev-converge").string("content");
        assertTrue(content.contains("redis-ha.jar restore \\\"{{ restoreFrom }}\\\""), content);
        String read = one(r, POLICY, "dev-node-restore").string("policy");
        assertTrue(read.contains("\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::old-backups/dev/20261207T031725Z/*\""), read);
        // without restoreFrom, the converge document and association are what they always were
        MockedDeployment.Result plain = Stacks.run("dev", Map.of());
        assertFalse(one(plain, "aws:ssm/document:Document", "dev-converge").string("content").contains("restore"));
        assertEquals("", one(plain, ASSOCIATION, "dev-converge-association").string("parameters.restoreFrom"));
    }

    @Test
    void aRefusedBackupsConfigDeclaresNothingAndNamesEveryField() {
        MockedDeployment.Result r = Stacks.run("prod", Map.of("redis-ha:backups", "{\"schedule\":\"every day\",\"retentionDays\":0,\"keep\":\"forever\"}"));
        assertFalse(r.succeeded());
        String failure = r.failure().orElseThrow();
        assertTrue(failure.contains("redis-ha:backups.keep is not valid: the fields are schedule, retentionDays, bucket, kmsKeyArn"), failure);
        MockedDeployment.Result values = Stacks.run("prod", Map.of("redis-ha:backups", "{\"schedule\":\"every day\",\"retentionDays\":0}"));
        String refused = values.failure().orElseThrow();
        assertTrue(refused.contains("backups.schedule=every day is not valid: rate(N minutes|hours|days)"), refused);
        assertTrue(refused.contains("backups.retentionDays=0 is not valid: 1..35"), refused);
        assertTrue(values.customResources().isEmpty(), "nothing declared: " + values.customResources().stream().map(DeclaredResource::name).toList());
    }
}
