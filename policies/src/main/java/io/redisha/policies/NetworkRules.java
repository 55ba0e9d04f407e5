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
                "Guide step 1 binds 0.0.0.0; AWS practice keeps data stores off the internet: no security group rule opens a Redis client port or its cluster bus port (client + 10000) to 0.0.0.0/0 or ::/0.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("clientPort", 6379, "the Redis client port; the bus port is this + 10000"),
                        ConfigProperty.strings("otherClientPorts", List.of("7000-7005"),
                                "more Redis client ports or ranges (the guide's 7000-7005); each one's bus port is judged too")),
                new Rule.Check.PerResource((r, s) -> {
                    List<Integer> ports = redisPorts(s);
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

    /** Every client port and its bus port (+10000), in order. */
    static List<Integer> redisPorts(Settings s) {
        java.util.TreeSet<Integer> clients = new java.util.TreeSet<>();
        clients.add(s.integer("clientPort"));
        for (String range : s.strings("otherClientPorts")) {
            String[] ends = range.trim().split("-", 2);
            if (!ends[0].matches("\\d+") || ends.length == 2 && !ends[1].matches("\\d+")) {
                throw new IllegalArgumentException("policy config otherClientPorts=" + range + " is not valid: a port or a range like 7000-7005");
            }
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            for (int port = from; port <= to && port - from < 1000; port++) {
                clients.add(port);
            }
        }
        List<Integer> ports = new ArrayList<>(clients);
        clients.forEach(c -> ports.add(c + 10000));
        return ports;
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
        Optional<Long> from = ResourceView.asLong(rule.get("fromPort"));
        Optional<Long> to = ResourceView.asLong(rule.get("toPort"));
        List<Integer> exposed = ports.stream().filter(p -> allProtocols || from.isEmpty() || to.isEmpty()
                || (from.get() <= p && p <= to.get()) || (from.get() == 0 && to.get() == 0) || (from.get() == -1)).toList();
        if (!exposed.isEmpty()) {
            findings.add(new Finding(r, r.label() + " " + where + " opens Redis port(s) " + ranges(exposed) + " to " + String.join(", ", open)
                    + ". Fix: allow the Redis ports only from the cluster's own security group and your clients' security group or VPC CIDR, never from "
                    + String.join(" or ", OPEN) + "."));
        }
    }

    /** {@code 6379, 7000-7005, 16379, 17000-17005}: consecutive ports as ranges. */
    static String ranges(List<Integer> ports) {
        List<Integer> sorted = ports.stream().sorted().distinct().toList();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            int start = sorted.get(i);
            while (i + 1 < sorted.size() && sorted.get(i + 1) == sorted.get(i) + 1) {
                i++;
            }
            parts.add(start == sorted.get(i) ? Integer.toString(start) : start + "-" + sorted.get(i));
        }
        return String.join(", ", parts);
    }
}
