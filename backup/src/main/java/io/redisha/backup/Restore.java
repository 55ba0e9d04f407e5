package io.redisha.backup;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Connections;
import io.redisha.cluster.transport.Credentials;
import io.redisha.server.RedisServerProcess;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code redis-ha restore}: a backup into a serving cluster of any shape. Everything that can be
 * checked is checked before the target is touched (manifest, every object's size and SHA-256, RDB
 * versions against the local loader and the target, an empty target). Then shard by shard: a
 * temporary {@code redis-server} loads the snapshot, and its keys go to the masters owning their
 * slots with pipelined DUMP / RESTORE ... ABSTTL (the same absolute expiry). Finally the target is
 * compared with what was sent: key count and an order-independent digest.
 */
public final class Restore {
    /** Keys per SCAN of the target when comparing. */
    private static final int BATCH = 2000;
    /** Bytes of DUMP payloads a batch from the loader aims at: few round trips for small keys, bounded memory for large ones. */
    private static final long BATCH_BYTES = 8L << 20;
    private static final int MIN_BATCH = 100;
    private static final int MAX_BATCH = 20_000;
    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param allowNonEmpty restore into a cluster that holds keys (its keys named in the backup are replaced)
     * @param workDir       where the snapshots are downloaded and loaded (needs the backup's size free)
     * @param digestValues  digest every value on both sides too (DEBUG DIGEST-VALUE: about 6x the server time of DUMP);
     *                      otherwise the digest covers key names and expiries, and each value is checked by RESTORE's own CRC
     */
    public record Options(boolean allowNonEmpty, Path workDir, boolean digestValues) {
        public Options(boolean allowNonEmpty, Path workDir) {
            this(allowNonEmpty, workDir, false);
        }
    }

    /**
     * @param compared what the comparison of the target with the backup covered ({@link Compared})
     */
    public record Result(BackupManifest manifest, long keysRestored, long keysExpired, long bytes, Compared compared,
                         String digest, Duration elapsed) {
    }

    /** What the target was compared with the backup on, after the restore. */
    public enum Compared {
        /** Key names, values and expiries (digest) and the count of live keys. */
        KEYS_VALUES_EXPIRIES,
        /** Key names and expiries (digest) and the count of live keys. */
        KEYS_EXPIRIES,
        /** The count of live keys only: the target refuses DEBUG, which value digests need. */
        KEY_COUNT,
        /** Nothing: the target held keys before (--allow-non-empty). */
        NOTHING
    }

    private final Credentials credentials;
    private final ClusterListener listener;
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redis-ha-restore");
        t.setDaemon(true);
        return t;
    });

    public Restore(Credentials credentials, ClusterListener listener) {
        this.credentials = credentials;
        this.listener = listener;
    }

    /** Reads and parses {@code manifest.json}; a backup without one is incomplete and refused. */
    public static BackupManifest manifest(ObjectStore store) {
        byte[] json;
        try (InputStream in = store.open(BackupManifest.FILE)) {
            json = in.readAllBytes();
        } catch (ObjectStore.MissingObjectException e) {
            throw new ClusterRefusedException("refusing to restore: " + e.getMessage() + ", nothing was touched", List.of(
                    "a backup writes its manifest last: without it the backup is incomplete (or the path is wrong); pick a folder that has "
                            + BackupManifest.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.describe(BackupManifest.FILE) + ": " + e.getMessage(), e);
        }
        try {
            return BackupManifest.fromJson(json, store.describe(BackupManifest.FILE));
        } catch (IllegalArgumentException e) {
            throw new ClusterRefusedException("refusing to restore: " + e.getMessage() + ", nothing was touched", List.of());
        }
    }

    public Result run(ObjectStore backup, NodeAddress target, Options options) {
        try {
            return restore(backup, target, options);
        } finally {
            pool.shutdownNow();
        }
    }

    private Result restore(ObjectStore backup, NodeAddress target, Options options) {
        long start = System.nanoTime();
        BackupManifest manifest = manifest(backup);
        LiveCluster cluster = LiveCluster.load(target, credentials);
        requireWhole(cluster);
        requireReadable(manifest, cluster);
        boolean empty = requireEmpty(cluster, options);
        List<Path> files = download(backup, manifest, options.workDir());
        Map<String, Jedis> owners = new LinkedHashMap<>();
        String[] ownerBySlot = new String[SlotRange.SLOT_COUNT];
        cluster.owners().forEach((slot, id) -> ownerBySlot[slot] = id);
        KeyDigest sent = new KeyDigest();
        long restored = 0;
        long expired = 0;
        try {
            for (LiveCluster.Member m : cluster.masters()) {
                owners.put(m.id(), Connections.open(m.address(), credentials, 60_000));
            }
            for (BackupManifest.Shard shard : manifest.shards()) {
                Moved moved = restoreShard(shard, files.get(shard.index()), ownerBySlot, owners, sent, options);
                restored += moved.restored();
                expired += moved.expired();
            }
        } finally {
            owners.values().forEach(Jedis::close);
            files.forEach(f -> deleteQuietly(f.getParent()));
        }
        Comparison compared = empty ? compare(cluster, sent, options.digestValues()) : new Comparison(Compared.NOTHING, "");
        return new Result(manifest, restored, expired, manifest.bytes(), compared.covered(), compared.digest(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static void requireWhole(LiveCluster cluster) {
        if (!cluster.unreachable().isEmpty()) {
            throw new ClusterRefusedException("refusing to restore with members of the target unreachable, nothing was touched", cluster.unreachable());
        }
        if (cluster.assignedSlots() != SlotRange.SLOT_COUNT || !cluster.openSlots().isEmpty()) {
            throw new ClusterRefusedException("refusing to restore into a cluster that does not serve every slot"
                    + " (" + cluster.assignedSlots() + " assigned, open " + cluster.openSlotNumbers() + "), nothing was touched",
                    List.of("form the target first (redis-ha create / converge, or local up) and run redis-ha check"));
        }
    }

    /** The loader must read the snapshot, and the target must read the loader's DUMP payloads and the snapshot's format. */
    private void requireReadable(BackupManifest manifest, LiveCluster cluster) {
        String local = RedisServerProcess.installedVersion();
        int localRdb = RdbVersions.readable(local);
        int backupRdb = manifest.maxRdbVersion();
        if (backupRdb > localRdb) {
            throw new ClusterRefusedException("refusing to restore: the backup's RDB format " + backupRdb + " (Redis " + manifest.redisVersion()
                    + ") is newer than the local redis-server " + local + " reads (" + localRdb + "), nothing was touched",
                    List.of("run restore where redis-server is at least as new as the backup's Redis"));
        }
        for (LiveCluster.Member m : cluster.masters()) {
            String version;
            try (Jedis jedis = Connections.open(m.address(), credentials, 10_000)) {
                version = Connections.fields(jedis.info("server")).getOrDefault("redis_version", "0");
            }
            int targetRdb = RdbVersions.readable(version);
            if (backupRdb > targetRdb || localRdb > targetRdb) {
                throw new ClusterRefusedException("refusing to restore: " + m.label() + " runs Redis " + version + " (RDB format "
                        + targetRdb + "), older than the backup's RDB format " + backupRdb + " (Redis " + manifest.redisVersion()
                        + ") or the local redis-server " + local + " (" + localRdb + "), nothing was touched",
                        List.of("restore into a cluster running Redis " + manifest.redisVersion() + " or newer"));
            }
        }
    }

    /** True when the target holds no key; refuses a non-empty target unless allowed. */
    private boolean requireEmpty(LiveCluster cluster, Options options) {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (LiveCluster.Member m : cluster.masters()) {
            try (Jedis jedis = Connections.open(m.address(), credentials, 10_000)) {
                long n = jedis.dbSize();
                if (n > 0) {
                    keys.put(m.label(), n);
                }
            }
        }
        if (!keys.isEmpty() && !options.allowNonEmpty()) {
            List<String> problems = new ArrayList<>();
            keys.forEach((node, n) -> problems.add(node + ": " + n + " keys"));
            problems.add("restore into a new, empty cluster, or pass --allow-non-empty to add the backup's keys (replacing those with the same names)");
            throw new ClusterRefusedException("refusing to restore into a cluster that holds keys, nothing was touched", problems);
        }
        return keys.isEmpty();
    }

    /** Every object fetched and checked (size, SHA-256, RDB header) before the target is touched. */
    private List<Path> download(ObjectStore backup, BackupManifest manifest, Path workDir) {
        List<Path> files = new ArrayList<>();
        listener.step("download and check snapshots", manifest.shards().size());
        try {
            for (BackupManifest.Shard shard : manifest.shards()) {
                if (shard.index() != files.size()) {
                    throw new ClusterRefusedException("refusing to restore: the manifest's shards are not numbered 0.." + (manifest.shards().size() - 1)
                            + ", nothing was touched", List.of());
                }
                Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "redis-ha-restore-shard-" + shard.index() + "-");
                Path file = dir.resolve("shard.rdb");
                files.add(file);
                fetch(backup, shard, file);
                listener.progress(files.size());
            }
            return files;
        } catch (IOException e) {
            files.forEach(f -> deleteQuietly(f.getParent()));
            throw new UncheckedIOException("cannot write the snapshots under " + workDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            files.forEach(f -> deleteQuietly(f.getParent()));
            throw e;
        }
    }

    private static void fetch(ObjectStore backup, BackupManifest.Shard shard, Path file) throws IOException {
        String where = backup.describe(shard.object());
        MessageDigest sha = sha256();
        long bytes = 0;
        try (InputStream in = backup.open(shard.object()); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                bytes += n;
            }
        } catch (ObjectStore.MissingObjectException e) {
            throw new ClusterRefusedException("refusing to restore: " + e.getMessage() + " (the manifest lists it), nothing was touched",
                    List.of("the backup is damaged; restore another backup"));
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (bytes != shard.bytes() || !digest.equals(shard.sha256())) {
            throw new ClusterRefusedException("refusing to restore: " + where + " is corrupt (" + bytes + " bytes, sha256 " + digest
                    + "; the manifest says " + shard.bytes() + " bytes, sha256 " + shard.sha256() + "), nothing was touched",
                    List.of("the backup is damaged; restore another backup"));
        }
    }

    private record Moved(long restored, long expired) {
    }

    private Moved restoreShard(BackupManifest.Shard shard, Path file, String[] ownerBySlot, Map<String, Jedis> owners, KeyDigest sent,
                               Options options) {
        long start = System.nanoTime();
        try (ShardLoader loader = ShardLoader.load(file.getParent(), file.getFileName().toString()); Jedis source = loader.connect()) {
            Map<String, String> loaded = loader.persistence();
            long kept = Long.parseLong(loaded.getOrDefault("rdb_last_load_keys_loaded", "-1"));
            long dropped = Long.parseLong(loaded.getOrDefault("rdb_last_load_keys_expired", "0"));
            if (shard.keys() >= 0 && kept >= 0 && kept + dropped != shard.keys()) {
                throw new IllegalStateException("shard " + shard.index() + ": the snapshot loaded " + kept + " keys (+" + dropped
                        + " expired), the manifest says " + shard.keys());
            }
            // Keys then leave only by being read past their expiry; none vanish between SCAN and DUMP.
            source.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "SET-ACTIVE-EXPIRE", "0");
            listener.step("restore shard " + shard.index() + " (" + kept + " keys)", (int) Math.max(0, kept));
            long restored = 0;
            long expired = dropped;
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            // The next batch is read from the loader while the last one is written to the owners, each owner on its own thread.
            java.util.concurrent.Future<Long> writing = java.util.concurrent.CompletableFuture.completedFuture(0L);
            int count = MIN_BATCH;
            do {
                ScanResult<byte[]> page = source.scan(cursor, new ScanParams().count(count));
                cursor = page.getCursorAsBytes();
                Batch batch = read(source, page.getResult(), options.digestValues());
                count = batch.nextCount(count);
                expired += batch.gone();
                restored += await(writing);
                listener.progress((int) restored);
                writing = write(batch, ownerBySlot, owners, sent, options.allowNonEmpty());
            } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
            restored += await(writing);
            listener.info(String.format(Locale.ROOT, "shard %d: %d keys restored, %d expired, %.1f s", shard.index(), restored, expired,
                    (System.nanoTime() - start) / 1e9));
            return new Moved(restored, expired);
        }
    }

    private record Entry(byte[] key, byte[] payload, long expiresAt, byte[] valueDigest) {
    }

    private record Batch(List<Entry> entries, int gone) {
        /** The SCAN count that brings the next batch near {@link #BATCH_BYTES}, from this batch's bytes per key. */
        int nextCount(int count) {
            long bytes = entries.stream().mapToLong(e -> e.key().length + e.payload().length).sum();
            if (entries.isEmpty() || bytes == 0) {
                return count;
            }
            return (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, BATCH_BYTES * entries.size() / bytes));
        }
    }

    private static final byte[] NO_DIGEST = new byte[0];

    private static Batch read(Jedis source, List<byte[]> keys, boolean digestValues) {
        List<byte[][]> commands = new ArrayList<>();
        for (byte[] k : keys) {
            commands.add(new byte[][] {bytes("DUMP"), k});
            commands.add(new byte[][] {bytes("PEXPIRETIME"), k});
            if (digestValues) {
                commands.add(new byte[][] {bytes("DEBUG"), bytes("DIGEST-VALUE"), k});
            }
        }
        List<Object> replies = Connections.pipeline(source, commands);
        int per = digestValues ? 3 : 2;
        List<Entry> entries = new ArrayList<>();
        int gone = 0;
        for (int i = 0; i < keys.size(); i++) {
            Object payload = replies.get(per * i);
            Object expiry = replies.get(per * i + 1);
            if (payload instanceof Exception e) {
                throw new IllegalStateException("DUMP of a key failed on the loader: " + e.getMessage());
            }
            if (payload == null || !(expiry instanceof Long at) || at == -2) {
                gone++;
                continue;
            }
            entries.add(new Entry(keys.get(i), (byte[]) payload, at, digestValues ? digestValue(replies.get(per * i + 2)) : NO_DIGEST));
        }
        return new Batch(entries, gone);
    }

    private static byte[] digestValue(Object reply) {
        if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[] b) {
            return b;
        }
        if (reply instanceof Exception e) {
            throw new IllegalStateException("DEBUG DIGEST-VALUE failed on the loader: " + e.getMessage());
        }
        throw new IllegalStateException("unexpected DEBUG DIGEST-VALUE reply: " + reply);
    }

    private static long await(java.util.concurrent.Future<Long> writing) {
        try {
            return writing.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts the RESTOREs of a batch, one pipeline per owner, all owners at once; the future gives the keys restored. */
    private java.util.concurrent.Future<Long> write(Batch batch, String[] ownerBySlot, Map<String, Jedis> owners, KeyDigest sent, boolean replace) {
        Map<String, List<Entry>> byOwner = new LinkedHashMap<>();
        for (Entry e : batch.entries()) {
            byOwner.computeIfAbsent(ownerBySlot[JedisClusterCRC16.getSlot(e.key())], k -> new ArrayList<>()).add(e);
        }
        List<java.util.concurrent.CompletableFuture<Long>> parts = new ArrayList<>();
        byOwner.forEach((owner, entries) -> parts.add(java.util.concurrent.CompletableFuture.supplyAsync(
                () -> writeTo(owners.get(owner), entries, sent, replace), pool)));
        return java.util.concurrent.CompletableFuture.allOf(parts.toArray(java.util.concurrent.CompletableFuture[]::new))
                .thenApply(v -> parts.stream().mapToLong(java.util.concurrent.CompletableFuture::join).sum());
    }

    /** RESTORE of each key on its slot's owner, pipelined; a key SCAN returned twice is counted once. */
    private static long writeTo(Jedis owner, List<Entry> entries, KeyDigest sent, boolean replace) {
        KeyDigest mine = new KeyDigest();
        long restored = 0;
        List<byte[][]> commands = new ArrayList<>();
        for (Entry e : entries) {
            List<byte[]> c = new ArrayList<>(List.of(bytes("RESTORE"), e.key(), bytes(Long.toString(Math.max(0, e.expiresAt()))), e.payload()));
            if (e.expiresAt() >= 0) {
                c.add(bytes("ABSTTL"));
            }
            if (replace) {
                c.add(bytes("REPLACE"));
            }
            commands.add(c.toArray(byte[][]::new));
        }
        List<Object> replies = Connections.pipeline(owner, commands);
        for (int i = 0; i < replies.size(); i++) {
            Entry e = entries.get(i);
            Object r = replies.get(i);
            if (r instanceof Exception ex && String.valueOf(ex.getMessage()).startsWith("BUSYKEY")) {
                continue; // SCAN returned it twice (it may, while the loader's table resizes): already restored
            }
            if (r instanceof Exception ex) {
                throw new IllegalStateException("RESTORE of key " + printable(e.key()) + " failed: " + ex.getMessage());
            }
            if (!(r instanceof byte[] b && java.util.Arrays.equals(b, OK)) && !"OK".equals(r)) {
                throw new IllegalStateException("RESTORE of key " + printable(e.key()) + " answered " + r);
            }
            mine.add(e.key(), e.valueDigest(), e.expiresAt());
            restored++;
        }
        synchronized (sent) {
            sent.addAll(mine);
        }
        return restored;
    }

    private record Comparison(Compared covered, String digest) {
    }

    /**
     * Reads every key of the target back (PEXPIRETIME, and DEBUG DIGEST-VALUE with {@code values}) and compares
     * with what was sent, counting only keys certain to live past the end of the read.
     */
    private Comparison compare(LiveCluster cluster, KeyDigest sent, boolean values) {
        listener.step("compare the target with the backup", cluster.masters().size());
        Compared covered = values ? Compared.KEYS_VALUES_EXPIRIES : Compared.KEYS_EXPIRIES;
        KeyDigest found;
        try {
            found = readBack(cluster, values);
        } catch (DebugRefused e) {
            // DEBUG is off on the target (enable-debug-command no): the values sent were digested, the target's cannot be.
            listener.info(e.getMessage() + ": comparing key counts only");
            covered = Compared.KEY_COUNT;
            found = readBack(cluster, false);
        }
        // Keys expiring up to a second after the read are left out on both sides (clocks of the nodes and this host may differ that much).
        long horizon = System.currentTimeMillis() + 1000;
        KeyDigest.Summary expected = sent.alive(horizon);
        KeyDigest.Summary actual = found.alive(horizon);
        boolean digests = covered != Compared.KEY_COUNT;
        if (expected.keys() != actual.keys() || digests && !expected.digest().equals(actual.digest())) {
            throw new IllegalStateException("the target differs from the backup after the restore: expected " + expected.keys()
                    + " live keys" + (digests ? " with digest " + expected.digest() : "") + ", found " + actual.keys()
                    + (digests ? " with digest " + actual.digest() : "") + "; did something else write to the target meanwhile?");
        }
        return new Comparison(covered, digests ? expected.digest() : "");
    }

    /** A target node refuses DEBUG DIGEST-VALUE. */
    private static final class DebugRefused extends RuntimeException {
        DebugRefused(String message) {
            super(message);
        }
    }

    /** Every key of every master (all masters at once): its expiry and, with {@code digests}, its value's digest. */
    private KeyDigest readBack(LiveCluster cluster, boolean digests) {
        List<java.util.concurrent.CompletableFuture<KeyDigest>> parts = new ArrayList<>();
        for (LiveCluster.Member m : cluster.masters()) {
            parts.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> readBack(m, digests), pool));
        }
        KeyDigest all = new KeyDigest();
        for (java.util.concurrent.CompletableFuture<KeyDigest> part : parts) {
            try {
                all.addAll(part.join());
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return all;
    }

    private KeyDigest readBack(LiveCluster.Member m, boolean digests) {
        KeyDigest found = new KeyDigest();
        try (Jedis jedis = Connections.open(m.address(), credentials, 60_000)) {
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            do {
                ScanResult<byte[]> page = jedis.scan(cursor, new ScanParams().count(BATCH));
                cursor = page.getCursorAsBytes();
                List<byte[][]> commands = new ArrayList<>();
                for (byte[] k : page.getResult()) {
                    commands.add(new byte[][] {bytes("PEXPIRETIME"), k});
                    if (digests) {
                        commands.add(new byte[][] {bytes("DEBUG"), bytes("DIGEST-VALUE"), k});
                    }
                }
                List<Object> replies = Connections.pipeline(jedis, commands);
                int per = digests ? 2 : 1;
                if (digests && !replies.isEmpty() && replies.get(1) instanceof Exception) {
                    throw new DebugRefused(m.label() + " refuses DEBUG DIGEST-VALUE");
                }
                for (int i = 0; i < page.getResult().size(); i++) {
                    if (replies.get(per * i) instanceof Long at && at != -2) {
                        found.add(page.getResult().get(i), digests ? digestValue(replies.get(per * i + 1)) : NO_DIGEST, at);
                    }
                }
            } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        }
        return found;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A leftover temporary folder is all that remains.
        }
    }
}
