package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.Jar;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The CLI jar backs a cluster up to {@code s3://} on the AWS endpoint (moto or LocalStack, never
 * AWS) with SSE-KMS and a multipart upload for the shard above one part, and restores from it;
 * an object missing from the bucket is refused before the target is touched.
 */
class BackupS3AwsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AwsEndpoint endpoint;

    @BeforeAll
    static void start() {
        endpoint = AwsEndpoint.startOrFail();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void backupToS3WithKmsAndMultipartRestoresFromIt() throws Exception {
        String bucket = "redis-ha-backups-" + UUID.randomUUID().toString().substring(0, 8);
        String kmsKey;
        try (var kms = endpoint.kms()) {
            kmsKey = kms.createKey(r -> r.description("redis-ha backup test")).keyMetadata().keyId();
        }
        try (S3Client s3 = endpoint.s3(); RedisNodes source = RedisNodes.nodes(6).start(); RedisNodes target = RedisNodes.nodes(3).start()) {
            s3.createBucket(r -> r.bucket(bucket));
            form(source, 1);
            form(target, 0);
            load(source.addresses());

            Jar.Result backed = Jar.run(endpoint.childEnvironment(), "backup", source.address(0).toString(),
                    "--to", "s3://" + bucket + "/clusters/test", "--kms-key", kmsKey, "--cluster-id", "s3-test-" + bucket,
                    "--publish", "RedisHABackupTest", "--json");
            assertEquals(0, backed.exit(), backed.both());
            JsonNode answer = JSON.readTree(backed.out());
            String location = answer.get("location").asText();
            String prefix = location.substring(("s3://" + bucket + "/").length());
            List<S3Object> objects = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix + "/")).contents();
            assertEquals(Set.of("manifest.json", "shard-0.rdb", "shard-1.rdb", "shard-2.rdb"),
                    new HashSet<>(objects.stream().map(o -> o.key().substring(prefix.length() + 1)).toList()));
            boolean multipart = false;
            for (S3Object o : objects) {
                HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(o.key()));
                assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption(), o.key());
                assertTrue(head.ssekmsKeyId().contains(kmsKey), o.key() + " encrypted with " + head.ssekmsKeyId());
                multipart |= head.eTag().matches("\"?[0-9a-f]+-\\d+\"?");
            }
            assertTrue(multipart, "the shard holding 20 MB went up in parts");
            assertEquals(Set.of("BackupBytes", "BackupKeys", "BackupSeconds", "BackupSucceeded"), publishedMetrics("s3-test-" + bucket));

            Jar.Result restored = Jar.run(endpoint.childEnvironment(), "restore", location, "--into", target.address(0).toString(),
                    "--digest-values", "--json");
            assertEquals(0, restored.exit(), restored.both());
            JsonNode result = JSON.readTree(restored.out());
            assertEquals(result.get("manifestKeys").asLong(), result.get("keysRestored").asLong());
            assertEquals("KEYS_VALUES_EXPIRIES", result.get("compared").asText());
            assertEquals(2_020, keys(target));

            // An object gone from the bucket: refused, and the (emptied) target stays empty.
            target.addresses().forEach(a -> {
                try (Jedis j = target.jedis(a)) {
                    j.flushAll();
                }
            });
            s3.deleteObject(r -> r.bucket(bucket).key(prefix + "/shard-1.rdb"));
            Jar.Result missing = Jar.run(endpoint.childEnvironment(), "restore", location, "--into", target.address(0).toString());
            assertEquals(1, missing.exit(), missing.both());
            assertTrue(missing.err().contains(location + "/shard-1.rdb does not exist") && missing.err().contains("nothing was touched"),
                    missing.err());
            assertEquals(0, keys(target));
        }
    }

    /** The metric names CloudWatch lists under the test namespace for this cluster id. */
    private static Set<String> publishedMetrics(String clusterId) {
        Map<String, String> env = endpoint.childEnvironment();
        try (var cloudWatch = new io.redisha.aws.CloudWatchMetrics(java.net.URI.create(env.get("AWS_ENDPOINT_URL")), env.get("AWS_REGION"),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))) {
            var request = JSON.createObjectNode().put("Namespace", "RedisHABackupTest");
            request.putArray("Dimensions").addObject().put("Name", "ClusterName").put("Value", clusterId);
            Set<String> names = new java.util.TreeSet<>();
            cloudWatch.call("ListMetrics", request).path("Metrics").forEach(m -> names.add(m.get("MetricName").asText()));
            return names;
        }
    }

    private static void form(RedisNodes nodes, int replicas) {
        new ClusterEngine().converge(Resharding.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), replicas,
                replicas == 0 ? ZoneLoss.ACCEPT_RISK : ZoneLoss.MUST_SURVIVE, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
    }

    /** 2,000 small keys over every shard and 20 incompressible 1 MB values on one slot (one shard above a 16 MiB part). */
    private static void load(List<NodeAddress> seeds) {
        Set<HostAndPort> nodes = new HashSet<>();
        seeds.forEach(a -> nodes.add(new HostAndPort(a.host(), a.port())));
        SecureRandom random = new SecureRandom();
        try (RedisClusterClient client = RedisClusterClient.builder().nodes(nodes).clientConfig(DefaultJedisClientConfig.builder().build()).build();
             ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
            for (int i = 0; i < 2_000; i++) {
                p.set("k:" + i, "v" + i);
            }
            for (int i = 0; i < 20; i++) {
                byte[] value = new byte[750_000];
                random.nextBytes(value);
                p.set("{big}:" + i, Base64.getEncoder().encodeToString(value));
            }
            p.sync();
        }
    }

    private static long keys(RedisNodes nodes) {
        long total = 0;
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = nodes.jedis(a)) {
                total += j.dbSize();
            }
        }
        return total;
    }
}
