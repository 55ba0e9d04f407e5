package io.redisha.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.aws.s3.BucketVersioningV2Args;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.aws.ssm.Association;
import com.pulumi.aws.ssm.AssociationArgs;
import com.pulumi.aws.ssm.Document;
import com.pulumi.aws.ssm.DocumentArgs;
import com.pulumi.aws.ssm.inputs.AssociationTargetArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.components.node.BackupDocument;
import io.redisha.topology.PlannedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scheduled backups ({@link BackupPlan}): where they go ({@link #storage}: the bucket and KMS key, given or
 * created with versioning, SSE-KMS, public access blocked and a lifecycle rule of the retention) and
 * when they run ({@link #schedule}: an SSM association with the schedule expression running
 * {@link BackupDocument} on node-0-0, and the backup-age alarm). The nodes' write-only access is
 * {@link NodeRole}'s. A created bucket, its settings and the key are kept when the stack is destroyed
 * or {@code backups} is removed ({@code retainOnDelete}): backups outlive the cluster they came from, and
 * still expire by the lifecycle rule.
 */
final class ClusterBackups {
    /**
     * @param bucketName the bucket the backups are written to
     * @param keyArn     the KMS key they are encrypted with
     * @param prefix     the cluster's key prefix ({@code <name>/})
     * @param ready      the bucket's settings, declared before the first backup runs
     */
    record Storage(Output<String> bucketName, Output<String> keyArn, String prefix, List<Resource> ready) {
        /** {@code s3://bucket/<name>/}: the {@code --to} of {@code redis-ha backup}. */
        Output<String> destination() {
            return bucketName.applyValue(b -> "s3://" + b + "/" + prefix);
        }
    }

    record Declared(Document document, Association schedule, MetricAlarm alarm) {
    }

    private ClusterBackups() {
    }

    /** The bucket and key of the backups, when {@code backups} is set. */
    static Optional<Storage> storage(Resource parent, String name, ClusterSettings settings, Map<String, String> baseTags) {
        if (settings.backups().isEmpty()) {
            return Optional.empty();
        }
        BackupPlan plan = settings.backups().get();
        String prefix = BackupPlan.prefix(name);
        CustomResourceOptions kept = CustomResourceOptions.builder().parent(parent).retainOnDelete(true).build();
        Output<String> keyArn;
        if (plan.kmsKeyArn().isPresent()) {
            keyArn = Output.of(plan.kmsKeyArn().get());
        } else {
            Key key = new Key(name + "-backups-key", KeyArgs.builder()
                    .description("redis-ha " + name + " backups")
                    .enableKeyRotation(true)
                    .deletionWindowInDays(30)
                    .tags(baseTags)
                    .build(), kept);
            keyArn = key.arn();
        }
        List<Resource> ready = new ArrayList<>();
        Output<String> bucketName;
        if (plan.bucket().isPresent()) {
            // an existing bucket's versioning, encryption, lifecycle and access are its owner's (a lifecycle
            // configuration resource would replace every rule of the bucket): see docs/backups.md
            bucketName = Output.of(plan.bucket().get());
        } else {
            BucketV2 bucket = new BucketV2(name + "-backups", BucketV2Args.builder()
                    .bucketPrefix("rhb-" + name + "-")
                    .forceDestroy(false)
                    .tags(baseTags)
                    .build(), kept);
            ready.add(new BucketVersioningV2(name + "-backups-versioning", BucketVersioningV2Args.builder()
                    .bucket(bucket.id())
                    .versioningConfiguration(BucketVersioningV2VersioningConfigurationArgs.builder().status("Enabled").build())
                    .build(), kept));
            ready.add(new BucketServerSideEncryptionConfigurationV2(name + "-backups-sse",
                    BucketServerSideEncryptionConfigurationV2Args.builder()
                            .bucket(bucket.id())
                            .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                    .applyServerSideEncryptionByDefault(
                                            BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder()
                                                    .sseAlgorithm("aws:kms").kmsMasterKeyId(keyArn).build())
                                    .bucketKeyEnabled(true)
                                    .build())
                            .build(), kept));
            ready.add(new BucketPublicAccessBlock(name + "-backups-public-access", BucketPublicAccessBlockArgs.builder()
                    .bucket(bucket.id())
                    .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                    .build(), kept));
            ready.add(new BucketLifecycleConfigurationV2(name + "-backups-lifecycle", BucketLifecycleConfigurationV2Args.builder()
                    .bucket(bucket.id())
                    .rules(BucketLifecycleConfigurationV2RuleArgs.builder()
                            .id("expire-after-" + plan.retentionDays() + "-days")
                            .status("Enabled")
                            .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(prefix).build())
                            .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder().days(plan.retentionDays()).build())
                            .noncurrentVersionExpiration(BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                                    .noncurrentDays(plan.retentionDays()).build())
                            // the nodes may not delete: an upload cut short is removed by S3 after a day
                            .abortIncompleteMultipartUpload(BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs.builder()
                                    .daysAfterInitiation(1).build())
                            .build())
                    // S3 wants versioning before a noncurrent-version rule
                    .build(), CustomResourceOptions.builder().parent(parent).retainOnDelete(true).dependsOn(ready.get(0)).build()));
            bucketName = bucket.bucket();
        }
        return Optional.of(new Storage(bucketName, keyArn, prefix, List.copyOf(ready)));
    }

    /**
     * The schedule: the backup document and its association on node-0-0 (after converge formed the
     * cluster and the node may write), and the alarm on the age of the last good backup.
     *
     * @param after what the first backup waits for: the converge association and the node's backup access
     */
    static Declared schedule(Resource parent, String name, RedisClusterArgs args, ClusterSettings settings, Storage storage,
                             ClusterNodes.Declared nodes, ClusterSecrets.Declared secrets, BootstrapArtifact.Declared artifact,
                             List<Resource> after, Map<String, String> baseTags) {
        BackupPlan plan = settings.backups().orElseThrow();
        Document document = new Document(name + "-backup-document", DocumentArgs.builder()
                .documentType("Command")
                .documentFormat("JSON")
                .content(BackupDocument.content(settings.redis().tls()))
                .tags(baseTags)
                .build(), Children.of(parent));
        List<Resource> deps = new ArrayList<>(after);
        deps.addAll(storage.ready());
        Output<String> seedId = nodes.planned().get(PlannedNode.nameOf(0, 0)).id();
        Association association = new Association(name + "-backup-schedule", AssociationArgs.builder()
                .name(document.name())
                .associationName(name + "-backup")
                .scheduleExpression(plan.schedule())
                .targets(seedId.applyValue(id -> List.of(AssociationTargetArgs.builder().key("InstanceIds").values(id).build())))
                .parameters(Output.tuple(storage.destination(), storage.keyArn(), secrets.auth().name(), artifact.bucketName())
                        .applyValue(t -> Map.of(
                                "destination", t.t1,
                                "kmsKey", t.t2,
                                "clusterName", name,
                                "passwordParameter", t.t3,
                                "jarBucket", t.t4,
                                "jarKey", artifact.jarKey())))
                .maxErrors("0")
                .build(), Children.of(parent, deps));
        MetricAlarm alarm = ClusterAlarms.backupAge(parent, name, plan, args.alarmTopicArn, baseTags);
        return new Declared(document, association, alarm);
    }
}
