package io.redisha.stacks;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import io.redisha.components.RedisCluster;
import io.redisha.components.RedisClusterArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster Pulumi program (entry point of the root {@code Pulumi.yaml}): reads the stack's
 * {@code redis-ha:*} config, declares one {@link RedisCluster} and exports its outputs.
 * {@link #define} is public so tests and the policy pack can run it under mocks
 * ({@link io.redisha.stacks.mock.MockedDeployment}).
 */
public final class ClusterStack {
    /** Every config key the program reads, under the {@code redis-ha:} namespace. */
    public static final List<String> KEYS = List.of("clusterName", "masters", "replicasPerMaster", "zones", "instanceType",
            "imageId", "vpcId", "subnetIds", "vpcCidr", "tls", "tlsCaCertificate", "tlsCertificate", "tlsPrivateKey",
            "terminationProtection", "nodeTimeoutMs", "maxmemoryPercent", "maxmemoryMb", "maxmemoryPolicy",
            "dataVolumeSizeGib", "allowedClientCidrs", "allowedClientSecurityGroupIds", "authPassword",
            "acceptZoneLossRisk", "bootstrapJarPath", "convergeTimeoutSeconds");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ClusterStack() {
    }

    public static void main(String[] args) {
        Pulumi.run(ClusterStack::define);
    }

    public static void define(Context ctx) {
        Config config = ctx.config("redis-ha");
        String name = config.get("clusterName").orElse(ctx.stackName());
        RedisCluster cluster = new RedisCluster(name, args(config));
        ctx.export("nodes", cluster.nodes());
        ctx.export("seedEndpoints", cluster.seedEndpoints());
        ctx.export("clientSecurityGroupId", cluster.clientSecurityGroupId());
        ctx.export("planSummary", cluster.planSummary());
        ctx.export("survivesZoneLoss", cluster.survivesZoneLoss());
        ctx.export("placementParameter", cluster.placementParameterName());
        ctx.export("authParameter", cluster.authParameterName());
        ctx.export("vpcId", cluster.vpcId());
        ctx.export("subnetIds", cluster.subnetIds());
    }

    /** Config -> component args. Malformed values are refused here, naming the config key. */
    static RedisClusterArgs args(Config config) {
        List<String> problems = new ArrayList<>();
        RedisClusterArgs.Builder b = RedisClusterArgs.builder();
        integer(config, "masters", problems).ifPresent(b::masters);
        integer(config, "replicasPerMaster", problems).ifPresent(b::replicasPerMaster);
        integer(config, "nodeTimeoutMs", problems).ifPresent(b::nodeTimeoutMs);
        integer(config, "maxmemoryPercent", problems).ifPresent(b::maxmemoryPercent);
        integer(config, "maxmemoryMb", problems).ifPresent(b::maxmemoryMb);
        integer(config, "dataVolumeSizeGib", problems).ifPresent(b::dataVolumeSizeGib);
        integer(config, "convergeTimeoutSeconds", problems).ifPresent(b::convergeTimeoutSeconds);
        bool(config, "tls", problems).ifPresent(b::tls);
        bool(config, "terminationProtection", problems).ifPresent(b::terminationProtection);
        bool(config, "acceptZoneLossRisk", problems).ifPresent(b::acceptZoneLossRisk);
        list(config, "zones", problems).ifPresent(b::zones);
        config.get("instanceType").ifPresent(b::instanceType);
        config.get("imageId").ifPresent(b::imageId);
        config.get("vpcId").ifPresent(b::vpcId);
        list(config, "subnetIds", problems).ifPresent(ids -> b.subnetIds(ids.toArray(String[]::new)));
        config.get("vpcCidr").ifPresent(b::vpcCidr);
        config.get("maxmemoryPolicy").ifPresent(b::maxmemoryPolicy);
        list(config, "allowedClientCidrs", problems).ifPresent(b::allowedClientCidrs);
        list(config, "allowedClientSecurityGroupIds", problems)
                .ifPresent(ids -> b.allowedClientSecurityGroupIds(ids.stream().map(Output::of).toList()));
        config.get("bootstrapJarPath").ifPresent(b::bootstrapJarPath);
        // secrets: read once and wrapped as secrets straight away; getSecret is get + ofSecret in pulumi-java
        config.get("authPassword").ifPresent(p -> b.authPassword(Output.ofSecret(p)));
        Optional<String> ca = config.get("tlsCaCertificate");
        Optional<String> cert = config.get("tlsCertificate");
        Optional<String> key = config.get("tlsPrivateKey");
        if (ca.isPresent() || cert.isPresent() || key.isPresent()) {
            b.tlsMaterial(ca.map(Output::of).orElse(null), cert.map(Output::of).orElse(null),
                    key.map(Output::ofSecret).orElse(null));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("redis-ha stack config is not valid:\n  - " + String.join("\n  - ", problems));
        }
        return b.build();
    }

    private static Optional<Integer> integer(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(raw.get().trim()));
        } catch (NumberFormatException e) {
            problems.add("redis-ha:" + key + "=" + raw.get() + " is not valid: a whole number");
            return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get().trim().toLowerCase();
        if (!v.equals("true") && !v.equals("false")) {
            problems.add("redis-ha:" + key + "=" + raw.get() + " is not valid: true or false");
            return Optional.empty();
        }
        return Optional.of(Boolean.parseBoolean(v));
    }

    /** A YAML list in Pulumi.<stack>.yaml arrives as a JSON array; "a,b,c" is accepted too. */
    static Optional<List<String>> list(Config config, String key, List<String> problems) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get().trim();
        if (v.startsWith("[")) {
            try {
                List<String> out = new ArrayList<>();
                for (var element : JSON.readTree(v)) {
                    if (!element.isValueNode()) {
                        throw new IllegalArgumentException("nested value");
                    }
                    out.add(element.asText());
                }
                return Optional.of(out);
            } catch (RuntimeException | java.io.IOException e) {
                problems.add("redis-ha:" + key + "=" + v + " is not valid: a list of strings");
                return Optional.empty();
            }
        }
        return Optional.of(v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*")));
    }

    /** Keys under redis-ha: that this program does not read; typos would otherwise be ignored silently. */
    public static List<String> unknownKeys(Map<String, String> config) {
        return config.keySet().stream().filter(k -> k.startsWith("redis-ha:"))
                .filter(k -> !KEYS.contains(k.substring("redis-ha:".length()))).sorted().toList();
    }
}
