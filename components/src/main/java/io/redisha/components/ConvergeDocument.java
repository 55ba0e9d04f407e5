package io.redisha.components;

import java.util.ArrayList;
import java.util.List;

/**
 * The SSM Command document that forms (or grows) the cluster from node-0-0: fetch the bootstrap
 * jar from S3, then {@code redis-ha converge} against the placement published in SSM. It is
 * idempotent, so re-running it after a scaling change only adds what the new placement asks for.
 * For a new cluster with {@code restoreFrom}, {@code redis-ha restore} follows converge in the same
 * run, so the deployment reports ready only once the backup is in ({@link #content(int, boolean, boolean)}).
 */
public final class ConvergeDocument {
    public static final String JAR_PATH = "/opt/redis-ha/redis-ha.jar";

    /**
     * The TLS options of {@code redis-ha converge}: the nodes serve TLS only ({@code port 0}), so the
     * engine connects over TLS and trusts the cluster's CA, which user data wrote on every node.
     * The nodes do not ask clients for a certificate ({@code tls-auth-clients optional}).
     */
    public static final String TLS_OPTIONS = "--tls --tls-ca-cert " + RedisConf.TLS_CA_FILE;

    /** Where restore downloads and loads the snapshots: the data volume (the root volume is small). */
    public static final String RESTORE_WORK_DIR = RedisConf.DATA_DIR + "/restore-work";

    static final NodeDocument.Parameter RESTORE_FROM = new NodeDocument.Parameter("restoreFrom",
            "S3 folder of the backup restored into the new cluster after converge");

    private ConvergeDocument() {
    }

    /** Document content, schemaVersion 2.2; parameters are filled by the association. */
    public static String content(int timeoutSeconds) {
        return content(timeoutSeconds, false);
    }

    /** Document content; with {@code tls} converge connects over TLS ({@link #TLS_OPTIONS}). */
    public static String content(int timeoutSeconds, boolean tls) {
        return content(timeoutSeconds, tls, false);
    }

    /**
     * Document content; with {@code restore} a {@code restoreFrom} parameter, and {@code redis-ha restore}
     * of it into the cluster (through this node) after converge: refused, failing the run, when the
     * cluster holds keys or the backup does not verify.
     */
    public static String content(int timeoutSeconds, boolean tls, boolean restore) {
        List<NodeDocument.Parameter> parameters = new ArrayList<>(List.of(
                new NodeDocument.Parameter("planParameter", "SSM String parameter holding the placement JSON"),
                NodeDocument.PASSWORD, NodeDocument.JAR_BUCKET, NodeDocument.JAR_KEY,
                new NodeDocument.Parameter("placementDigest", "SHA-256 of the placement; a new value re-runs the association")));
        List<String> commands = new ArrayList<>(List.of(
                "echo \"redis-ha: converging to placement {{ placementDigest }}\"",
                NodeDocument.jar("converge --plan-ssm \"{{ planParameter }}\" --password-ssm \"{{ passwordParameter }}\"" + (tls ? " " + TLS_OPTIONS : ""))));
        if (restore) {
            parameters.add(RESTORE_FROM);
            commands.add(NodeDocument.LOCAL_IP);
            commands.add("install -d -m 0700 " + RESTORE_WORK_DIR);
            commands.add("echo \"redis-ha: restoring {{ restoreFrom }} into the new cluster\"");
            commands.add(NodeDocument.jar("restore \"{{ restoreFrom }}\" --into " + NodeDocument.LOCAL_IP_VARIABLE + ":" + RedisConf.CLIENT_PORT
                    + " --password-ssm \"{{ passwordParameter }}\"" + (tls ? " " + TLS_OPTIONS : "") + " --work-dir " + RESTORE_WORK_DIR));
            commands.add("rm -rf " + RESTORE_WORK_DIR);
        }
        return NodeDocument.content("redis-ha: bring the live Redis Cluster to the placement published in SSM", parameters,
                "converge", timeoutSeconds, commands);
    }
}
