package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisha.cluster.monitor.ClusterMetrics;
import io.redisha.topology.NodeAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local cluster grown by {@code create} to 4 masters over 3 zones (2 in az-a): zone safety must be
 * judged on every member, and a zone map that misses members makes it unknown, never "survives".
 */
class PartialZoneMapTest {

    @Test
    void aGrownLocalClusterIsJudgedOnEveryMemberAndAPartialZoneMapIsUnknown(@TempDir Path dir) {
        int base = RedisNodes.freeBasePort(6);
        CliTest.Run up = CliTest.run("local", "up", "--base-port", Integer.toString(base), "--dir", dir.toString(), "--json");
        try (RedisNodes extra = RedisNodes.nodes(2).start()) {
            assertEquals(0, up.exit(), up.err() + up.out());
            List<String> original = new ArrayList<>();
            up.json().get("nodes").forEach(n -> original.add("127.0.0.1:" + n.get("port").asInt() + "@" + n.get("zone").asText()));
            // Shard 3 of a 3-zone rotation: master in az-a, replica in az-b.
            List<String> grown = new ArrayList<>(original);
            grown.add(extra.address(0) + "@az-a");
            grown.add(extra.address(1) + "@az-b");

            List<String> create = new ArrayList<>(List.of("create"));
            create.addAll(grown);
            create.addAll(List.of("--replicas", "1", "--accept-zone-loss-risk", "--json"));
            CliTest.Run grow = CliTest.run(create.toArray(String[]::new));
            assertEquals(0, grow.exit(), grow.err());

            // 1. local status knows the two new members and their zones: 2 of 4 masters in az-a do not survive.
            CliTest.Run status = CliTest.run("local", "status", "--dir", dir.toString());
            assertEquals(1, status.exit(), status.out());
            assertTrue(status.out().contains("does NOT survive"), status.out());
            assertFalse(status.out().contains("survives the loss of any one zone"), status.out());
            assertTrue(status.out().contains("8 nodes (8 reachable), 4 masters, 4 replicas"), status.out());

            // 2. check and metrics given the zones of only the 6 original nodes: unknown, a FAIL, exit 1.
            String partial = String.join(",", original);
            String seed = original.get(0).substring(0, original.get(0).indexOf('@'));
            CliTest.Run check = CliTest.run("check", seed, "--zones", partial);
            assertEquals(1, check.exit(), check.out());
            assertTrue(check.out().contains("FAIL") && check.out().contains("zone safety UNKNOWN: no zone given for 2 nodes"), check.out());
            assertFalse(check.out().contains("survives"), check.out());

            CliTest.Run metrics = CliTest.run("metrics", seed, "--zones", partial, "--json");
            assertEquals(1, metrics.exit(), metrics.out());
            JsonNode values = metrics.json().get("metrics");
            assertEquals(ClusterMetrics.ZONE_SAFETY_UNKNOWN, values.get("SurvivesZoneLoss").asInt(), metrics.out());
            assertFalse(metrics.json().get("ok").asBoolean());

            // 3. Shrinking back to the 6 nodes 'local up' started: the state follows, and status passes again.
            List<String> shrink = new ArrayList<>(List.of("create"));
            shrink.addAll(original);
            shrink.addAll(List.of("--replicas", "1", "--json"));
            CliTest.Run back = CliTest.run(shrink.toArray(String[]::new));
            assertEquals(0, back.exit(), back.err());
            CliTest.Run healthy = CliTest.run("local", "status", "--dir", dir.toString(), "--json");
            assertEquals(0, healthy.exit(), healthy.out());
            assertEquals(6, healthy.json().at("/summary/nodes").asInt(), healthy.out());
            String zones = healthy.json().at("/summary/zoneSafety").asText();
            assertTrue(zones.startsWith("survives the loss of any one zone"), zones);
            assertEquals(List.of(), notStopped(extra), "the added nodes are the test's own, still running");
        } finally {
            CliTest.Run down = CliTest.run("local", "down", "--dir", dir.toString());
            assertEquals(0, down.exit(), down.err());
        }
    }

    private static List<NodeAddress> notStopped(RedisNodes extra) {
        return extra.addresses().stream().filter(a -> RedisNodes.free(a.port())).collect(Collectors.toList());
    }
}
