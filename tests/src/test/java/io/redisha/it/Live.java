package io.redisha.it;

import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.topology.NodeAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;

/** Facts read straight from the nodes, independent of the engine under test. */
final class Live {
    /** Every CLUSTER subcommand that changes cluster state. */
    private static final Set<String> MUTATIONS = Set.of("meet", "addslots", "addslotsrange", "delslots", "delslotsrange",
            "replicate", "set-config-epoch", "setslot", "forget", "reset", "failover", "bumpepoch", "flushslots");

    private Live() {
    }

    /** Knows only itself and owns no slots: untouched by any cluster command. */
    static boolean fresh(RedisNodes nodes, NodeAddress address) {
        try (Jedis jedis = nodes.jedis(address)) {
            MemberView view = MemberView.parse(jedis.clusterNodes());
            return view.knowsOnlyItself() && view.myself().slots().isEmpty() && view.myself().configEpoch() == 0;
        }
    }

    static void assertAllFresh(RedisNodes nodes, List<NodeAddress> addresses) {
        for (NodeAddress address : addresses) {
            if (!fresh(nodes, address)) {
                throw new AssertionError(address + " was touched: it is no longer a fresh node");
            }
        }
    }

    /** Sum of cluster-mutating commands the nodes have executed, from INFO commandstats. */
    static long mutations(RedisNodes nodes) {
        long total = 0;
        for (NodeAddress address : nodes.addresses()) {
            try (Jedis jedis = nodes.jedis(address)) {
                for (String line : jedis.info("commandstats").split("\r?\n")) {
                    if (line.startsWith("cmdstat_cluster|")) {
                        String sub = line.substring("cmdstat_cluster|".length(), line.indexOf(':'));
                        if (MUTATIONS.contains(sub)) {
                            String calls = line.substring(line.indexOf("calls=") + 6);
                            total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
                        }
                    }
                }
            }
        }
        return total;
    }

    /**
     * Leaves a key on a node that still knows only itself: a cluster node serves keys only in its
     * own slots, so it takes the key's slot, stores the key and gives the slot back.
     */
    static void putKeyOnLoneNode(RedisNodes nodes, NodeAddress address, String key, String value) {
        int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot(key);
        try (Jedis jedis = nodes.jedis(address)) {
            // With one slot of 16384 the node reports the cluster down unless full coverage is waived.
            jedis.configSet("cluster-require-full-coverage", "no");
            jedis.clusterAddSlots(slot);
            // The node reports the cluster ok only from its next cron run (and not within 2 s of its start).
            await("the lone node accepts writes to its slot", () -> {
                try {
                    jedis.set(key, value);
                    return true;
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    return false;
                }
            });
            jedis.clusterDelSlots(slot);
            jedis.configSet("cluster-require-full-coverage", "yes");
        }
    }

    /** Polls every 20 ms for up to 20 s: waits on a condition, never a fixed sleep. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            RedisNodes.sleep(20);
        }
    }

    static MemberView view(RedisNodes nodes, NodeAddress address) {
        try (Jedis jedis = nodes.jedis(address)) {
            return MemberView.parse(jedis.clusterNodes());
        }
    }

    static String myId(RedisNodes nodes, NodeAddress address) {
        return view(nodes, address).myself().id();
    }

    static Map<String, String> info(RedisNodes nodes, NodeAddress address, String section) {
        try (Jedis jedis = nodes.jedis(address)) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String line : jedis.info(section).split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            return fields;
        }
    }
}
