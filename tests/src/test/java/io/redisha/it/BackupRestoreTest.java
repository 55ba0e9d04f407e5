package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Backup and restore through the shipped CLI on real redis-server clusters: a 3x1 cluster holding
 * 200,000 keys of every type, backed up while a writer runs, restored into 5x1 with every key
 * equal; the refusals that touch nothing; and a failover while a shard's snapshot is being taken.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    private static final int KEYS = 200_000;
    private static final int SMALL = 20_000;
    private static RedisNodes source;
    private static RedisNodes target;
    private static Dataset data;
    @TempDir
    static Path backups;
    private static Path backup;

    @BeforeAll
    static void clusters() {
        source = RedisNodes.nodes(6).start();
        target = RedisNodes.nodes(10).start();
        form(source, 1);
        form(target, 1);
        data = new Dataset(source.addresses(), KEYS).load();
    }

    @AfterAll
    static void stop() {
        if (data != null) {
            data.close();
        }
        for (RedisNodes n : new RedisNodes[] {source, target}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private static void form(RedisNodes nodes, int replicas) {
        new ClusterEngine().converge(Resharding.assign(nodes.zoned(ZONES), replicas, ZoneLoss.MUST_SURVIVE, Credentials.none()),
                Credentials.none(), ClusterListener.SILENT);
    }

    private static JsonNode json(Jar.Result r) throws Exception {
        assertEquals(0, r.exit(), r.both());
        return JSON.readTree(r.out());
    }

    @Test
    @Order(1)
    void backupWhileWritingRestoresIntoFiveMastersWithEveryKeyEqual() throws Exception {
        data.startWriter();
        Jar.Result backed;
        try {
            backed = Jar.run(Map.of(), "backup", source.address(0).toString(), "--to", backups.toString(), "--json");
        } finally {
            long writes = data.stopWriter();
            assertTrue(writes > 0, "the writer wrote during the backup");
        }
        JsonNode manifest = json(backed).get("manifest");
        backup = Path.of(json(backed).get("location").asText());
        assertEquals(3, manifest.get("shards").size());
        for (JsonNode shard : manifest.get("shards")) {
            assertEquals("replica", shard.get("sourceRole").asText(), "never a master while a replica is healthy: " + shard);
            assertEquals(shard.get("bytes").asLong(), Files.size(backup.resolve(shard.get("object").asText())));
        }
        long manifestKeys = 0;
        for (JsonNode shard : manifest.get("shards")) {
            manifestKeys += shard.get("keys").asLong();
        }
        assertTrue(manifestKeys >= KEYS, "manifest counts " + manifestKeys);

        JsonNode restored = json(Jar.run(Map.of(), "restore", backup.toString(), "--into", target.address(0).toString(), "--json"));
        assertEquals(manifestKeys, restored.get("keysRestored").asLong(), restored.toString());
        assertEquals("KEYS_EXPIRIES", restored.get("compared").asText(), restored.toString());

        // Read back independently of the engine: every key of the snapshot, its type and value (DUMP) and expiry.
        long targetKeys = 0;
        for (NodeAddress a : target.addresses()) {
            try (Jedis j = target.jedis(a)) {
                if (j.info("replication").contains("role:master")) {
                    targetKeys += j.dbSize();
                }
            }
        }
        assertEquals(manifestKeys, targetKeys, "keys in the 5 masters");
        Map<String, Dataset.Snapshot> before = data.read(data.names());
        try (Dataset restoredData = new Dataset(target.addresses(), KEYS)) {
            Map<String, Dataset.Snapshot> after = restoredData.read(data.names());
            int withTtl = 0;
            for (String k : data.names()) {
                Dataset.Snapshot b = before.get(k);
                Dataset.Snapshot r = after.get(k);
                assertNotNull(r.dump(), k + " missing after the restore");
                assertArrayEquals(b.dump(), r.dump(), k + " differs");
                assertEquals(b.members(), r.members(), k + " differs");
                assertTrue(Math.abs(b.expiresAt() - r.expiresAt()) <= 1000, k + " expiry " + b.expiresAt() + " became " + r.expiresAt());
                withTtl += b.expiresAt() > 0 ? 1 : 0;
            }
            assertEquals(KEYS / 5, withTtl);
            // The writer's keys in the snapshot are the values it wrote (the snapshot is a state the shard was in).
            long writerKeys = manifestKeys - KEYS;
            assertTrue(writerKeys >= 0);
            for (int n = 0; n < Math.min(writerKeys, 2000); n++) {
                String value = restoredData.get("w:" + n);
                assertTrue(value == null || value.equals(Integer.toString(n)), "w:" + n + " = " + value);
            }
        }
        // 5 masters, each with keys: the backup's 3 shards were spread over the new shape.
        for (NodeAddress a : target.addresses()) {
            try (Jedis j = target.jedis(a)) {
                assertTrue(j.dbSize() > 0, a + " holds no key");
            }
        }
    }

    @Test
    @Order(2)
    void refusalsTouchNothing() throws Exception {
        // Non-empty target.
        Jar.Result nonEmpty = Jar.run(Map.of(), "restore", backup.toString(), "--into", target.address(0).toString());
        assertEquals(1, nonEmpty.exit(), nonEmpty.both());
        assertTrue(nonEmpty.err().contains("holds keys") && nonEmpty.err().contains("--allow-non-empty"), nonEmpty.err());

        flushMasters(target);
        // A corrupt object: one byte flipped.
        Path corrupt = copy(backup, "corrupt");
        Path shard = corrupt.resolve("shard-1.rdb");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(shard, bytes);
        assertRefusedUntouched(corrupt, "shard-1.rdb is corrupt");

        // A missing object.
        Path missing = copy(backup, "missing");
        Files.delete(missing.resolve("shard-2.rdb"));
        assertRefusedUntouched(missing, "shard-2.rdb does not exist");

        // No manifest: an unfinished backup.
        Path unfinished = copy(backup, "unfinished");
        Files.delete(unfinished.resolve("manifest.json"));
        assertRefusedUntouched(unfinished, "manifest.json does not exist");

        // A snapshot in a newer RDB format than the target's Redis (7.0 reads up to 10).
        Path newer = copy(backup, "newer");
        ObjectNode manifest = (ObjectNode) JSON.readTree(newer.resolve("manifest.json").toFile());
        manifest.put("redisVersion", "7.4.2");
        manifest.withArray("shards").forEach(s -> ((ObjectNode) s).put("rdbVersion", 12).put("redisVersion", "7.4.2"));
        Files.write(newer.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        assertRefusedUntouched(newer, "RDB format 12");
    }

    @Test
    @Order(3)
    void verifyRestoresIntoAScratchCluster() throws Exception {
        // From here on a smaller dataset keeps the suite short: 20,000 keys of every type, no writer.
        flushMasters(source);
        new Dataset(source.addresses(), SMALL).load().close();
        Path small = Path.of(json(Jar.run(Map.of(), "backup", source.address(0).toString(), "--to", backups.resolve("small").toString(), "--json"))
                .get("location").asText());
        JsonNode verified = json(Jar.run(Map.of(), "backup", "verify", small.toString(), "--json"));
        assertEquals("KEYS_VALUES_EXPIRIES", verified.get("compared").asText(), verified.toString());
        assertEquals(SMALL, verified.get("manifestKeys").asLong());
        assertEquals(SMALL, verified.get("keysRestored").asLong());
    }

    @Test
    @Order(4)
    void failoverDuringTheSnapshotCompletesFromTheNewTopologyOrFailsClearly() throws Exception {
        Path folder = backups.resolve("failover");
        Jar.Result r = backupWhileItsSourceIs(folder, replica -> {
            try (Jedis j = source.jedis(replica)) {
                j.clusterFailover();
            }
        });
        if (r.exit() == 0) {
            JsonNode verified = json(Jar.run(Map.of(), "backup", "verify", json(r).get("location").asText(), "--json"));
            assertEquals(SMALL, verified.get("manifestKeys").asLong());
            assertEquals(SMALL, verified.get("keysRestored").asLong());
        } else {
            assertEquals(1, r.exit(), r.both());
            assertTrue(r.err().contains("no manifest written"), r.err());
            assertNoManifest(folder);
            System.out.println("backup during a failover failed as allowed: " + r.err());
        }

        // The source of a shard killed mid-way: the shard has no healthy replica left, so the backup fails, without a manifest.
        Path killedFolder = backups.resolve("killed");
        Jar.Result killed = backupWhileItsSourceIs(killedFolder, source::kill);
        assertEquals(1, killed.exit(), killed.both());
        assertTrue(killed.err().contains("no manifest written") && killed.err().contains("shard 0"), killed.err());
        assertNoManifest(killedFolder);
    }

    /**
     * Runs the CLI's backup while {@code fault} hits shard 0's replica once the backup is attached to it;
     * its fork is delayed 3 s so that the fault lands while the backup waits on it.
     */
    private static Jar.Result backupWhileItsSourceIs(Path folder, java.util.function.Consumer<NodeAddress> fault) throws InterruptedException {
        NodeAddress replica = replicaOfShardZero();
        try (Jedis j = source.jedis(replica)) {
            j.configSet(Map.of("repl-diskless-sync-max-replicas", "0", "repl-diskless-sync-delay", "3"));
        }
        Thread faulting = new Thread(() -> {
            awaitSyncingClient(replica);
            fault.accept(replica);
        });
        faulting.start();
        Jar.Result result = Jar.run(Map.of(), "backup", source.address(0).toString(), "--to", folder.toString(), "--json");
        faulting.join();
        return result;
    }

    /** The replica of the master that owns slot 0. */
    private static NodeAddress replicaOfShardZero() {
        io.redisha.cluster.model.LiveCluster live = io.redisha.cluster.model.LiveCluster.load(source.address(0), Credentials.none());
        String master = live.owners().get(0);
        return live.members().stream().filter(m -> m.self().masterId().equals(java.util.Optional.of(master))).findFirst().orElseThrow().address();
    }

    private static void awaitSyncingClient(NodeAddress node) {
        Live.await("the backup is attached to " + node, () -> {
            try (Jedis j = source.jedis(node)) {
                return j.info("replication").contains("connected_slaves:1");
            }
        });
    }

    private static void assertNoManifest(Path folder) throws Exception {
        if (Files.exists(folder)) {
            try (var files = Files.walk(folder)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("manifest.json")), "a failed backup wrote a manifest");
            }
        }
    }

    private static void assertRefusedUntouched(Path folder, String message) {
        Jar.Result r = Jar.run(Map.of(), "restore", folder.toString(), "--into", target.address(0).toString());
        assertEquals(1, r.exit(), r.both());
        assertTrue(r.err().contains(message) && r.err().contains("nothing was touched"), r.err());
        for (NodeAddress a : target.addresses()) {
            try (Jedis j = target.jedis(a)) {
                assertEquals(0, j.dbSize(), a + " was touched");
            }
        }
    }

    private static void flushMasters(RedisNodes nodes) {
        for (NodeAddress a : nodes.addresses()) {
            try (Jedis j = nodes.jedis(a)) {
                if (j.info("replication").contains("role:master")) {
                    j.flushAll();
                }
            }
        }
        Live.await("replicas flushed too", () -> nodes.addresses().stream().allMatch(a -> {
            try (Jedis j = nodes.jedis(a)) {
                return j.dbSize() == 0;
            }
        }));
    }

    private static Path copy(Path from, String name) throws Exception {
        Path to = backups.resolve(name);
        Files.createDirectories(to);
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(from)) {
            list.forEach(files::add);
        }
        for (Path f : files) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }
}
