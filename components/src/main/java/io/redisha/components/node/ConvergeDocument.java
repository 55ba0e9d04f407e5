package io.redisha.components.node;

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
    public static final String TLS_OPTIONS = "--tls --tls-ca-cert " + NodeRedisConf.TLS_CA_FILE;

    /** Where restore downloads and loads the snapshots: the data volume (the root volume is small). */
    public static final String RESTORE_WORK_DIR = NodeRedisConf.DATA_DIR + "/restore-work";

    public static final NodeDocument.Parameter RESTORE_FROM = new NodeDocument.Parameter("restoreFrom",
            "S3 folder of the backup restored into the new cluster after converge");
    static final NodeDocument.Parameter RECORD = new NodeDocument.Parameter("recordParameter",
            "SSM String parameter each converge run is recorded in (ConvergeRecord)");
    static final NodeDocument.Parameter ATTEMPT = new NodeDocument.Parameter("attempt",
            "the attempt on this placement; one more after a failed run re-runs the association");

    /** Why a run failed where converge cannot record it itself: before it starts, and in the restore after it. */
    static final String JAR_NOT_FETCHED = "the node could not fetch the bootstrap jar from S3";
    static final String RESTORE_FAILED = "converge finished, but restoring {{ restoreFrom }} failed (see the association run output)";

    private ConvergeDocument() {
    }

    /**
     * The converge record the shell writes when a step converge does not cover fails: the fields
     * {@code ConvergeRecord} reads, with the association's parameters filled in by SSM.
     */
    static String failedRecord(String why) {
        if (why.contains("'") || why.contains("\"")) {
            throw new IllegalArgumentException("a failure reason goes into a single-quoted shell string and a JSON string: " + why);
        }
        return "{\"placementDigest\":\"{{ placementDigest }}\",\"attempt\":\"{{ attempt }}\",\"status\":\"failed\",\"error\":\"" + why + "\"}";
    }

    /** From here until {@code trap - ERR}, a failing command records the run as failed with {@code why}. */
    private static List<String> recordFailure(String why) {
        return List.of("FAILED_RECORD='" + failedRecord(why) + "'",
                "trap 'aws ssm put-parameter --overwrite --type String --name \"{{ " + RECORD.name() + " }}\" --value \"$FAILED_RECORD\""
                        + " >/dev/null || true' ERR");
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
                new NodeDocument.Parameter("placementDigest", "SHA-256 of the placement; a new value re-runs the association"),
                RECORD, ATTEMPT));
        // converge records its own runs; a failure before it starts is recorded by the shell, so the next
        // deployment still sees this attempt failed and runs it again
        List<String> commands = new ArrayList<>(List.of(
                "trap - ERR",
                "echo \"redis-ha: converging to placement {{ placementDigest }}, attempt {{ attempt }}\"",
                NodeDocument.jar("converge --plan-ssm \"{{ planParameter }}\" --password-ssm \"{{ passwordParameter }}\""
                        + " --record-ssm \"{{ " + RECORD.name() + " }}\" --attempt \"{{ " + ATTEMPT.name() + " }}\"" + (tls ? " " + TLS_OPTIONS : ""))));
        if (restore) {
            parameters.add(RESTORE_FROM);
            commands.addAll(recordFailure(RESTORE_FAILED));
            commands.add(NodeDocument.LOCAL_IP);
            commands.add("install -d -m 0700 " + RESTORE_WORK_DIR);
            commands.add("echo \"redis-ha: restoring {{ restoreFrom }} into the new cluster\"");
            commands.add(NodeDocument.jar("restore \"{{ restoreFrom }}\" --into " + NodeDocument.LOCAL_IP_VARIABLE + ":" + NodeRedisConf.CLIENT_PORT
                    + " --password-ssm \"{{ passwordParameter }}\"" + (tls ? " " + TLS_OPTIONS : "") + " --work-dir " + RESTORE_WORK_DIR));
            commands.add("rm -rf " + RESTORE_WORK_DIR);
        }
        return NodeDocument.content("redis-ha: bring the live Redis Cluster to the placement published in SSM", parameters,
                "converge", timeoutSeconds, recordFailure(JAR_NOT_FETCHED), commands);
    }
}
