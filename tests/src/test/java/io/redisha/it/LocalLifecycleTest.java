package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.local.LocalCluster;
import io.redisha.local.Processes;
import io.redisha.topology.ZoneLoss;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** {@code local up/status/down} as a new user meets them: other options refused, any directory works, down stops all at once. */
class LocalLifecycleTest {

    @Test
    void upRefusesOtherOptionsStatusWorksFromAnyDirectoryAndDownStopsAllAtOnce(@TempDir Path tmp) {
        Path dir = tmp.resolve("cluster");
        Path elsewhere = tmp.resolve("elsewhere");
        int base = RedisNodes.freeBasePort(6);
        LocalCluster local = new LocalCluster(dir, new ClusterEngine());
        local.up(new LocalCluster.Options(3, 1, List.of("az-a", "az-b", "az-c"), base, Optional.empty(), ZoneLoss.MUST_SURVIVE,
                false, 7000, 0, Optional.empty()), ClusterListener.SILENT);
        LocalCluster.DownResult down = null;
        try {
            // The renderer honours the node timeout (the component's nodeTimeoutMs), kept after formation lowered it.
            for (var node : local.state().orElseThrow().nodes()) {
                try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                    assertEquals("7000", jedis.configGet("cluster-node-timeout").get("cluster-node-timeout"), node.name());
                }
            }
            // Item 11: the same command again is fine; other options are refused and named.
            CliTest.Run same = CliTest.run("local", "up", "--dir", dir.toString(), "--base-port", Integer.toString(base));
            assertEquals(0, same.exit(), same.err());
            assertTrue(same.out().contains("Already up"), same.out());
            CliTest.Run other = CliTest.run("local", "up", "--dir", dir.toString(), "--masters", "5", "--base-port", Integer.toString(base + 100),
                    "--node-timeout-ms", "9000");
            assertEquals(2, other.exit(), other.out() + other.err());
            assertTrue(other.err().contains("--masters 5 (running: 3)") && other.err().contains("--base-port " + (base + 100)
                    + " (running: " + base + ")") && other.err().contains("--node-timeout-ms 9000 (running: 7000)")
                    && other.err().contains("local down"), other.err());

            // Item 12: status from another directory, no --dir: found through the registry 'local up' wrote.
            assertTrue(tmp.resolve("elsewhere").toFile().mkdirs());
            Jar.Result status = Jar.runIn(elsewhere, Map.of(), "local", "status");
            assertEquals(0, status.exit(), status.both());
            assertTrue(status.out().contains("Cluster OK: 6 nodes"), status.both());
        } finally {
            down = local.down(ClusterListener.SILENT);
        }
        // Item 10: every node was signalled before the first one was gone, so down takes about one node's stop time.
        assertEquals(6, down.stopped().size());
        long lastSignal = down.stopped().stream().mapToLong(LocalCluster.Stopped::signalledNanos).max().orElseThrow();
        long firstGone = down.stopped().stream().mapToLong(LocalCluster.Stopped::goneNanos).min().orElseThrow();
        assertTrue(lastSignal <= firstGone, "nodes were stopped one after another");
        // Exited; init may reap the daemon later (a zombie holds no port and no file).
        down.stopped().forEach(s -> assertFalse(Processes.alive(s.node().pid()), s.node().name() + " still runs"));
        Jar.Result none = Jar.runIn(elsewhere, Map.of(), "local", "status");
        assertEquals(1, none.exit(), none.both());
    }
}
