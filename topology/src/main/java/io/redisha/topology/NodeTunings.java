package io.redisha.topology;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tunings a redis-ha node image guarantees: the guide's production checklist plus the
 * settings that make it effective (THP defrag, SYN backlog, Redis' own tcp-backlog).
 *
 * <p>This is the one list. The image component publishes it, instances carry it as a tag, the
 * policy pack compares against it, and the module's tests fail when the baked files or
 * {@code check-tunings.sh} disagree with it.
 */
public final class NodeTunings {

    /** One guaranteed setting: a short key (also the key printed by the check script) and value. */
    public record Tuning(String key, String value, String why) {
        /** {@code key=value}, the form used in outputs and in the tag value. */
        public String asKeyValue() {
            return key + "=" + value;
        }
    }

    /** Tag every instance booted from the image carries; value is {@link #tagValue()}. */
    public static final String TUNINGS_TAG_KEY = "redis-ha:tunings";
    /** Tag on the AMI (and on instances) naming the image family that produced it. */
    public static final String IMAGE_TAG_KEY = "redis-ha:node-image";
    public static final String IMAGE_TAG_VALUE = "redis-ha-node-image";

    /** Installed by the image; a rendered redis.conf should include it to get tcp-backlog. */
    public static final String REDIS_CONF_SNIPPET = "/etc/redis/redis-ha-tunings.conf";
    public static final String REDIS_CONF_INCLUDE = "include " + REDIS_CONF_SNIPPET;
    /** The check script as installed on the node; exit 0 means every tuning is in effect. */
    public static final String CHECK_COMMAND = "/usr/local/sbin/redis-ha-check-tunings";

    public static final List<Tuning> ALL = List.of(
            new Tuning("thp", "never", "transparent huge pages cause latency spikes and fork copy-on-write cost"),
            new Tuning("thp_defrag", "never", "THP defragmentation stalls allocations"),
            new Tuning("overcommit_memory", "1", "BGSAVE/AOF rewrite fork must not be refused"),
            new Tuning("somaxconn", "65535", "accept queue for Redis' tcp-backlog"),
            new Tuning("tcp_max_syn_backlog", "65535", "SYN queue for reconnect storms after failover"),
            new Tuning("nofile", "65535", "LimitNOFILE of redis-server.service (the guide's ulimit -n)"),
            new Tuning("tcp_backlog", "65535", "Redis tcp-backlog, equal to somaxconn"));

    private NodeTunings() {
    }

    /** {@code ["thp=never", "thp_defrag=never", ...]} in a stable order. */
    public static List<String> asStrings() {
        return ALL.stream().map(Tuning::asKeyValue).toList();
    }

    /** The value of {@link #TUNINGS_TAG_KEY}: the tunings joined with commas. */
    public static String tagValue() {
        return String.join(",", asStrings());
    }

    /** Tags an instance launched from the image should carry (exact names and values). */
    public static Map<String, String> instanceTags() {
        return Map.of(TUNINGS_TAG_KEY, tagValue(), IMAGE_TAG_KEY, IMAGE_TAG_VALUE);
    }

    /** The guaranteed value for a key, e.g. {@code value("somaxconn")} is {@code "65535"}. */
    public static String value(String key) {
        return ALL.stream().filter(t -> t.key().equals(key)).map(Tuning::value).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tuning key '" + key + "'; known: "
                        + ALL.stream().map(Tuning::key).collect(Collectors.joining(", "))));
    }
}
