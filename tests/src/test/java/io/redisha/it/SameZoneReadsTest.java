package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Same-zone reads with the published zone map: a Lettuce client placed in zone az-b reads a shard's keys
 * only from that shard's replica in az-b while it is healthy, and from the shard's master in another zone
 * once the replica is dead and the cluster says so. Which node served each read is counted by the nodes
 * themselves (INFO commandstats, GET calls).
 */
class SameZoneReadsTest {
    private static final String CLIENT_ZONE = "az-b";

    private static long getCalls(RedisNodes nodes, NodeAddress address) {
        String calls = Live.info(nodes, address, "commandstats").getOrDefault("cmdstat_get", "calls=0,");
        return Long.parseLong(calls.substring(calls.indexOf("calls=") + 6, calls.indexOf(',', calls.indexOf("calls="))));
    }

    private static Map<NodeAddress, Long> getCalls(RedisNodes nodes, List<NodeAddress> addresses) {
        Map<NodeAddress, Long> calls = new LinkedHashMap<>();
        addresses.forEach(a -> calls.put(a, getCalls(nodes, a)));
        return calls;
    }

    /** How many GETs each node served while {@code reads} ran. */
    private static Map<NodeAddress, Long> served(RedisNodes nodes, List<NodeAddress> addresses, Runnable reads) {
        Map<NodeAddress, Long> before = getCalls(nodes, addresses);
        reads.run();
        Map<NodeAddress, Long> served = new LinkedHashMap<>();
        getCalls(nodes, addresses).forEach((a, n) -> served.put(a, n - before.get(a)));
        return served;
    }

    @Test
    void aClientInZoneBReadsOnlyFromZoneBsReplicaWhileHealthyAndFallsBackWhenItIsNot() {
        try (RedisNodes nodes = RedisNodes.nodes(6).start()) {
            Placement placement = Planner.assign(nodes.zoned(List.of("az-a", CLIENT_ZONE, "az-c")), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
            new ClusterEngine().converge(placement, Credentials.none(), ClusterListener.SILENT);
            Map<String, String> zoneMap = new LinkedHashMap<>();
            placement.zoneByAddress().forEach((a, z) -> zoneMap.put(a.toString(), z));

            LiveCluster live = LiveCluster.load(nodes.address(0), Credentials.none());
            LiveCluster.Member replica = live.members().stream()
                    .filter(m -> m.isReplica() && CLIENT_ZONE.equals(zoneMap.get(m.address().toString()))).findFirst().orElseThrow();
            LiveCluster.Member master = live.members().stream().filter(m -> m.id().equals(replica.self().masterId().orElseThrow())).findFirst().orElseThrow();
            assertNotEquals(CLIENT_ZONE, zoneMap.get(master.address().toString()), "the planner keeps a replica out of its master's zone");
            Set<Integer> slots = master.self().slots().stream().flatMap(r -> java.util.stream.IntStream.rangeClosed(r.first(), r.last()).boxed())
                    .collect(Collectors.toSet());
            List<String> keys = new ArrayList<>();
            for (int i = 0; keys.size() < 200; i++) {
                if (slots.contains(JedisClusterCRC16.getSlot("key:" + i))) {
                    keys.add("key:" + i);
                }
            }

            RedisClusterClient client = RedisClusterClient.create(RedisURI.create(nodes.address(0).host(), nodes.address(0).port()));
            client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(1)).enableAllAdaptiveRefreshTriggers().build()).build());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                connection.setReadFrom(new SameZoneReadFrom(zoneMap, CLIENT_ZONE));
                keys.forEach(k -> connection.sync().set(k, "v-" + k));
                try (Jedis m = nodes.jedis(master.address())) {
                    assertEquals(1L, m.waitReplicas(1, 10_000), "the replica has every write before the reads");
                }
                Runnable reads = () -> keys.forEach(k -> assertEquals("v-" + k, connection.sync().get(k), k));

                // Lettuce reads from the first of SameZoneReadFrom's nodes whose connection is open, else the
                // next: until its read connection to the replica has opened, a read may go to the master. Warm up.
                for (int round = 0; round < 50 && served(nodes, List.of(replica.address()), () -> connection.sync().get(keys.get(0)))
                        .get(replica.address()) == 0; round++) {
                    try { Thread.sleep(100); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                }
                // Healthy: every read lands on the replica in the client's zone, none anywhere else.
                Map<NodeAddress, Long> healthy = served(nodes, nodes.addresses(), reads);
                Map<NodeAddress, Long> expected = new LinkedHashMap<>();
                nodes.addresses().forEach(a -> expected.put(a, a.equals(replica.address()) ? (long) keys.size() : 0L));
                assertEquals(expected, healthy, "GETs served per node with the replica in " + CLIENT_ZONE + " healthy");

                // The replica dies; once the cluster flags it failed, reads fall back to the shard's master.
                ProcessHandle.of(nodes.pid(nodes.addresses().indexOf(replica.address()))).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
                Live.await("the cluster flags " + replica.address() + " failed", () -> {
                    try (Jedis m = nodes.jedis(master.address())) {
                        return m.clusterNodes().lines().filter(l -> l.startsWith(replica.id() + " "))
                                .anyMatch(l -> List.of(l.split(" ")[2].split(",")).contains("fail"));
                    }
                });
                client.refreshPartitions();
                List<NodeAddress> alive = nodes.addresses().stream().filter(a -> !a.equals(replica.address())).toList();
                Map<NodeAddress, Long> fallback = served(nodes, alive, reads);
                Map<NodeAddress, Long> expectedFallback = new LinkedHashMap<>();
                alive.forEach(a -> expectedFallback.put(a, a.equals(master.address()) ? (long) keys.size() : 0L));
                assertEquals(expectedFallback, fallback, "GETs served per node with the replica in " + CLIENT_ZONE + " dead");
            } finally {
                client.shutdown();
            }
        }
    }
}
