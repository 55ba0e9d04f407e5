package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's Step 6 on a 'local up' 3x1 cluster over three zones, measured: kill a master under a
 * writer, its replica in the next zone takes over, the old master returns as a replica; that zone
 * now holds two masters and check fails zone safety; heal promotes the old master back with one
 * graceful failover and check passes with zones. Then a whole zone is lost and comes back.
 */
class DrillAndHealTest {

    private static CliTest.Run local(Path dir, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--dir";
        all[args.length + 1] = dir.toString();
        return CliTest.run(all);
    }

    @Test
    @Tag(Servers.MATRIX_TAG)
    void killAMasterThenHealRestoresOneMasterPerZoneThenLoseAZone(@TempDir Path tmp) {
        Path dir = tmp.resolve("local");
        int base = RedisNodes.freeBasePort(6);
        try {
            CliTest.Run up = local(dir, "local", "up", "--base-port", Integer.toString(base), "--json");
            assertEquals(0, up.exit(), up.err());

            CliTest.Run drill = local(dir, "local", "drill", "--mode", "kill", "--json");
            assertEquals(0, drill.exit(), drill.out() + drill.err());
            JsonNode report = drill.json().get("report");
            JsonNode failover = report.get("failovers").get(0);
            assertEquals("127.0.0.1:" + base, failover.get("oldMaster").asText(), "the master with the lowest address is the default target");
            assertTrue(failover.get("promoted").isTextual(), report.toString());
            assertNotEquals(failover.get("oldMasterZone").asText(), failover.get("promotedZone").asText());
            assertTrue(report.get("recoveryMillis").asLong() > 0);
            assertEquals(0, report.get("lostWritesCount").asLong(), report.toString());
            assertTrue(report.get("writesAcknowledged").asLong() > 0);
            assertEquals(1, report.get("rejoined").size(), report.toString());
            // The drill passed, and it says that it left the zones unsafe and what to run.
            assertFalse(drill.json().get("zoneSafeAfterDrill").asBoolean(), drill.out());
            assertTrue(drill.json().get("next").asText().contains("redis-ha local heal"), drill.out());

            // The promoted replica's zone now holds two masters: losing it would leave 1 of 3, no majority.
            CliTest.Run skewed = local(dir, "local", "status", "--json");
            assertEquals(1, skewed.exit(), skewed.out());
            assertTrue(skewed.json().get("summary").get("zoneSafety").asText().startsWith("does NOT survive"), skewed.out());

            CliTest.Run dry = local(dir, "local", "heal", "--dry-run", "--json");
            assertEquals(0, dry.exit(), dry.out() + dry.err());
            assertEquals(1, dry.json().get("failovers").size(), dry.out());
            assertEquals("127.0.0.1:" + base, dry.json().get("failovers").get(0).get("promote").asText());
            assertEquals(failover.get("promoted").asText(), dry.json().get("failovers").get(0).get("demote").asText());

            CliTest.Run heal = local(dir, "local", "heal", "--json");
            assertEquals(0, heal.exit(), heal.out() + heal.err());
            assertTrue(heal.json().get("ok").asBoolean());
            CliTest.Run healed = local(dir, "local", "status", "--json");
            assertEquals(0, healed.exit(), healed.out());
            assertTrue(healed.json().get("summary").get("zoneSafety").asText().startsWith("survives the loss of any one zone"), healed.out());
            assertEquals(0, local(dir, "local", "heal", "--json").json().get("failovers").size(), "a second heal has nothing to do");

            CliTest.Run zone = local(dir, "local", "drill", "--mode", "zone", "--zone", "az-b", "--heal", "--json");
            assertEquals(0, zone.exit(), zone.out() + zone.err());
            JsonNode zoneReport = zone.json().get("report");
            assertEquals(2, zoneReport.get("targets").size(), zoneReport.toString());
            assertEquals(2, zoneReport.get("rejoined").size(), zoneReport.toString());
            assertEquals(0, zoneReport.get("lostWritesCount").asLong());
            assertNotEquals("az-b", zoneReport.get("failovers").get(0).get("promotedZone").asText());
            // --heal put the masters back one per zone right after the drill.
            assertFalse(zone.json().get("zoneSafeAfterDrill").asBoolean(), zone.out());
            assertEquals(1, zone.json().get("healed").size(), zone.out());
            assertTrue(zone.json().get("zoneSafetyAfterHeal").asText().startsWith("survives the loss of any one zone"), zone.out());
            assertEquals(0, local(dir, "local", "heal", "--json").json().get("failovers").size(), "nothing left to heal");
            assertEquals(0, local(dir, "local", "status").exit());
        } finally {
            local(dir, "local", "down");
        }
    }

    @Test
    void remoteKillIsRefusedWithoutAllowShutdownAndNothingIsStopped() {
        try (RedisNodes nodes = RedisNodes.nodes(6).start()) {
            io.redisha.topology.Placement placement = io.redisha.topology.Planner.assign(nodes.zoned(java.util.List.of("az-a", "az-b", "az-c")),
                    1, io.redisha.topology.ZoneLoss.MUST_SURVIVE, java.util.Optional.empty());
            new io.redisha.cluster.ClusterEngine().converge(placement, io.redisha.cluster.transport.Credentials.none(), io.redisha.cluster.model.ClusterListener.SILENT);
            CliTest.Run refused = CliTest.run("drill", nodes.address(0).toString(), "--mode", "kill");
            assertEquals(2, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("--allow-shutdown") && refused.err().contains("SHUTDOWN NOSAVE"), refused.err());
            for (int i = 0; i < 6; i++) {
                try (redis.clients.jedis.Jedis jedis = nodes.jedis(i)) {
                    assertEquals("PONG", jedis.ping(), "node " + i + " must still run");
                }
            }
        }
    }
}
