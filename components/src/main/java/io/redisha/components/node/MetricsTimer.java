package io.redisha.components.node;

/**
 * The part of a node's user data that publishes the cluster's health to CloudWatch every minute:
 * a systemd timer runs {@code redis-ha metrics} against this node (which sees the whole cluster)
 * with zones from the placement parameter and the password from SSM. Every node publishes, so
 * the metrics keep flowing while any node is up; the alarms use Minimum/Maximum over all of them.
 * The jar is fetched from the bootstrap bucket once and refreshed daily.
 */
public final class MetricsTimer {
    /** The CloudWatch namespace of the metrics; the node policy allows PutMetricData into it only. */
    public static final String NAMESPACE = "RedisHA";
    public static final String JAR_PATH = "/opt/redis-ha/metrics/redis-ha.jar";
    public static final String SCRIPT = "/usr/local/bin/redis-ha-metrics";
    public static final String UNIT = "redis-ha-metrics";

    /**
     * @param clusterName        the ClusterName dimension (the component's name)
     * @param jarBucket          bucket of the bootstrap jar the component uploads
     * @param jarKey             key of the bootstrap jar
     * @param placementParameter SSM parameter holding the placement (zones)
     * @param passwordParameter  SSM SecureString holding the AUTH password
     * @param tls                connect over TLS, trusting the cluster CA
     */
    public record Spec(String clusterName, String jarBucket, String jarKey, String placementParameter,
                       String passwordParameter, boolean tls) {
    }

    private MetricsTimer() {
    }

    /** The command the timer runs (after {@code NODE_IP} is set from the instance metadata). */
    public static String command(Spec spec) {
        return "java -jar " + JAR_PATH + " metrics \"$NODE_IP:" + NodeRedisConf.CLIENT_PORT + "\""
                + " --placement-ssm '" + spec.placementParameter() + "' --password-ssm '" + spec.passwordParameter() + "'"
                + " --publish " + NAMESPACE + " --cluster-name '" + spec.clusterName() + "'"
                + (spec.tls() ? " " + ConvergeDocument.TLS_OPTIONS : "");
    }

    /** Bash appended to the node's user data; runs as root after redis-server is started. */
    public static String userData(Spec spec) {
        for (String value : new String[] {spec.clusterName(), spec.jarBucket(), spec.jarKey(), spec.placementParameter(), spec.passwordParameter()}) {
            if (value.contains("'") || value.contains("METRICS")) {
                throw new IllegalArgumentException("metrics timer: unexpected character in " + value);
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("\n# Cluster metrics to CloudWatch (namespace ").append(NAMESPACE).append(") every minute\n");
        s.append("install -d -m 0750 /opt/redis-ha/metrics /etc/redis-ha\n");
        s.append("NODE_IP=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/local-ipv4)\n");
        s.append("printf 'AWS_REGION=%s\\nAWS_DEFAULT_REGION=%s\\nNODE_IP=%s\\n' \"$AWS_DEFAULT_REGION\" \"$AWS_DEFAULT_REGION\" \"$NODE_IP\" > /etc/redis-ha/metrics.env\n");
        s.append("cat > ").append(SCRIPT).append(" <<'METRICS'\n");
        s.append("#!/bin/bash\n");
        s.append("set -euo pipefail\n");
        s.append("# refresh the jar daily, so a new bootstrap jar reaches every node\n");
        s.append("find ").append(JAR_PATH).append(" -mmin +1440 -delete 2>/dev/null || true\n");
        s.append("if [ ! -s ").append(JAR_PATH).append(" ]; then\n");
        s.append("  aws s3 cp 's3://").append(spec.jarBucket()).append('/').append(spec.jarKey()).append("' ")
                .append(JAR_PATH).append(".tmp --only-show-errors && mv ").append(JAR_PATH).append(".tmp ").append(JAR_PATH).append('\n');
        s.append("fi\n");
        s.append("exec ").append(command(spec)).append('\n');
        s.append("METRICS\n");
        s.append("chmod 0750 ").append(SCRIPT).append('\n');
        s.append("cat > /etc/systemd/system/").append(UNIT).append(".service <<'METRICS'\n");
        s.append("[Unit]\nDescription=redis-ha: publish cluster metrics to CloudWatch\nAfter=redis-server.service network-online.target\n\n");
        s.append("[Service]\nType=oneshot\nEnvironmentFile=/etc/redis-ha/metrics.env\nExecStart=").append(SCRIPT).append('\n');
        s.append("# exit 1 = metrics published, cluster NOT OK: the alarms report it, the unit did its job\n");
        s.append("SuccessExitStatus=1\nTimeoutStartSec=50\n");
        s.append("METRICS\n");
        s.append("cat > /etc/systemd/system/").append(UNIT).append(".timer <<'METRICS'\n");
        s.append("[Unit]\nDescription=redis-ha: cluster metrics every minute\n\n");
        s.append("[Timer]\nOnCalendar=*-*-* *:*:00\nAccuracySec=5s\nRandomizedDelaySec=15\n\n");
        s.append("[Install]\nWantedBy=timers.target\n");
        s.append("METRICS\n");
        s.append("systemctl daemon-reload\n");
        s.append("systemctl enable --now ").append(UNIT).append(".timer\n");
        return s.toString();
    }
}
