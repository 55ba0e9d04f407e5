package io.redisha.local;

import io.redisha.backup.BackupManifest;
import io.redisha.backup.ObjectStore;
import io.redisha.backup.Restore;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Connections;
import io.redisha.server.RedisServerProcess;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * {@code redis-ha backup verify}: proves a backup restores, by restoring it into a scratch local
 * cluster (as many masters as the backup has shards, at least 3; no replicas) and comparing with
 * the manifest and the loaded snapshots (every value digested too), then stopping the scratch cluster and deleting its data.
 */
public final class BackupVerify {
    private BackupVerify() {
    }

    public static Restore.Result verify(ObjectStore backup, Path workDir, ClusterListener listener) {
        BackupManifest manifest = Restore.manifest(backup);
        Path dir;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(workDir), "redis-ha-verify-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder under " + workDir + ": " + e.getMessage(), e);
        }
        LocalCluster scratch = new LocalCluster(dir, new ClusterEngine());
        int masters = Math.max(3, manifest.shards().size());
        int base = RedisServerProcess.freeBasePort(masters);
        try {
            listener.info("scratch cluster of " + masters + " masters on 127.0.0.1:" + base + ".." + (base + masters - 1));
            scratch.up(new LocalCluster.Options(masters, 0, List.of("az-a", "az-b", "az-c"), base, Optional.empty(), ZoneLoss.ACCEPT_RISK),
                    listener);
            // The local nodes' 256 MB limit is for a developer's laptop, not for a backup of any size.
            for (LocalState.Node node : scratch.requireState().nodes()) {
                try (Jedis jedis = Connections.open(new NodeAddress("127.0.0.1", node.port()), scratch.credentials(), 10_000)) {
                    jedis.configSet("maxmemory", "0");
                }
            }
            return new Restore(scratch.credentials(), listener).run(backup, new NodeAddress("127.0.0.1", base),
                    new Restore.Options(false, workDir, true));
        } finally {
            scratch.down(ClusterListener.SILENT);
            for (int p = base; p < base + masters; p++) {
                RedisServerProcess.release(p);
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // An empty scratch folder left in the temporary directory.
            }
        }
    }
}
