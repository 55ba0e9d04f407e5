package io.redisha.backup;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code redis-ha backup}: one snapshot per shard, each from the shard's most caught-up healthy
 * replica (a master is forked only when it has none and the user allowed it), streamed to the
 * store, then a manifest. A shard whose transfer breaks is retried once from the topology as it is
 * then (after a failover, from the new replica); the slot ownership is compared before and after,
 * so a backup is either complete or fails without a manifest.
 */
public final class Backup {
    private static final DateTimeFormatter BACKUP_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * @param clusterId          recorded in the manifest; empty for an id derived from the node ids
     * @param masterIfNoReplica  fork a shard's master when it has no healthy replica (else refuse)
     * @param parallel           shards snapshotted at once
     */
    public record Options(Optional<String> clusterId, boolean masterIfNoReplica, int parallel) {
        public Options {
            if (parallel < 1 || parallel > 64) {
                throw new io.redisha.topology.InvalidInputException("parallel", parallel, "1..64 shards at once");
            }
        }

        public static Options defaults() {
            return new Options(Optional.empty(), false, 4);
        }
    }

    public record Result(BackupManifest manifest, String location, Duration elapsed) {
    }

    /** The shard as the backup found it: its master and slots. */
    private record ShardPlan(int index, String masterId, List<SlotRange> slots) {
    }

    private final Credentials credentials;
    private final ClusterListener listener;

    public Backup(Credentials credentials, ClusterListener listener) {
        this.credentials = credentials;
        this.listener = listener;
    }

    /**
     * Backs up the cluster of {@code seed} into a new folder (named by the UTC time) of {@code destination}.
     *
     * @throws ClusterRefusedException before any snapshot when the cluster is not whole or a shard has no source
     * @throws IllegalStateException   when a shard's snapshot fails twice or slots moved meanwhile (no manifest written)
     */
    public Result run(NodeAddress seed, BackupLocation destination, ObjectStore store, Options options) {
        long start = System.nanoTime();
        LiveCluster cluster = LiveCluster.load(seed, credentials);
        List<ShardPlan> plans = plan(cluster);
        List<NodeAddress> known = cluster.members().stream().map(LiveCluster.Member::address).toList();
        // Every shard must have a source before any node forks.
        plans.forEach(p -> source(cluster, p, options));
        Instant startedAt = Instant.now();
        String backupId = BACKUP_ID.format(startedAt);
        ObjectStore target = store.child(backupId);
        listener.info("backing up " + plans.size() + " shards to " + destination.child(backupId));
        listener.step("snapshots", plans.size());
        List<BackupManifest.Shard> shards = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallel(), plans.size()), r -> {
            Thread t = new Thread(r, "redis-ha-backup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BackupManifest.Shard>> futures = new ArrayList<>();
            for (ShardPlan p : plans) {
                futures.add(pool.submit(() -> takeWithRetry(cluster, known, p, target, options)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<BackupManifest.Shard> f : futures) {
                try {
                    shards.add(f.get());
                    listener.progress(shards.size());
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("backup failed, no manifest written (the objects under " + destination.child(backupId)
                        + " are not a backup): " + String.join("; ", failures));
            }
        } finally {
            pool.shutdownNow();
        }
        requireSameSlots(known, plans);
        shards.sort(Comparator.comparingInt(BackupManifest.Shard::index));
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, options.clusterId().orElseGet(() -> derivedId(cluster)),
                backupId, startedAt.toString(), Instant.now().toString(), redisVersion(shards), BackupManifest.CONSISTENCY, shards);
        target.put(BackupManifest.FILE, manifest.toJson());
        return new Result(manifest, destination.child(backupId), Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<ShardPlan> plan(LiveCluster cluster) {
        if (cluster.assignedSlots() != SlotRange.SLOT_COUNT) {
            throw new ClusterRefusedException("refusing to back up: " + cluster.assignedSlots() + " of " + SlotRange.SLOT_COUNT
                    + " slots are assigned, nothing was read", List.of("run redis-ha check and fix the cluster first"));
        }
        if (!cluster.openSlots().isEmpty()) {
            throw new ClusterRefusedException("refusing to back up while slots " + cluster.openSlotNumbers()
                    + " are being moved (keys in them could be in no snapshot or in two), nothing was read",
                    List.of("wait for the reshard to finish, or run redis-ha fix"));
        }
        List<ShardPlan> plans = new ArrayList<>();
        cluster.ownedRanges().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .sorted(Comparator.comparingInt(e -> e.getValue().get(0).first()))
                .forEach(e -> plans.add(new ShardPlan(plans.size(), e.getKey(), e.getValue())));
        return plans;
    }

    /** The shard's most caught-up replica with its master link up; its master only when allowed and none is. */
    private static LiveCluster.Member source(LiveCluster cluster, ShardPlan shard, Options options) {
        Optional<LiveCluster.Member> replica = cluster.members().stream()
                .filter(m -> m.isReplica() && m.self().masterId().equals(Optional.of(shard.masterId())) && !m.self().isFailing())
                .filter(m -> "up".equals(m.replication().get("master_link_status")))
                .max(Comparator.comparingLong(m -> Long.parseLong(m.replication().getOrDefault("slave_repl_offset", "0"))));
        if (replica.isPresent()) {
            return replica.get();
        }
        if (options.masterIfNoReplica()) {
            return cluster.require(shard.masterId());
        }
        throw new ClusterRefusedException("refusing to back up: shard " + shard.index() + " (slots " + ranges(shard.slots())
                + ") has no healthy replica, nothing was read", List.of("master " + cluster.require(shard.masterId()).label()
                + ": no replica with its master link up; heal the shard, or pass --master-if-no-replica to fork the master"
                + " (its latency and memory suffer while it saves)"));
    }

    private BackupManifest.Shard takeWithRetry(LiveCluster cluster, List<NodeAddress> known, ShardPlan plan, ObjectStore target, Options options) {
        try {
            return take(source(cluster, plan, options), plan, target);
        } catch (RuntimeException first) {
            listener.info("shard " + plan.index() + ": " + first.getMessage() + "; retrying from the cluster as it is now");
            try {
                LiveCluster now = LiveCluster.loadFrom(known, credentials);
                ShardPlan moved = new ShardPlan(plan.index(), ownerOf(now, plan), plan.slots());
                return take(source(now, moved, options), moved, target);
            } catch (RuntimeException second) {
                throw new IllegalStateException("shard " + plan.index() + " (slots " + ranges(plan.slots()) + "): " + first.getMessage()
                        + ", and again: " + second.getMessage());
            }
        }
    }

    /** The master that owns exactly the shard's slots now (after a failover: the promoted replica). */
    private static String ownerOf(LiveCluster cluster, ShardPlan plan) {
        String owner = cluster.owners().get(plan.slots().get(0).first());
        if (owner == null || !cluster.ownedRanges().getOrDefault(owner, List.of()).equals(plan.slots())) {
            throw new IllegalStateException("slots " + ranges(plan.slots()) + " changed owner and shape during the backup");
        }
        return owner;
    }

    private BackupManifest.Shard take(LiveCluster.Member source, ShardPlan plan, ObjectStore target) {
        String object = "shard-" + plan.index() + ".rdb";
        long start = System.nanoTime();
        ObjectStore.Sink sink = target.create(object);
        ReplicationSnapshot.Received received;
        try {
            received = ReplicationSnapshot.take(source.address(), credentials, sink, bytes -> { });
            sink.finish();
        } catch (RuntimeException e) {
            sink.abort();
            throw e;
        }
        RdbHeader header = received.header();
        listener.info(String.format(Locale.ROOT, "shard %d (slots %s) from %s (%s): %.1f MB, %s keys, sha256 %s, %.1f s",
                plan.index(), ranges(plan.slots()), source.label(), source.isReplica() ? "replica" : "master",
                received.bytes() / 1e6, header.keys().isPresent() ? Long.toString(header.keys().getAsLong()) : "?",
                received.sha256().substring(0, 12), (System.nanoTime() - start) / 1e9));
        return new BackupManifest.Shard(plan.index(), plan.slots().stream().map(SlotRange::toString).toList(), plan.masterId(),
                source.id(), source.address().toString(), source.isReplica() ? "replica" : "master", received.replicationId(),
                received.offset(), header.redisVersion().orElse("?"), header.version(), object, received.bytes(), header.keys().orElse(-1), header.volatileKeys().orElse(-1),
                received.sha256());
    }

    /** After the snapshots: every shard's slots still have one owner holding exactly them (a failover keeps that; a reshard does not). */
    private void requireSameSlots(List<NodeAddress> known, List<ShardPlan> plans) {
        LiveCluster now = LiveCluster.loadFrom(known, credentials);
        List<String> moved = new ArrayList<>();
        for (ShardPlan p : plans) {
            try {
                ownerOf(now, p);
            } catch (IllegalStateException e) {
                moved.add(e.getMessage());
            }
        }
        if (!moved.isEmpty() || !now.openSlots().isEmpty()) {
            throw new IllegalStateException("backup failed, no manifest written: slots moved while the snapshots were taken ("
                    + String.join("; ", moved) + (now.openSlots().isEmpty() ? "" : "; open slots " + now.openSlotNumbers())
                    + "); back up again once the cluster is stable");
        }
    }

    /** The version every shard was written by (a mixed cluster, mid-roll, lists each). */
    private static String redisVersion(List<BackupManifest.Shard> shards) {
        return String.join(",", shards.stream().map(BackupManifest.Shard::redisVersion).distinct().sorted().toList());
    }

    static String ranges(List<SlotRange> slots) {
        return String.join(",", slots.stream().map(SlotRange::toString).toList());
    }

    /** A stable name when none is given: the cluster's node ids, hashed (they survive failovers and restarts). */
    private static String derivedId(LiveCluster cluster) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            cluster.ids().stream().sorted().forEach(id -> sha.update(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            return "cluster-" + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
