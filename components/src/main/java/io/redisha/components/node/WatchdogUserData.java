package io.redisha.components.node;

/**
 * The part of a node's user data that turns on the watchdog beside it: the unit
 * {@code redis-ha-watchdog.service} is baked into the node image; this writes its environment
 * file (node IP, the bootstrap jar the metrics timer also uses, the password's SSM parameter, TLS
 * options) and enables it. The watchdog asks EC2 about silent masters, hence {@link #POLICY}.
 */
public final class WatchdogUserData {
    public static final String UNIT = "redis-ha-watchdog.service";
    public static final String ENV_FILE = "/etc/redis-ha/watchdog.env";
    /** Read-only EC2 calls; neither supports resource-level permissions, so the resource is "*". */
    public static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WatchdogReadsInstanceStatus\","
            + "\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeInstances\",\"ec2:DescribeInstanceStatus\"],\"Resource\":\"*\"}]}";

    private WatchdogUserData() {
    }

    /** Bash appended after {@link MetricsTimer#userData}, whose jar location and parameters it shares. */
    public static String userData(MetricsTimer.Spec spec) {
        String jar = MetricsTimer.JAR_PATH;
        StringBuilder s = new StringBuilder();
        s.append("\n# Watchdog beside this node: failover on certain death of a master (unit baked into the image)\n");
        s.append("install -d -m 0750 /opt/redis-ha/metrics /etc/redis-ha\n");
        s.append("NODE_IP=${NODE_IP:-$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/local-ipv4)}\n");
        s.append("if [ ! -s ").append(jar).append(" ]; then\n");
        s.append("  aws s3 cp 's3://").append(spec.jarBucket()).append('/').append(spec.jarKey()).append("' ").append(jar)
                .append(".tmp --only-show-errors && mv ").append(jar).append(".tmp ").append(jar).append('\n');
        s.append("fi\n");
        s.append("printf 'AWS_REGION=%s\\nNODE_IP=%s\\nREDIS_HA_JAR=%s\\nPASSWORD_SSM=%s\\nTLS_OPTIONS=%s\\n' \"$AWS_DEFAULT_REGION\" \"$NODE_IP\" '")
                .append(jar).append("' '").append(spec.passwordParameter()).append("' '").append(spec.tls() ? ConvergeDocument.TLS_OPTIONS : "")
                .append("' > ").append(ENV_FILE).append('\n');
        s.append("systemctl daemon-reload\n");
        s.append("systemctl enable --now ").append(UNIT).append('\n');
        return s.toString();
    }
}
