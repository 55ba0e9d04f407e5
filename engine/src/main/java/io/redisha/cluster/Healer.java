package io.redisha.cluster;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Restores zone safety after failovers: plans with {@link HealPlan}, runs graceful CLUSTER FAILOVERs one at a time, re-checks. */
public final class Healer {
    private final Credentials credentials;
    private final Map<NodeAddress, String> zones;
    private final Duration timeout;

    public record Outcome(HealPlan.Result plan, List<String> done, CheckReport check) {
    }

    public Healer(Credentials credentials, Map<NodeAddress, String> zones, Duration timeout) {
        if (zones.isEmpty()) {
            throw new io.redisha.topology.InvalidInputException("zones", "(none)", "--zones HOST:PORT@ZONE for every node: heal restores the zones");
        }
        this.credentials = credentials;
        this.zones = Map.copyOf(zones);
        this.timeout = timeout;
    }

    /** The failovers that restore zone safety, from the live roles; changes nothing. */
    public HealPlan.Result plan(NodeAddress seed) {
        return plan(LiveCluster.load(seed, credentials));
    }

    /** The failovers that restore zone safety, from the loaded live roles; changes nothing. */
    public HealPlan.Result plan(LiveCluster live) {
        live.requireReachable("some members are unreachable; heal needs every node up (a failover needs its replica in sync)");
        List<HealPlan.Shard> shards = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (LiveCluster.Member m : live.members()) {
            if (!m.isMaster() || m.self().slotCount() == 0) {
                continue;
            }
            List<HealPlan.Node> replicas = live.members().stream()
                    .filter(r -> r.isReplica() && r.self().masterId().filter(m.id()::equals).isPresent() && !r.self().isFailing())
                    .map(this::node).flatMap(Optional::stream).toList();
            Optional<HealPlan.Node> master = node(m);
            if (master.isEmpty()) {
                unknown.add(m.address().toString());
            } else {
                shards.add(new HealPlan.Shard(master.get(), replicas));
            }
        }
        if (!unknown.isEmpty()) {
            throw new io.redisha.topology.InvalidInputException("zones", String.join(",", unknown), "a zone for every master (HOST:PORT@ZONE)");
        }
        return HealPlan.plan(new ArrayList<>(new TreeSet<>(zones.values())), shards);
    }

    private Optional<HealPlan.Node> node(LiveCluster.Member m) {
        return Optional.ofNullable(zones.get(m.address())).map(z -> new HealPlan.Node(m.id(), m.address().toString(), z));
    }

    public Outcome heal(NodeAddress seed, HealPlan.Result plan, Consumer<String> say) {
        List<String> done = new ArrayList<>();
        for (HealPlan.Failover f : plan.failovers()) {
            NodeAddress replica = NodeAddress.parse(f.replica().label());
            NodeAddress master = NodeAddress.parse(f.from().label());
            say.accept(f.toString());
            long start = System.nanoTime();
            new GracefulFailover(credentials, timeout).run(replica, master, seed, () -> { });
            done.add(f + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        CheckReport check = new Checker().check(List.of(seed), zones, credentials);
        return new Outcome(plan, done, check);
    }
}
