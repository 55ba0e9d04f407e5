package io.redisha.policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Security-group rules: the client and cluster-bus ports are never open to the internet. */
final class NetworkRules {
    private static final List<String> OPEN = List.of("0.0.0.0/0", "::/0");

    private NetworkRules() {
    }

    static Rule noOpenRedisPorts() {
        return new Rule("redis-no-open-ports",
                "The Redis client port and cluster bus port (client + 10000) are never open to 0.0.0.0/0 or ::/0.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("clientPort", 6379, "the Redis client port; the bus port is this + 10000")),
                new Rule.Check.PerResource((r, s) -> {
                    int client = s.integer("clientPort");
                    List<Integer> ports = List.of(client, client + 10000);
                    List<Finding> findings = new ArrayList<>();
                    if (r.is(ResourceView.SECURITY_GROUP)) {
                        List<Object> ingress = r.list("ingress");
                        for (int i = 0; i < ingress.size(); i++) {
                            if (ingress.get(i) instanceof Map<?, ?> rule) {
                                check(r, "ingress[" + i + "]", rule, "protocol", "cidrBlocks", "ipv6CidrBlocks", ports, findings);
                            }
                        }
                    } else if (r.is(ResourceView.INGRESS_RULE)) {
                        check(r, "rule", r.properties(), "ipProtocol", "cidrIpv4", "cidrIpv6", ports, findings);
                    } else if (r.is(ResourceView.SECURITY_GROUP_RULE) && r.string("type").orElse("").equals("ingress")) {
                        check(r, "rule", r.properties(), "protocol", "cidrBlocks", "ipv6CidrBlocks", ports, findings);
                    }
                    return findings;
                }));
    }

    private static void check(ResourceView r, String where, Map<?, ?> rule, String protocolKey, String v4Key, String v6Key,
                              List<Integer> ports, List<Finding> findings) {
        List<String> open = new ArrayList<>();
        for (String key : List.of(v4Key, v6Key)) {
            Object value = rule.get(key);
            if (value instanceof String cidr && OPEN.contains(cidr.trim())) {
                open.add(cidr.trim());
            } else if (value instanceof List<?> cidrs) {
                cidrs.stream().filter(c -> c instanceof String str && OPEN.contains(str.trim())).forEach(c -> open.add(((String) c).trim()));
            }
        }
        if (open.isEmpty()) {
            return;
        }
        String protocol = String.valueOf(rule.get(protocolKey) == null ? "tcp" : rule.get(protocolKey)).toLowerCase(java.util.Locale.ROOT);
        boolean allProtocols = protocol.equals("-1") || protocol.equals("all");
        if (!allProtocols && !protocol.equals("tcp") && !protocol.equals("6")) {
            return;
        }
        Optional<Long> from = asLong(rule.get("fromPort"));
        Optional<Long> to = asLong(rule.get("toPort"));
        List<Integer> exposed = ports.stream().filter(p -> allProtocols || from.isEmpty() || to.isEmpty()
                || (from.get() <= p && p <= to.get()) || (from.get() == 0 && to.get() == 0) || (from.get() == -1)).toList();
        if (!exposed.isEmpty()) {
            findings.add(new Finding(r, r.label() + " " + where + " opens port(s) " + exposed + " to " + String.join(", ", open)
                    + ". Fix: allow the Redis ports only from the cluster's own security group and your clients' security group or VPC CIDR, never from "
                    + String.join(" or ", OPEN) + "."));
        }
    }

    private static Optional<Long> asLong(Object value) {
        if (value instanceof Number n) {
            return Optional.of(n.longValue());
        }
        if (value instanceof String s && s.matches("-?\\d+")) {
            return Optional.of(Long.parseLong(s));
        }
        return Optional.empty();
    }
}
