package io.redisha.policies;

import io.redisha.topology.NodeTunings;
import io.redisha.topology.InputLimits;
import io.redisha.topology.RedisDirective;
import io.redisha.topology.RedisDirectives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rules on each Redis node instance (and the component's own inputs where they state the same). */
final class NodeRules {
    private NodeRules() {
    }

    /**
     * An instance that runs Redis: tagged with a role by the component, or whose user data installs,
     * starts or configures redis-server by hand (any stack's Redis, not only ours).
     */
    static boolean isRedisNode(ResourceView r) {
        return r.is(ResourceView.INSTANCE) && (isComponentNode(r) || UserDataRedisConf.userData(r).map(UserDataRedisConf::runsRedis).orElse(false));
    }

    /** A node declared by the RedisCluster component (it tags each node with its planned role). */
    static boolean isComponentNode(ResourceView r) {
        return r.tags().containsKey(ClusterFacts.ROLE_TAG);
    }

    static Rule tunedImage() {
        return new Rule("redis-tuned-image",
                "Checklist: THP never, vm.overcommit_memory 1, somaxconn and nofile 65535 on every Redis host, for good: from a tuned image"
                        + " (the redis-ha node image states them in its " + NodeTunings.TUNINGS_TAG_KEY + " tag; other AMIs listed in tunedImages)"
                        + " or persisted by the host's user data at boot.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.strings("tunedImages", List.of(),
                        "AMI ids known to bake the checklist's tunings (hosts launched from them pass)")),
                new Rule.Check.PerResource((r, s) -> {
                    if (!isRedisNode(r) || r.isUnknown("tags")) {
                        return List.of();
                    }
                    String tag = r.tags().get(NodeTunings.TUNINGS_TAG_KEY);
                    if (tag != null) {
                        return taggedTunings(r, tag);
                    }
                    if (r.string("ami").filter(s.strings("tunedImages")::contains).isPresent()) {
                        return List.of();
                    }
                    if (isComponentNode(r)) {
                        return List.of(new Finding(r, r.label() + " has no " + NodeTunings.TUNINGS_TAG_KEY
                                + " tag, so nothing states that THP, overcommit, somaxconn and nofile are tuned." + TAGGED_FIX));
                    }
                    if (r.isUnknown("userData")) {
                        return List.of();
                    }
                    List<String> missing = BootTunings.shortfalls(UserDataRedisConf.userData(r).orElse(""));
                    return missing.isEmpty() ? List.of() : List.of(new Finding(r, r.label() + " runs Redis without the checklist's tunings: "
                            + String.join("; ", missing) + ". Fix: in user data write vm.overcommit_memory = 1 and net.core.somaxconn = 65535 to"
                            + " /etc/sysctl.d/, set LimitNOFILE=65535 in a redis-server.service drop-in and disable THP in a unit that runs before"
                            + " Redis on every boot; or launch from a tuned image (the redis-ha node image, or an AMI listed in tunedImages)."));
                }));
    }

    /** For the component's nodes, whose tags the component sets from its imageProvidesTunings input. */
    private static final String TAGGED_FIX = " Fix: run the nodes from the redis-ha node image (the stack builds it when redis-ha:imageId is unset);"
            + " for your own AMI, bake the tunings, pass redis-ha-check-tunings on an instance of it, then set the RedisCluster input"
            + " imageProvidesTunings=true (redis-ha:imageProvidesTunings: \"true\"), which tags the nodes "
            + NodeTunings.TUNINGS_TAG_KEY + "=" + NodeTunings.tagValue() + ".";

    private static List<Finding> taggedTunings(ResourceView r, String tag) {
        Map<String, String> stated = new LinkedHashMap<>();
        for (String pair : tag.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length == 2) {
                stated.put(kv[0].trim(), kv[1].trim());
            }
        }
        List<String> missing = new ArrayList<>();
        for (NodeTunings.Tuning t : NodeTunings.ALL) {
            String found = stated.get(t.key());
            if (!satisfies(found, t.value())) {
                missing.add(t.key() + "=" + (found == null ? "(missing)" : found) + " (want " + t.value() + ")");
            }
        }
        return missing.isEmpty() ? List.of() : List.of(new Finding(r, r.label() + " image tunings fall short: "
                + String.join(", ", missing) + "." + TAGGED_FIX));
    }

    /** Numbers must be at least the guaranteed value; words must match. */
    private static boolean satisfies(String found, String wanted) {
        if (found == null) {
            return false;
        }
        if (wanted.matches("\\d+") && found.matches("\\d+")) {
            return Long.parseLong(found) >= Long.parseLong(wanted);
        }
        return found.equals(wanted);
    }

    static Rule aofEnabled() {
        return new Rule("redis-aof-enabled",
                "Guide step 1 (appendonly yes): AOF persistence is on, so a restarted node reloads its data instead of coming back empty.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> redisConf(r).map(conf -> {
                    RedisDirective wanted = RedisDirectives.APPENDONLY;
                    String value = conf.get(wanted.name()).orElse("no (Redis default)");
                    return value.equals(wanted.value()) ? List.<Finding>of() : List.of(new Finding(r, r.label()
                            + " renders redis.conf with " + wanted.name() + " " + value + ". Fix: render '" + wanted.line().strip()
                            + "' (and " + RedisDirectives.APPENDFSYNC.line().strip() + ") in the node's redis.conf."));
                }).orElse(List.of())));
    }

    static Rule maxmemoryHeadroom() {
        return new Rule("redis-maxmemory-headroom",
                "Guide step 1 (maxmemory, adjusted for your environment): maxmemory is set and leaves the OS room on the instance type (page cache, fork copy-on-write during AOF rewrite).",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("maxPercentOfInstanceMemory", InputLimits.MAXMEMORY_PERCENT.checklistMax(),
                        "largest share of the instance's memory maxmemory may take")),
                new Rule.Check.PerResource((r, s) -> {
                    int maxPercent = s.integer("maxPercentOfInstanceMemory");
                    if (r.is(ResourceView.REDIS_CLUSTER)) {
                        return r.number("maxmemoryPercent").filter(p -> p > maxPercent || p < InputLimits.MAXMEMORY_PERCENT.checklistMin())
                                .map(p -> List.of(new Finding(r, r.label() + " sets maxmemoryPercent=" + p
                                        + "; allowed " + InputLimits.MAXMEMORY_PERCENT.checklistMin() + ".." + maxPercent + ". Fix: set maxmemoryPercent to " + maxPercent
                                        + " or less to leave the OS room for fork copy-on-write.")))
                                .orElse(List.of());
                    }
                    return redisConf(r).map(conf -> {
                        Optional<Long> bytes = conf.maxmemoryBytes();
                        if (bytes.isEmpty() || bytes.get() == 0) {
                            return List.of(new Finding(r, r.label() + " renders redis.conf with maxmemory "
                                    + conf.get("maxmemory").orElse("unset") + ": Redis may grow until the kernel kills it. Fix: set maxmemory to at most "
                                    + maxPercent + "% of the instance's memory."));
                        }
                        Optional<String> type = r.string("instanceType");
                        Optional<Double> gib = type.flatMap(io.redisha.topology.InstanceTypes::gib);
                        if (gib.isEmpty()) {
                            return List.<Finding>of(); // set, and the type's memory is not in our table: nothing more to judge
                        }
                        long limit = (long) (gib.get() * 1024 * 1024 * 1024 * maxPercent / 100);
                        if (bytes.get() > limit) {
                            return List.of(new Finding(r, r.label() + " sets maxmemory " + conf.get("maxmemory").orElse("")
                                    + " on " + type.get() + " (" + gib.get() + " GiB): more than " + maxPercent
                                    + "% of its memory. Fix: " + (isComponentNode(r)
                                    ? "set the RedisCluster input maxmemoryPercent to " + maxPercent + " or less (redis-ha:maxmemoryPercent)"
                                    : "lower maxmemory to at most " + limit / (1024 * 1024) + "mb")
                                    + " or choose a larger instance type."));
                        }
                        return List.<Finding>of();
                    }).orElse(List.of());
                }));
    }

    static Rule nodeTimeoutRange() {
        return new Rule("redis-node-timeout-range",
                "Guide pitfall 4: cluster-node-timeout is in a sane range: too low causes false failovers on a network blip, too high delays a real failover.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minMs", InputLimits.NODE_TIMEOUT_MS.checklistMin(), "lowest cluster-node-timeout allowed, in ms"),
                        ConfigProperty.integer("maxMs", InputLimits.NODE_TIMEOUT_MS.checklistMax(), "highest cluster-node-timeout allowed, in ms")),
                new Rule.Check.PerResource((r, s) -> {
                    int min = s.integer("minMs");
                    int max = s.integer("maxMs");
                    Optional<Long> timeout;
                    String where;
                    if (r.is(ResourceView.REDIS_CLUSTER)) {
                        timeout = r.number("nodeTimeoutMs");
                        where = "nodeTimeoutMs";
                    } else {
                        timeout = redisConf(r).flatMap(c -> c.get(RedisDirectives.CLUSTER_NODE_TIMEOUT)).filter(v -> v.matches("\\d+")).map(Long::parseLong);
                        where = RedisDirectives.CLUSTER_NODE_TIMEOUT + " in its redis.conf";
                    }
                    String fix = r.is(ResourceView.REDIS_CLUSTER) || isComponentNode(r)
                            ? "set the RedisCluster input nodeTimeoutMs between " + min + " and " + max + " (e.g. redis-ha:nodeTimeoutMs: \"" + RedisDirectives.DEFAULT_NODE_TIMEOUT_MS + "\")"
                            : "render " + RedisDirectives.CLUSTER_NODE_TIMEOUT + " between " + min + " and " + max + " (e.g. "
                            + RedisDirectives.DEFAULT_NODE_TIMEOUT_MS + ") in the node's redis.conf";
                    return timeout.filter(t -> t < min || t > max).map(t -> List.of(new Finding(r, r.label() + " sets " + where + " "
                            + t + " ms, allowed " + min + ".." + max + " ms (" + (t < min
                            ? "too low: a short network blip triggers a false failover"
                            : "too high: a dead master is not replaced for that long")
                            + "). Fix: " + fix + ".")))
                            .orElse(List.of());
                }));
    }

    static Rule noPublicIp() {
        return new Rule("redis-no-public-ip",
                "AWS practice (private subnets for data stores; the guide binds 0.0.0.0): Redis hosts get no public IP address; clients reach Redis from inside the VPC.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> isRedisNode(r) && r.bool("associatePublicIpAddress").orElse(false)
                        ? List.of(new Finding(r, r.label() + " sets associatePublicIpAddress=true. Fix: set associatePublicIpAddress(false) and place the node in a private subnet."))
                        : List.of()));
    }

    static Rule encryptedVolumes() {
        return new Rule("redis-encrypted-volumes",
                "AWS practice (EBS encryption at rest): every volume of a Redis host (root and data) is encrypted: AOF files hold the data set.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    List<Finding> findings = new ArrayList<>();
                    if (isRedisNode(r)) {
                        if (!r.isUnknown("rootBlockDevice.encrypted") && !r.bool("rootBlockDevice.encrypted").orElse(false)) {
                            findings.add(new Finding(r, r.label() + " has an unencrypted root volume (rootBlockDevice.encrypted is "
                                    + r.get("rootBlockDevice.encrypted").orElse("unset") + "). Fix: set rootBlockDevice.encrypted(true)."));
                        }
                        List<Object> devices = r.list("ebsBlockDevices");
                        for (int i = 0; i < devices.size(); i++) {
                            Object encrypted = devices.get(i) instanceof Map<?, ?> m ? m.get("encrypted") : null;
                            if (encrypted != ResourceView.UNKNOWN && !Boolean.TRUE.equals(encrypted) && !"true".equals(encrypted)) {
                                findings.add(new Finding(r, r.label() + " has an unencrypted EBS volume (ebsBlockDevices[" + i
                                        + "].encrypted is " + encrypted + "). Fix: set encrypted(true) on the block device."));
                            }
                        }
                    } else if (r.is(ResourceView.EBS_VOLUME) && r.tags().keySet().stream().anyMatch(k -> k.startsWith("redis-ha:"))
                            && !r.isUnknown("encrypted") && !r.bool("encrypted").orElse(false)) {
                        findings.add(new Finding(r, r.label() + " is not encrypted. Fix: set encrypted(true) (and a kmsKeyId if you manage keys)."));
                    }
                    return findings;
                }));
    }

    static Rule imdsV2Required() {
        return new Rule("redis-imdsv2-required",
                "AWS practice (IMDSv2): Redis hosts require session tokens (metadataOptions.httpTokens=required), closing SSRF paths to the instance role.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    if (!isRedisNode(r) || r.isUnknown("metadataOptions.httpTokens")) {
                        return List.of();
                    }
                    String tokens = r.string("metadataOptions.httpTokens").orElse("optional (default)");
                    return tokens.equals("required") ? List.of() : List.of(new Finding(r, r.label()
                            + " sets metadataOptions.httpTokens=" + tokens + ". Fix: set metadataOptions(httpTokens(\"required\"))."));
                }));
    }

    /** The redis.conf of a Redis node, when its user data is known. */
    private static Optional<UserDataRedisConf> redisConf(ResourceView r) {
        if (!isRedisNode(r)) {
            return Optional.empty();
        }
        return UserDataRedisConf.userData(r).map(UserDataRedisConf::parse);
    }
}
