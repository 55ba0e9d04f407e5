package io.redisha.components;

import com.pulumi.asset.FileAsset;
import com.pulumi.aws.s3.BucketObjectv2;
import com.pulumi.aws.s3.BucketObjectv2Args;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The engine jar (redis-ha.jar) the nodes run, in the given bucket or a private, encrypted one of the cluster's. */
final class BootstrapArtifact {
    /** @param jar the object; {@code jarKey} its key in {@code bucketName} */
    record Declared(Output<String> bucketName, String jarKey, BucketObjectv2 jar) {
        /** The object's ARN, for the node role's policy. */
        Output<String> jarArn() {
            return bucketName.applyValue(bucket -> "arn:aws:s3:::" + bucket + "/" + jarKey);
        }
    }

    private BootstrapArtifact() {
    }

    static Declared declare(Resource parent, String name, RedisClusterArgs args, Map<String, String> baseTags) {
        Output<String> bucketName;
        List<Resource> bucketReady = new ArrayList<>();
        if (args.bootstrapBucket.isPresent()) {
            bucketName = args.bootstrapBucket.get();
        } else {
            BucketV2 bucket = new BucketV2(name + "-bootstrap", BucketV2Args.builder()
                    .bucketPrefix("rha-" + name + "-")
                    .forceDestroy(true)
                    .tags(baseTags)
                    .build(), Children.of(parent));
            bucketReady.add(new BucketPublicAccessBlock(name + "-bootstrap-public-access", BucketPublicAccessBlockArgs.builder()
                    .bucket(bucket.id())
                    .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                    .build(), Children.of(parent)));
            bucketReady.add(new BucketServerSideEncryptionConfigurationV2(name + "-bootstrap-sse",
                    BucketServerSideEncryptionConfigurationV2Args.builder()
                            .bucket(bucket.id())
                            .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                    .applyServerSideEncryptionByDefault(
                                            BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder()
                                                    .sseAlgorithm("AES256").build())
                                    .build())
                            .build(), Children.of(parent)));
            bucketName = bucket.bucket();
        }
        String jarKey = "redis-ha/" + name + "/redis-ha.jar";
        BucketObjectv2 jar = new BucketObjectv2(name + "-bootstrap-jar", BucketObjectv2Args.builder()
                .bucket(bucketName)
                .key(jarKey)
                .source(new FileAsset(args.bootstrapJarPath))
                .serverSideEncryption("AES256")
                .tags(baseTags)
                .build(), Children.of(parent, bucketReady));
        return new Declared(bucketName, jarKey, jar);
    }
}
