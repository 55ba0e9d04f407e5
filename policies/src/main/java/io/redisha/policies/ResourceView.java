package io.redisha.policies;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One declared resource as the rules see it, whichever way it arrived: from the Pulumi engine over
 * gRPC (an {@code AnalyzerResource}) or from a mocked deployment in the offline check.
 *
 * <p>Properties are plain Java values: String, Number, Boolean, List, Map, or {@link #UNKNOWN} for
 * a value the engine does not know yet (during preview). Rules skip what is unknown rather than
 * guess; the same value is checked again once it is known.
 *
 * @param secretPaths          top-level property names whose value was marked secret
 * @param id                   the provider's id when known (a stack export, an unchanged resource), else ""
 * @param propertyDependencies per top-level property, the URNs of the resources its value came from
 *                             (how a subnet group's {@code subnetIds} lead to the subnets while ids are unknown)
 */
public record ResourceView(String type, String urn, String name, Map<String, Object> properties,
                           Set<String> secretPaths, String id, Map<String, List<String>> propertyDependencies) {

    /** A value not known until the resource is created (Pulumi's unknown sentinel). */
    public static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<unknown>";
        }
    };

    public static final String INSTANCE = "aws:ec2/instance:Instance";
    public static final String SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
    public static final String INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    public static final String SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
    public static final String EBS_VOLUME = "aws:ebs/volume:Volume";
    public static final String SSM_PARAMETER = "aws:ssm/parameter:Parameter";
    public static final String REDIS_CLUSTER = "redis-ha:index:RedisCluster";
    public static final String SUBNET = "aws:ec2/subnet:Subnet";
    public static final String ELASTICACHE_REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
    public static final String ELASTICACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
    public static final String ELASTICACHE_SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
    public static final String ELASTICACHE_SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup";
    public static final String MEMORYDB_CLUSTER = "aws:memorydb/cluster:Cluster";
    public static final String MEMORYDB_SUBNET_GROUP = "aws:memorydb/subnetGroup:SubnetGroup";

    public ResourceView {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        secretPaths = Set.copyOf(secretPaths);
        propertyDependencies = Map.copyOf(propertyDependencies);
    }

    public ResourceView(String type, String urn, String name, Map<String, Object> properties, Set<String> secretPaths) {
        this(type, urn, name, properties, secretPaths, "", Map.of());
    }

    public ResourceView(String type, String urn, String name, Map<String, Object> properties) {
        this(type, urn, name, properties, Set.of());
    }

    /** The name part of a URN ({@code urn:pulumi:stack::project::type::name}). */
    public static String nameOf(String urn) {
        int at = urn.lastIndexOf("::");
        return at < 0 ? urn : urn.substring(at + 2);
    }

    /** The stack part of a URN; empty when the URN is not of the usual shape. */
    public static Optional<String> stackOf(String urn) {
        if (!urn.startsWith("urn:pulumi:") || !urn.contains("::")) {
            return Optional.empty();
        }
        return Optional.of(urn.substring("urn:pulumi:".length(), urn.indexOf("::")));
    }

    /** The URNs the value of a top-level property came from (empty when not recorded). */
    public List<String> dependencies(String property) {
        return propertyDependencies.getOrDefault(property, List.of());
    }

    /** A URN of the usual shape, for resources built outside the engine (tests, mocks without one). */
    public static String urnOf(String stack, String type, String name) {
        return "urn:pulumi:" + stack + "::redis-ha::" + type + "::" + name;
    }

    public boolean is(String resourceType) {
        return type.equals(resourceType);
    }

    /** The value at a dotted path ({@code metadataOptions.httpTokens}); empty when absent or null. */
    public Optional<Object> get(String path) {
        Object current = properties;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(key);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** True when the value at {@code path}, or any value on the way to it, is not known yet. */
    public boolean isUnknown(String path) {
        Object current = properties;
        for (String key : path.split("\\.")) {
            if (current == UNKNOWN) {
                return true;
            }
            if (!(current instanceof Map<?, ?> map)) {
                return false;
            }
            current = map.get(key);
        }
        return current == UNKNOWN;
    }

    /** A string value; empty when absent, unknown or not a string. */
    public Optional<String> string(String path) {
        return get(path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** A boolean value; a "true"/"false" string is accepted, as providers sometimes send them so. */
    public Optional<Boolean> bool(String path) {
        return get(path).flatMap(v -> {
            if (v instanceof Boolean b) {
                return Optional.of(b);
            }
            if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                return Optional.of(Boolean.parseBoolean(s));
            }
            return Optional.empty();
        });
    }

    public Optional<Long> number(String path) {
        return get(path).flatMap(ResourceView::asLong);
    }

    /** A whole number, also from a numeric string (providers send some numbers as strings). */
    public static Optional<Long> asLong(Object value) {
        if (value instanceof Number n) {
            return Optional.of(n.longValue());
        }
        if (value instanceof String s && s.matches("-?\\d+")) {
            return Optional.of(Long.parseLong(s));
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String path) {
        return get(path).filter(List.class::isInstance).map(v -> (List<Object>) v).orElse(List.of());
    }

    /** The resource's {@code tags} as strings (unknown or non-string values left out). */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        get("tags").filter(Map.class::isInstance).map(Map.class::cast).ifPresent(map ->
                map.forEach((k, v) -> {
                    if (v instanceof String s) {
                        tags.put(String.valueOf(k), s);
                    }
                }));
        return tags;
    }

    /** How messages name this resource: {@code node-0-0 (aws:ec2/instance:Instance)}. */
    public String label() {
        return name + " (" + type + ")";
    }
}
