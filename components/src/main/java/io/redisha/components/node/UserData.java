package io.redisha.components.node;

import io.redisha.image.RedisNodeImageArgs;
import io.redisha.topology.ServerVersion;
import java.util.Optional;

/**
 * Renders the bash user data of one node: mount the encrypted data volume on {@code /var/lib/redis},
 * write {@code redis.conf}, fetch the AUTH password (and TLS material) from SSM with the instance
 * role, and restart the image's {@code redis-server} unit. The user data holds parameter names
 * only, never a secret: it is readable by anyone with {@code ec2:DescribeInstanceAttribute}.
 */
public final class UserData {
    /** The device name the data volume is attached as; Nitro instances expose it as an NVMe disk. */
    public static final String DATA_DEVICE = "/dev/sdf";

    /**
     * @param clusterName       the component's name, for log lines
     * @param nodeName          the planned node, e.g. {@code node-0-1}
     * @param redisConf         the rendered {@link NodeRedisConf}
     * @param passwordParameter SSM SecureString holding the AUTH password
     * @param tlsParameterPrefix SSM prefix holding {@code ca}, {@code cert}, {@code key} when TLS is on
     */
    public record Spec(String clusterName, String nodeName, String redisConf, String passwordParameter,
                       Optional<String> tlsParameterPrefix, ServerVersion server, String engineVersion) {
        /** The default server (Redis 7.0). */
        public Spec(String clusterName, String nodeName, String redisConf, String passwordParameter, Optional<String> tlsParameterPrefix) {
            this(clusterName, nodeName, redisConf, passwordParameter, tlsParameterPrefix,
                    ServerVersion.of("engine", RedisNodeImageArgs.DEFAULT_ENGINE, "engineVersion", RedisNodeImageArgs.DEFAULT_ENGINE_VERSION),
                    RedisNodeImageArgs.DEFAULT_ENGINE_VERSION);
        }
    }

    private UserData() {
    }

    /** The node refuses to start a server other than the one the cluster asks for (an image built for another engine or version). */
    private static void serverCheck(StringBuilder s, Spec spec) {
        String engineWord = spec.server().engine() == ServerVersion.Engine.VALKEY ? "Valkey" : "Redis";
        String pattern = "^" + engineWord + " server v=" + spec.engineVersion().replace(".", "\\.") + "[. ]";
        s.append("# The image must run ").append(spec.server().engine().label()).append(' ').append(spec.engineVersion())
                .append(" (engine, engineVersion); a node on another server never joins\n");
        s.append("SERVER=$(redis-server --version)\n");
        s.append("echo \"$SERVER\" | grep -Eq '").append(pattern).append("' || { echo \"redis-ha: this image runs '$SERVER', the cluster asks for ")
                .append(spec.server().engine().label()).append(' ').append(spec.engineVersion())
                .append(": build the node image with engine=").append(spec.server().engine().label()).append(" engineVersion=").append(spec.engineVersion())
                .append("\"; exit 1; }\n\n");
    }

    public static String render(Spec spec) {
        if (spec.redisConf().contains("REDISCONF")) {
            throw new IllegalArgumentException("redis.conf must not contain the heredoc marker REDISCONF");
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# redis-ha node ").append(spec.nodeName()).append(" of cluster ").append(spec.clusterName()).append('\n');
        s.append("set -euo pipefail\n");
        s.append("exec > >(tee -a /var/log/redis-ha-user-data.log) 2>&1\n\n");
        s.append("# Region from IMDSv2 (the instance requires tokens)\n");
        s.append("TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')\n");
        s.append("export AWS_DEFAULT_REGION=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/placement/region)\n\n");
        s.append("systemctl stop redis-server.service || true\n\n");
        serverCheck(s, spec);
        s.append("# Data volume: the one disk that is neither the root disk nor partitioned\n");
        s.append("ROOT_DISK=$(lsblk -no PKNAME \"$(findmnt -no SOURCE /)\")\n");
        s.append("DATA_DISK=''\n");
        s.append("for i in $(seq 1 60); do\n");
        s.append("  DATA_DISK=$(lsblk -dnpo NAME,TYPE | awk '$2==\"disk\"{print $1}' | grep -v \"/dev/${ROOT_DISK}$\" | head -n1 || true)\n");
        s.append("  [ -n \"$DATA_DISK\" ] && break; sleep 2\n");
        s.append("done\n");
        s.append("[ -n \"$DATA_DISK\" ] || { echo \"redis-ha: no data volume attached as ").append(DATA_DEVICE)
                .append("; check the instance's block devices\"; exit 1; }\n");
        s.append("blkid \"$DATA_DISK\" >/dev/null || mkfs.xfs -L redis-data \"$DATA_DISK\"\n");
        s.append("install -d -o redis -g redis -m 0750 ").append(NodeRedisConf.DATA_DIR).append('\n');
        s.append("grep -q 'LABEL=redis-data' /etc/fstab || echo 'LABEL=redis-data ").append(NodeRedisConf.DATA_DIR)
                .append(" xfs defaults,noatime,nofail 0 2' >> /etc/fstab\n");
        s.append("mountpoint -q ").append(NodeRedisConf.DATA_DIR).append(" || mount ").append(NodeRedisConf.DATA_DIR).append('\n');
        s.append("chown redis:redis ").append(NodeRedisConf.DATA_DIR).append("\n\n");
        s.append("# redis.conf (no secret in it)\n");
        s.append("cat > ").append(NodeRedisConf.PATH).append(" <<'REDISCONF'\n").append(spec.redisConf());
        if (!spec.redisConf().endsWith("\n")) {
            s.append('\n');
        }
        s.append("REDISCONF\n");
        if (spec.server().takesAvailabilityZone()) {
            s.append("# Valkey announces its zone (HELLO availability_zone): clients with AZ affinity read in their own zone\n");
            s.append("AZ=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/placement/availability-zone)\n");
            s.append("echo \"availability-zone $AZ\" >> ").append(NodeRedisConf.PATH).append('\n');
        }
        s.append("chown redis:redis ").append(NodeRedisConf.PATH).append(" && chmod 0640 ").append(NodeRedisConf.PATH).append("\n\n");
        s.append("# AUTH password from SSM (SecureString, decrypted with the instance role); never echoed\n");
        s.append("umask 077\n");
        s.append("PASSWORD=$(aws ssm get-parameter --name '").append(spec.passwordParameter())
                .append("' --with-decryption --query Parameter.Value --output text)\n");
        s.append("[ -n \"$PASSWORD\" ] || { echo 'redis-ha: empty AUTH password in SSM ").append(spec.passwordParameter()).append("'; exit 1; }\n");
        // Inside a double-quoted redis.conf value only \\ and \" need escaping; any password works.
        s.append("PASSWORD=$(printf '%s' \"$PASSWORD\" | sed -e 's/[\\\\\"]/\\\\&/g')\n");
        s.append("printf 'requirepass \"%s\"\\nmasterauth \"%s\"\\n' \"$PASSWORD\" \"$PASSWORD\" > ").append(NodeRedisConf.AUTH_INCLUDE).append('\n');
        s.append("unset PASSWORD\n");
        s.append("chown redis:redis ").append(NodeRedisConf.AUTH_INCLUDE).append(" && chmod 0600 ").append(NodeRedisConf.AUTH_INCLUDE).append('\n');
        spec.tlsParameterPrefix().ifPresent(prefix -> {
            s.append("\n# TLS material from SSM\n");
            s.append("install -d -o redis -g redis -m 0750 ").append(NodeRedisConf.TLS_DIR).append('\n');
            for (String[] file : new String[][] {{"ca", "ca.crt"}, {"cert", "node.crt"}, {"key", "node.key"}}) {
                s.append("aws ssm get-parameter --name '").append(prefix).append('/').append(file[0])
                        .append("' --with-decryption --query Parameter.Value --output text > ")
                        .append(NodeRedisConf.TLS_DIR).append('/').append(file[1]).append('\n');
            }
            s.append("chown redis:redis ").append(NodeRedisConf.TLS_DIR).append("/* && chmod 0600 ").append(NodeRedisConf.TLS_DIR).append("/*\n");
        });
        s.append("umask 022\n\n");
        s.append("systemctl enable redis-server.service\n");
        s.append("systemctl restart redis-server.service\n");
        s.append("echo \"redis-ha: ").append(spec.nodeName()).append(" started redis-server; the cluster is formed by the SSM association (redis-ha converge)\"\n");
        return s.toString();
    }
}
