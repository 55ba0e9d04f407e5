package io.redisha.components;

/**
 * The SSM Command document that forms (or grows) the cluster from node-0-0: fetch the bootstrap
 * jar from S3, then {@code redis-ha converge} against the placement published in SSM. It is
 * idempotent, so re-running it after a scaling change only adds what the new placement asks for.
 */
public final class ConvergeDocument {
    public static final String JAR_PATH = "/opt/redis-ha/redis-ha.jar";

    private ConvergeDocument() {
    }

    /**
     * The TLS options of {@code redis-ha converge}: the nodes serve TLS only ({@code port 0}), so the
     * engine connects over TLS and trusts the cluster's CA, which user data wrote on every node.
     * The nodes do not ask clients for a certificate ({@code tls-auth-clients optional}).
     */
    public static final String TLS_OPTIONS = "--tls --tls-ca-cert " + RedisConf.TLS_CA_FILE;

    /**
     * The converge record the shell writes when the node fails before converge starts (no jar): the
     * fields {@code ConvergeRecord} reads, with the association's parameters filled in by SSM.
     */
    static final String FAILED_BEFORE_CONVERGE = "{\"placementDigest\":\"{{ placementDigest }}\",\"attempt\":\"{{ attempt }}\","
            + "\"status\":\"failed\",\"error\":\"the node could not fetch the bootstrap jar from S3\"}";

    /** Document content, schemaVersion 2.2; parameters are filled by the association. */
    public static String content(int timeoutSeconds) {
        return content(timeoutSeconds, false);
    }

    /** Document content; with {@code tls} converge connects over TLS ({@link #TLS_OPTIONS}). */
    public static String content(int timeoutSeconds, boolean tls) {
        String[] commands = {
            "set -euo pipefail",
            "TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
            "export AWS_DEFAULT_REGION=$(curl -sS -H \\\"X-aws-ec2-metadata-token: $TOKEN\\\" http://169.254.169.254/latest/meta-data/placement/region)",
            "export AWS_REGION=$AWS_DEFAULT_REGION",
            // converge records its own runs; a failure before it starts is recorded here, so the next
            // deployment still sees this attempt failed and runs it again
            "FAILED_RECORD='" + FAILED_BEFORE_CONVERGE.replace("\"", "\\\"") + "'",
            "trap 'aws ssm put-parameter --overwrite --type String --name \\\"{{ recordParameter }}\\\" --value \\\"$FAILED_RECORD\\\""
                    + " >/dev/null || true' ERR",
            "install -d -m 0750 /opt/redis-ha",
            "aws s3 cp \\\"s3://{{ jarBucket }}/{{ jarKey }}\\\" " + JAR_PATH + " --only-show-errors",
            "trap - ERR",
            "echo \\\"redis-ha: converging to placement {{ placementDigest }}, attempt {{ attempt }}\\\"",
            "java -jar " + JAR_PATH + " converge --plan-ssm \\\"{{ planParameter }}\\\" --password-ssm \\\"{{ passwordParameter }}\\\""
                    + " --record-ssm \\\"{{ recordParameter }}\\\" --attempt \\\"{{ attempt }}\\\""
                    + (tls ? " " + TLS_OPTIONS : "")
        };
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < commands.length; i++) {
            run.append(i == 0 ? "" : ",").append('"').append(commands[i]).append('"');
        }
        return "{\"schemaVersion\":\"2.2\","
                + "\"description\":\"redis-ha: bring the live Redis Cluster to the placement published in SSM\","
                + "\"parameters\":{"
                + param("planParameter", "SSM String parameter holding the placement JSON") + ","
                + param("passwordParameter", "SSM SecureString parameter holding the AUTH password") + ","
                + param("jarBucket", "S3 bucket of the bootstrap jar") + ","
                + param("jarKey", "S3 key of the bootstrap jar") + ","
                + param("placementDigest", "SHA-256 of the placement; a new value re-runs the association") + ","
                + param("recordParameter", "SSM String parameter each converge run is recorded in (ConvergeRecord)") + ","
                + param("attempt", "the attempt on this placement; one more after a failed run re-runs the association")
                + "},"
                + "\"mainSteps\":[{\"action\":\"aws:runShellScript\",\"name\":\"converge\","
                + "\"inputs\":{\"timeoutSeconds\":\"" + timeoutSeconds + "\",\"runCommand\":[" + run + "]}}]}";
    }

    private static String param(String name, String description) {
        return "\"" + name + "\":{\"type\":\"String\",\"description\":\"" + description + "\"}";
    }
}
