package io.redisha.components.node;

import java.util.List;

/**
 * The SSM Command document the backup schedule runs on node-0-0 ({@link NodeDocument}: region, jar):
 * {@code redis-ha backup} of the cluster (seeded by this node; each shard is read from a replica)
 * to {@code s3://<bucket>/<cluster>/} with SSE-KMS, then {@code --publish} puts BackupSucceeded and
 * its figures to CloudWatch for the backup-age alarm.
 */
public final class BackupDocument {
    /** A scheduled backup of a large cluster may stream for a while; the run stops after this. */
    public static final int TIMEOUT_SECONDS = 3 * 3600;

    private BackupDocument() {
    }

    /** Document content; with {@code tls} the backup connects over TLS ({@link ConvergeDocument#TLS_OPTIONS}). */
    public static String content(boolean tls) {
        List<NodeDocument.Parameter> parameters = List.of(
                new NodeDocument.Parameter("destination", "s3://bucket/<cluster>/ the backups are written under"),
                new NodeDocument.Parameter("kmsKey", "ARN of the KMS key the backup objects are encrypted with"),
                new NodeDocument.Parameter("clusterName", "The cluster's name: the manifest's cluster id and the metrics' ClusterName"),
                NodeDocument.PASSWORD, NodeDocument.JAR_BUCKET, NodeDocument.JAR_KEY);
        List<String> commands = List.of(
                NodeDocument.LOCAL_IP,
                NodeDocument.jar("backup " + NodeDocument.LOCAL_IP_VARIABLE + ":" + NodeRedisConf.CLIENT_PORT
                        + " --to \"{{ destination }}\" --kms-key \"{{ kmsKey }}\" --cluster-id \"{{ clusterName }}\""
                        + " --publish " + MetricsTimer.NAMESPACE + " --password-ssm \"{{ passwordParameter }}\""
                        + (tls ? " " + ConvergeDocument.TLS_OPTIONS : "")));
        return NodeDocument.content("redis-ha: back up every shard of the cluster to S3 and publish BackupSucceeded",
                parameters, "backup", TIMEOUT_SECONDS, commands);
    }
}
