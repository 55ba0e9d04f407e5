package io.redisha.it;

import io.lettuce.core.ReadFrom;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.models.role.RedisNodeDescription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lettuce reads from the nodes of the client's own zone, by the zone map redis-ha publishes
 * ({@code zoneMap} output of the component, {@code local up --json}): address {@code host:port} to zone.
 * Preference, first to last: replicas in the client's zone, the master if it is in the client's zone,
 * replicas in other zones, the master. Nodes the cluster flags as failing are left out, so reads fall back
 * as soon as the client's topology shows the failure. Shown as is in docs/versions.md.
 *
 * <pre>client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
 *         .enablePeriodicRefresh(Duration.ofSeconds(10)).enableAllAdaptiveRefreshTriggers().build()).build());
 * connection.setReadFrom(new SameZoneReadFrom(zoneMap, "us-east-1b"));</pre>
 */
public final class SameZoneReadFrom extends ReadFrom {
    private final Map<String, String> zoneByAddress;
    private final String clientZone;

    public SameZoneReadFrom(Map<String, String> zoneByAddress, String clientZone) {
        this.zoneByAddress = Map.copyOf(zoneByAddress);
        this.clientZone = clientZone;
    }

    @Override
    public List<RedisNodeDescription> select(Nodes nodes) {
        List<RedisNodeDescription> healthy = new ArrayList<>();
        for (RedisNodeDescription node : nodes) {
            if (!(node instanceof RedisClusterNode n) || !(n.is(RedisClusterNode.NodeFlag.FAIL) || n.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL))) {
                healthy.add(node);
            }
        }
        healthy.sort(Comparator.comparingInt(this::rank));
        return healthy;
    }

    /** 0 same-zone replica, 1 same-zone master, 2 other replica, 3 other master. */
    private int rank(RedisNodeDescription node) {
        boolean sameZone = clientZone.equals(zoneByAddress.get(node.getUri().getHost() + ":" + node.getUri().getPort()));
        boolean replica = node.getRole().isReplica();
        return (sameZone ? 0 : 2) + (replica ? 0 : 1);
    }

    /** The first node in the list is the one to read from; the rest are the fallbacks, in order. */
    @Override
    protected boolean isOrderSensitive() {
        return true;
    }
}
