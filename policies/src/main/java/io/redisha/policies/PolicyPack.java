package io.redisha.policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis production checklist as a policy pack, over every Redis a stack declares: the rules, their configured enforcement
 * levels and values, and the two ways to run them (per resource, per stack). The analyzer and the
 * offline check are thin adapters over this class.
 */
public final class PolicyPack {
    public static final String NAME = "redis-ha";
    public static final String VERSION = "0.1.0";

    private final List<Rule> rules;
    private final Map<String, EnforcementLevel> levels = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    private volatile String stack = "";

    private PolicyPack(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : rules) {
            levels.put(rule.name(), rule.defaultLevel());
            values.put(rule.name(), rule.defaults());
        }
    }

    /** Every rule of the checklist at its default level. */
    public static PolicyPack standard() {
        return new PolicyPack(List.of(
                ClusterRules.minMasters(),
                ClusterRules.replicasPerMaster(),
                ClusterRules.replicasForProduction(),
                ClusterRules.mastersAcrossZones(),
                ClusterRules.replicaOutsideMasterZone(),
                ClusterRules.zoneLossSurvivable(),
                NodeRules.tunedImage(),
                NodeRules.aofEnabled(),
                NodeRules.maxmemoryHeadroom(),
                NodeRules.nodeTimeoutRange(),
                NetworkRules.noOpenRedisPorts(),
                NodeRules.noPublicIp(),
                NodeRules.encryptedVolumes(),
                NodeRules.imdsV2Required(),
                EngineRules.supportedVersion(),
                EngineRules.maintainedVersion(),
                EngineRules.valkeyAvailabilityZone(),
                SecretRules.authFromSecret(),
                ElastiCacheRules.failoverMultiAz(),
                ElastiCacheRules.encryption(),
                ElastiCacheRules.auth(),
                ElastiCacheRules.snapshots(),
                ClusterRules.backupsForProduction(),
                SubnetZoneRules.subnetsAcrossZones(),
                MemoryDbRules.tls(),
                MemoryDbRules.acl()));
    }

    /**
     * True when the stack declares any Redis the rules judge: a RedisCluster component, an EC2
     * instance that runs Redis (ours or hand-written), ElastiCache for Redis/Valkey, or MemoryDB.
     */
    public static boolean declaresRedis(List<ResourceView> resources) {
        return resources.stream().anyMatch(r -> r.is(ResourceView.REDIS_CLUSTER) || NodeRules.isRedisNode(r) || ManagedRedis.is(r));
    }

    public List<Rule> rules() {
        return rules;
    }

    public Rule rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("policy " + name + " is not in the redis-ha pack; known: "
                        + rules.stream().map(Rule::name).toList()));
    }

    public EnforcementLevel level(String rule) {
        return levels.get(rule(rule).name());
    }

    /** The stack being checked; production-only rules compare against it. */
    public PolicyPack forStack(String stackName) {
        this.stack = stackName == null ? "" : stackName;
        return this;
    }

    public String stack() {
        return stack;
    }

    /**
     * Applies policy-pack config: per rule an optional enforcement level and values. A rule name that
     * is not in the pack, or a value of the wrong kind, is refused with a message naming it.
     */
    public synchronized void configure(String ruleName, Optional<EnforcementLevel> level, Map<String, Object> config) {
        Rule rule = rule(ruleName);
        level.ifPresent(l -> levels.put(rule.name(), l));
        Map<String, Object> merged = new LinkedHashMap<>(values.get(rule.name()));
        config.forEach((key, value) -> {
            if (key.equals("enforcementLevel")) {
                levels.put(rule.name(), EnforcementLevel.parse(String.valueOf(value)));
                return;
            }
            if (rule.config().stream().noneMatch(p -> p.name().equals(key))) {
                throw new IllegalArgumentException("policy config " + rule.name() + "." + key + " is not valid: known keys are "
                        + rule.config().stream().map(ConfigProperty::name).toList());
            }
            merged.put(key, value);
        });
        Settings probe = new Settings(stack, merged);
        rule.config().forEach(p -> {
            if (p.type().equals("integer")) {
                probe.integer(p.name());
            } else {
                probe.strings(p.name());
            }
        });
        // a rule may read its values further (port ranges): run it once on nothing so a bad value is refused here
        if (rule.check() instanceof Rule.Check.PerResource check) {
            check.check().apply(new ResourceView("", "", "", Map.of()), probe);
        } else if (rule.check() instanceof Rule.Check.PerStack check) {
            check.check().apply(new StackView(List.of()), probe);
        }
        values.put(rule.name(), merged);
    }

    /** Per-resource rules on one resource (what the engine asks for with {@code Analyze}). */
    public List<Violation> analyze(ResourceView resource) {
        List<Violation> violations = new ArrayList<>();
        for (Rule rule : rules) {
            EnforcementLevel level = levels.get(rule.name());
            if (level != EnforcementLevel.DISABLED && rule.check() instanceof Rule.Check.PerResource check) {
                check.check().apply(resource, settings(rule)).forEach(f -> violations.add(Violation.of(rule, level, f)));
            }
        }
        return violations;
    }

    /** Stack rules over all resources (what the engine asks for with {@code AnalyzeStack}). */
    public List<Violation> analyzeStack(List<ResourceView> resources) {
        StackView stackView = new StackView(resources);
        List<Violation> violations = new ArrayList<>();
        for (Rule rule : rules) {
            EnforcementLevel level = levels.get(rule.name());
            if (level != EnforcementLevel.DISABLED && rule.check() instanceof Rule.Check.PerStack check) {
                check.check().apply(stackView, settings(rule)).forEach(f -> violations.add(Violation.of(rule, level, f)));
            }
        }
        return violations;
    }

    /** Every rule, both kinds, over a whole stack: the offline check. */
    public List<Violation> evaluate(List<ResourceView> resources) {
        List<Violation> violations = new ArrayList<>();
        resources.forEach(r -> violations.addAll(analyze(r)));
        violations.addAll(analyzeStack(resources));
        return violations;
    }

    public Map<String, Object> values(String rule) {
        return Map.copyOf(values.get(rule(rule).name()));
    }

    private Settings settings(Rule rule) {
        return new Settings(stack, values.get(rule.name()));
    }
}
