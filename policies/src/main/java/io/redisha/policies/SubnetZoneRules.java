package io.redisha.policies;

import io.redisha.topology.InputLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Managed Redis placed in subnets of at least 3 availability zones (the guide's zone spread, AWS's
 * Multi-AZ practice). The zones come from the subnets the stack declares, reached through the
 * subnet group (by property dependency or by name) and its subnet ids (by dependency or by id).
 * When a subnet is not declared in the stack or its zone is not known yet, nothing is judged.
 */
final class SubnetZoneRules {
    private SubnetZoneRules() {
    }

    /** The zones a managed Redis can place nodes in, with where they were read; empty when not resolvable. */
    record Placement(TreeSet<String> zones, String via) {
    }

    static Rule subnetsAcrossZones() {
        return new Rule("redis-subnets-across-zones",
                "Guide: spread nodes across availability zones; AWS practice (Multi-AZ): ElastiCache and MemoryDB subnet groups cover at least minZones zones.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minZones", InputLimits.ZONES.checklistMin(), "fewest availability zones the subnets must cover")),
                new Rule.Check.PerStack((stack, s) -> {
                    int min = s.integer("minZones");
                    List<Finding> findings = new ArrayList<>();
                    for (ResourceView r : ManagedRedis.in(stack)) {
                        if (ManagedRedis.isStandaloneCluster(r)) {
                            continue; // one node sits in one zone; elasticache-failover-multi-az says what to do
                        }
                        placement(stack, r).filter(p -> p.zones().size() < min).ifPresent(p -> findings.add(new Finding(r,
                                ManagedRedis.kind(r) + " " + r.label() + " can place nodes in " + p.zones().size() + " zone(s) " + p.zones()
                                        + " (" + p.via() + "), needs at least " + min + ". Fix: add subnets in " + (min - p.zones().size())
                                        + " more availability zone(s) to " + p.via() + ".")));
                    }
                    return findings;
                }));
    }

    static Optional<Placement> placement(StackView stack, ResourceView r) {
        if (ManagedRedis.isServerless(r)) {
            return zonesOf(stack, r, "subnetIds").map(z -> new Placement(z, "its subnetIds"));
        }
        String groupType = r.is(ResourceView.MEMORYDB_CLUSTER) ? ResourceView.MEMORYDB_SUBNET_GROUP : ResourceView.ELASTICACHE_SUBNET_GROUP;
        Optional<ResourceView> group = subnetGroup(stack, r, groupType);
        Optional<Placement> fromSubnets = group.flatMap(g -> zonesOf(stack, g, "subnetIds").map(z -> new Placement(z, "subnet group " + g.name())));
        if (fromSubnets.isPresent() || r.isUnknown("preferredCacheClusterAzs")) {
            return fromSubnets;
        }
        List<Object> preferred = r.list("preferredCacheClusterAzs");
        if (preferred.isEmpty()) {
            return Optional.empty();
        }
        TreeSet<String> zones = new TreeSet<>();
        preferred.forEach(z -> zones.add(String.valueOf(z)));
        return Optional.of(new Placement(zones, "its preferredCacheClusterAzs"));
    }

    private static Optional<ResourceView> subnetGroup(StackView stack, ResourceView r, String groupType) {
        List<String> byDependency = r.dependencies("subnetGroupName");
        Optional<String> name = r.string("subnetGroupName");
        return stack.ofType(groupType).stream()
                .filter(g -> byDependency.contains(g.urn()) || name.isPresent() && name.get().equals(g.string("name").orElse(g.name())))
                .findFirst();
    }

    /** The zones of the subnets listed under {@code property}; empty unless every one is resolved. */
    private static Optional<TreeSet<String>> zonesOf(StackView stack, ResourceView holder, String property) {
        if (holder.isUnknown(property)) {
            return resolve(stack, holder.dependencies(property), List.of());
        }
        List<String> ids = holder.list(property).stream().filter(String.class::isInstance).map(String.class::cast).toList();
        if (ids.isEmpty() && holder.dependencies(property).isEmpty()) {
            return Optional.empty();
        }
        return resolve(stack, holder.dependencies(property), ids);
    }

    private static Optional<TreeSet<String>> resolve(StackView stack, List<String> urns, List<String> ids) {
        List<ResourceView> subnets = stack.ofType(ResourceView.SUBNET).stream()
                .filter(sn -> urns.contains(sn.urn()) || !sn.id().isEmpty() && ids.contains(sn.id())).toList();
        int expected = Math.max(ids.size(), urns.size());
        if (subnets.isEmpty() || subnets.size() < expected) {
            return Optional.empty();
        }
        TreeSet<String> zones = new TreeSet<>();
        for (ResourceView subnet : subnets) {
            Optional<String> zone = subnet.string("availabilityZone").or(() -> subnet.string("availabilityZoneId"));
            if (zone.isEmpty()) {
                return Optional.empty();
            }
            zones.add(zone.get());
        }
        return Optional.of(zones);
    }
}
