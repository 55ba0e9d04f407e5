package io.redisha.cluster.move;

import static io.redisha.cluster.transport.Pipelines.backoff;
import static io.redisha.cluster.transport.Pipelines.pipeline;
import static io.redisha.cluster.transport.Pipelines.pipelineAsking;
import static io.redisha.cluster.transport.Pipelines.setslot;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.cluster.transport.Nodes;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Moves hash slots between masters of a live cluster, fast and without losing a write.
 *
 * <p>Per batch of slots of one source and one target: CLUSTER SETSLOT IMPORTING on the target for
 * every slot (pipelined), then MIGRATING on the source; then, until GETKEYSINSLOT comes back empty
 * for every slot, MIGRATE ... KEYS in rounds of at most {@code bytesPerMigrate} (one command per
 * slot, a few slots pipelined when they are small); then SETSLOT NODE on the target, the source, and
 * every other master, in that order (the last off the workers' path, see {@link Bystanders}).
 * Moves run in {@link HandoverPhases}: no master takes a slot while it still gives one, and between
 * phases every node agrees on what moved (a taker's epoch bump would otherwise revive a stale claim
 * and make a new owner delete keys).
 * Source-target pairs work in parallel, each with a few connections, but {@link MigrateGates} lets
 * one round per node be in flight and bounds each node's busy share: MIGRATE blocks both ends, and
 * their clients wait for every round queued there. Pairs that share no node move at full speed.
 *
 * <p>The state of a move is the cluster's own open-slot markers, nothing else: a run killed at any
 * point leaves slots open that {@link SlotFixer} (or the next run, which fixes first) finishes.
 */
public final class SlotMover {
    /** Test hook: halt the JVM (like kill -9) once this many slots are done, at {@link #HALT_AT_ENV}. */
    static final String HALT_AFTER_ENV = "REDIS_HA_TEST_HALT_AFTER_SLOTS";
    /** Where to halt: importing, migrating, keys, restored (DUMP path: after RESTORE, before the source's UNLINK), target-node or source-node (default keys). */
    static final String HALT_AT_ENV = "REDIS_HA_TEST_HALT_AT";
    /** Most bytes of one value the DUMP path holds in this process (per worker, one key at a time); bigger keys go by MIGRATE. */
    static final long DUMP_BUDGET_BYTES = 1L << 20;
    /** A batch carries at most this many MIGRATE rounds of bytes ({@code bytesPerMigrate} each). */
    static final int ROUNDS_PER_BATCH = 4;
    /** Slots whose key size is sampled (MEMORY USAGE of one key each) before a source's slots are cut into batches. */
    static final int SAMPLED_SLOTS = 16;
    /** The key size assumed when none could be sampled (MEMORY disabled): errs towards small batches for small keys. */
    static final long UNSAMPLED_KEY_BYTES = 1024;
    /** How long a handover waits for gossip to bring the target an epoch at least the source's ({@link Worker#targetEpochBehind}). */
    static final Duration EPOCH_PATIENCE = Duration.ofSeconds(10);

    /**
     * @param keysPerMigrate  most keys per MIGRATE command (redis-cli's --cluster-pipeline, default 10 there)
     * @param slotsPerBatch   most slots a worker opens and moves together. Batches are cut by bytes
     *                        ({@link SlotBatches}): at most {@link #ROUNDS_PER_BATCH} rounds of
     *                        {@code bytesPerMigrate}, estimated from each slot's key count and a sampled
     *                        key size, so nearly empty slots (which cost SETSLOT round trips only) go
     *                        many to a batch, full ones few; this caps the open slots
     * @param threadsPerPair  connections working on one source-target pair at once: one runs MIGRATE
     *                        while the other opens, lists and closes slots ({@link MigrateGates} lets
     *                        only one round per node be in flight)
     * @param migrateTimeoutMs MIGRATE's own timeout; big values need more
     * @param retries         attempts per slot on timeouts and I/O errors before it is left open for fix
     * @param bytesPerMigrate most bytes a source sends in one round (one MIGRATE, or a few pipelined
     *                        when slots are small): the round blocks source and target, so this bounds
     *                        how long their clients wait; keys per command follow from the size of
     *                        the keys (MEMORY USAGE of a sample), so big values move in small counts
     * @param maxBusyPercent  most of a node's time MIGRATE rounds may take; the rest is its clients'
     * @param dumpAboveBytes  keys whose source's sampled key size is at least this move by DUMP on the source,
     *                        ASKING + RESTORE on the target and WATCH + MULTI/UNLINK/EXEC on the source
     *                        ({@link DumpMove}), so no node waits on the other; 0 keeps MIGRATE for every key
     * @param keepCompression leave {@code rdbcompression} as it is on the sources; by default it is off
     *                        while they send ({@link SourceCompression}): LZF on values that do not
     *                        compress is most of a source's time per moved byte
     */
    public record Options(int keysPerMigrate, int slotsPerBatch, int threadsPerPair, int migrateTimeoutMs, int retries,
                          long bytesPerMigrate, int maxBusyPercent, long dumpAboveBytes, boolean keepCompression) {
        public Options {
            if (keysPerMigrate < 1 || slotsPerBatch < 1 || threadsPerPair < 1 || migrateTimeoutMs < 1 || retries < 0
                    || bytesPerMigrate < 1 || maxBusyPercent < 1 || maxBusyPercent > 100 || dumpAboveBytes < 0) {
                throw new IllegalArgumentException("slot mover options must be positive (and the busy share 1..100 percent, the DUMP"
                        + " threshold 0 or more): " + keysPerMigrate + ", " + slotsPerBatch + ", " + threadsPerPair + ", " + migrateTimeoutMs
                        + ", " + retries + ", " + bytesPerMigrate + ", " + maxBusyPercent + ", " + dumpAboveBytes);
            }
        }

        /** Compression off on the sources during the move (the default). */
        public Options(int keysPerMigrate, int slotsPerBatch, int threadsPerPair, int migrateTimeoutMs, int retries,
                       long bytesPerMigrate, int maxBusyPercent, long dumpAboveBytes) {
            this(keysPerMigrate, slotsPerBatch, threadsPerPair, migrateTimeoutMs, retries, bytesPerMigrate, maxBusyPercent, dumpAboveBytes, false);
        }

        /** The DUMP threshold at its default. */
        public Options(int keysPerMigrate, int slotsPerBatch, int threadsPerPair, int migrateTimeoutMs, int retries,
                       long bytesPerMigrate, int maxBusyPercent) {
            this(keysPerMigrate, slotsPerBatch, threadsPerPair, migrateTimeoutMs, retries, bytesPerMigrate, maxBusyPercent, DEFAULT_DUMP_ABOVE_BYTES);
        }

        /** The byte and busy bounds and the DUMP threshold at their defaults. */
        public Options(int keysPerMigrate, int slotsPerBatch, int threadsPerPair, int migrateTimeoutMs, int retries) {
            this(keysPerMigrate, slotsPerBatch, threadsPerPair, migrateTimeoutMs, retries, DEFAULT_BYTES_PER_MIGRATE, DEFAULT_MAX_BUSY_PERCENT);
        }

        /** Whether keys of about {@code bytesPerKey} take the DUMP path. */
        boolean dumps(long bytesPerKey) {
            return dumpAboveBytes > 0 && bytesPerKey >= dumpAboveBytes;
        }

        public static Options defaults() {
            return new Options(1000, DEFAULT_SLOTS_PER_BATCH, 2, 10_000, 6);
        }

        /** Most bytes one batch carries. */
        long bytesPerBatch() {
            return bytesPerMigrate * ROUNDS_PER_BATCH;
        }

        /** Keys per MIGRATE for keys of about {@code bytesPerKey}: the byte bound, within 1..keysPerMigrate. */
        int keysFor(long bytesPerKey) {
            return (int) Math.max(1, Math.min(keysPerMigrate, bytesPerMigrate / Math.max(1, bytesPerKey)));
        }
    }

    public static final long DEFAULT_BYTES_PER_MIGRATE = 64L << 10;
    public static final int DEFAULT_SLOTS_PER_BATCH = 128;
    public static final int DEFAULT_MAX_BUSY_PERCENT = 50;
    public static final long DEFAULT_DUMP_ABOVE_BYTES = 0;

    /** Hears progress; called from worker threads. */
    public interface Listener {
        Listener SILENT = new Listener() { };

        default void started(int totalSlots) {
        }

        default void moved(int slots, long keys) {
        }

        default void info(String message) {
        }
    }

    /** Reports slot progress as one step of a {@link ClusterListener}. */
    public static Listener listenerFor(ClusterListener listener) {
        AtomicInteger done = new AtomicInteger();
        return new Listener() {
            @Override
            public void started(int totalSlots) {
                listener.step("move slots", totalSlots);
            }

            @Override
            public void moved(int slots, long keys) {
                listener.progress(done.addAndGet(slots));
            }

            @Override
            public void info(String message) {
                listener.info(message);
            }
        };
    }

    /**
     * @param leftOpen slots that could not be finished and stay open (one line each: slot, nodes, why);
     *                 {@code redis-ha fix} closes them
     */
    public record Result(int slotsPlanned, int slotsMoved, long keysMoved, List<String> leftOpen, Duration elapsed,
                         Map<String, Long> phaseMillis) {
        public Result {
            leftOpen = List.copyOf(leftOpen);
            phaseMillis = Map.copyOf(phaseMillis);
        }

        public boolean ok() {
            return leftOpen.isEmpty();
        }

        public String summary() {
            double s = elapsed.toMillis() / 1000.0;
            return String.format(java.util.Locale.ROOT, "moved %d of %d slots and %d keys in %.2f s (%.0f keys/s)%s",
                    slotsMoved, slotsPlanned, keysMoved, s, s > 0 ? keysMoved / s : 0.0,
                    leftOpen.isEmpty() ? "" : "; " + Count.of(leftOpen.size(), "slot") + " left open, run 'redis-ha fix'");
        }
    }

    private final Options options;
    private final Credentials credentials;
    private final Optional<Integer> haltAfter;
    private final String haltAt;

    public SlotMover(Options options, Credentials credentials) {
        this.options = options;
        this.credentials = credentials;
        String after = System.getenv(HALT_AFTER_ENV);
        this.haltAfter = after == null || after.isBlank() ? Optional.empty() : Optional.of(Integer.parseInt(after.strip()));
        String at = System.getenv(HALT_AT_ENV);
        this.haltAt = at == null || at.isBlank() ? "keys" : at.strip();
    }

    /** Time the workers spent waiting on each step, summed over workers: where a move's time goes. */
    private final Map<String, AtomicLong> phases = new java.util.concurrent.ConcurrentHashMap<>();

    private void time(String phase, long since) {
        phases.computeIfAbsent(phase, k -> new AtomicLong()).addAndGet(System.nanoTime() - since);
    }

    /** @param bytesPerKey the source's sampled key size, used to size MIGRATE rounds */
    private record Batch(String from, String to, List<Integer> slots, long bytesPerKey) {
    }

    /** The batches one source still sends one target, in order, cut by bytes before the move. */
    private record PairQueue(String from, String to, List<Integer> slots, java.util.ArrayDeque<Batch> batches, List<Integer> done) {
        PairQueue(String from, String to) {
            this(from, to, new ArrayList<>(), new java.util.ArrayDeque<>(), Collections.synchronizedList(new ArrayList<>()));
        }

        synchronized Optional<Batch> take() {
            return Optional.ofNullable(batches.poll());
        }

        synchronized List<Integer> rest() {
            List<Integer> rest = new ArrayList<>();
            batches.forEach(b -> rest.addAll(b.slots()));
            return rest;
        }
    }

    /**
     * Cuts a pair's slots into batches by bytes: CLUSTER COUNTKEYSINSLOT for every slot (pipelined),
     * the size of one key in up to {@link #SAMPLED_SLOTS} non-empty slots (MEMORY USAGE, the largest
     * sample), then {@link SlotBatches#cut}. Counts change under writers; they only shape batches,
     * every batch still moves until GETKEYSINSLOT is empty.
     */
    private void plan(LiveCluster cluster, PairQueue queue, Listener listener) {
        long t0 = System.nanoTime();
        List<Integer> slots = queue.slots();
        long[] counts = new long[slots.size()];
        long bytesPerKey;
        try (Jedis jedis = Nodes.connect(cluster.require(queue.from()).address(), credentials, options.migrateTimeoutMs() * 2 + 5000)) {
            for (int from = 0; from < slots.size(); from += 1024) {
                List<Integer> chunk = slots.subList(from, Math.min(slots.size(), from + 1024));
                List<Object> replies = pipeline(jedis, chunk.stream().map(s -> new byte[][] {Nodes.bytes("CLUSTER"),
                        Nodes.bytes("COUNTKEYSINSLOT"), Nodes.bytes(s)}).toList());
                for (int i = 0; i < replies.size(); i++) {
                    counts[from + i] = replies.get(i) instanceof Long n ? n : 0;
                }
            }
            List<Integer> nonEmpty = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    nonEmpty.add(slots.get(i));
                }
            }
            List<Integer> sample = new ArrayList<>();
            for (int k = 0; k < Math.min(SAMPLED_SLOTS, nonEmpty.size()); k++) {
                sample.add(nonEmpty.get((int) ((long) k * nonEmpty.size() / Math.min(SAMPLED_SLOTS, nonEmpty.size()))));
            }
            bytesPerKey = sampleKeyBytes(jedis, sample);
        } catch (RuntimeException e) {
            // No estimate: every slot counts as one round, so batches hold ROUNDS_PER_BATCH slots.
            listener.info("could not measure the slots of " + cluster.require(queue.from()).label() + " (" + e.getMessage()
                    + "); moving them " + ROUNDS_PER_BATCH + " slots per batch");
            java.util.Arrays.fill(counts, 1);
            bytesPerKey = options.bytesPerMigrate();
        }
        time("plan", t0);
        long perKey = bytesPerKey;
        for (List<Integer> slotsOfBatch : SlotBatches.cut(SlotBatches.loads(slots, counts, perKey), options.bytesPerBatch(), options.slotsPerBatch())) {
            queue.batches().add(new Batch(queue.from(), queue.to(), slotsOfBatch, perKey));
        }
    }

    /** The largest MEMORY USAGE of one key of each sampled slot; {@link #UNSAMPLED_KEY_BYTES} when none could be read. */
    static long sampleKeyBytes(Jedis jedis, List<Integer> sample) {
        try {
            long largest = largestKeyBytes(jedis, sample);
            return largest > 0 ? largest : UNSAMPLED_KEY_BYTES;
        } catch (JedisDataException e) {
            return UNSAMPLED_KEY_BYTES;
        }
    }

    /** The largest MEMORY USAGE of one key of each of these slots (two pipelined round trips); 0 when no slot has a key. */
    static long largestKeyBytes(Jedis jedis, List<Integer> slots) {
        if (slots.isEmpty()) {
            return 0;
        }
        List<Object> lists = pipeline(jedis, slots.stream().map(s -> new byte[][] {Nodes.bytes("CLUSTER"),
                Nodes.bytes("GETKEYSINSLOT"), Nodes.bytes(s), Nodes.bytes(1)}).toList());
        List<byte[][]> usage = new ArrayList<>();
        for (Object l : lists) {
            if (l instanceof List<?> keys && !keys.isEmpty() && keys.get(0) instanceof byte[] key) {
                usage.add(new byte[][] {Nodes.bytes("MEMORY"), Nodes.bytes("USAGE"), key, Nodes.bytes("SAMPLES"), Nodes.bytes(0)});
            }
        }
        long largest = 0;
        for (Object r : usage.isEmpty() ? List.of() : pipeline(jedis, usage)) {
            if (r instanceof Long bytes) {
                largest = Math.max(largest, bytes);
            }
        }
        return largest;
    }

    /** Moves the slots; {@code moves} name masters by node id. Returns when every batch ended. */
    public Result move(LiveCluster cluster, List<SlotMove> moves, Listener listener) {
        long start = System.nanoTime();
        Map<String, PairQueue> byPair = new LinkedHashMap<>();
        int planned = 0;
        for (SlotMove move : moves) {
            cluster.require(move.from());
            cluster.require(move.to());
            List<Integer> slots = new ArrayList<>();
            move.slots().forEach(r -> { for (int s = r.first(); s <= r.last(); s++) { slots.add(s); } });
            planned += slots.size();
            byPair.computeIfAbsent(move.from() + ">" + move.to(), k -> new PairQueue(move.from(), move.to())).slots().addAll(slots);
        }
        listener.started(planned);
        byPair.values().forEach(queue -> plan(cluster, queue, listener));
        java.util.Set<NodeAddress> sources = new java.util.LinkedHashSet<>();
        byPair.values().forEach(q -> sources.add(cluster.require(q.from()).address()));
        try (SourceCompression compression = options.keepCompression() ? SourceCompression.off(List.of(), credentials, listener)
                : SourceCompression.off(sources, credentials, listener)) {
            return moveBatches(cluster, byPair, planned, start, listener);
        }
    }

    private Result moveBatches(LiveCluster cluster, Map<String, PairQueue> byPair, int planned, long start, Listener listener) {
        AtomicInteger slotsMoved = new AtomicInteger();
        AtomicLong keysMoved = new AtomicLong();
        List<String> leftOpen = Collections.synchronizedList(new ArrayList<>());
        List<RuntimeException> crashes = Collections.synchronizedList(new ArrayList<>());
        MigrateGates gates = new MigrateGates(options.maxBusyPercent());
        List<List<PairQueue>> handoverPhases = HandoverPhases.of(List.copyOf(byPair.values()), PairQueue::from, PairQueue::to);
        if (handoverPhases.size() > 1) {
            listener.info("some masters give and take slots: moving in " + handoverPhases.size() + " phases, so no master takes a slot"
                    + " while it still gives one");
        }
        for (int p = 0; p < handoverPhases.size(); p++) {
            List<PairQueue> phase = handoverPhases.get(p);
            if (p > 0) {
                Optional<String> disagreement = settle(cluster, handoverPhases.get(p - 1));
                if (disagreement.isPresent()) {
                    // Not started: their slots were never opened, so nothing is left for fix.
                    leftOpen.add("the moves of " + Count.of(handoverPhases.size() - p, "later phase") + " were not started: the cluster did not"
                            + " agree on the slots moved before (" + disagreement.get() + "); run the command again");
                    break;
                }
            }
            runPhase(cluster, phase, gates, slotsMoved, keysMoved, leftOpen, crashes, listener);
        }
        // A worker that lost its connection leaves its batches in the queue; name them so nothing is silent.
        for (PairQueue queue : byPair.values()) {
            List<Integer> rest = queue.rest();
            if (!rest.isEmpty()) {
                leftOpen.add("slots " + SlotRange.compress(new java.util.TreeSet<>(rest)) + " from "
                        + NodeLine.shortId(queue.from()) + " not started");
            }
        }
        crashes.forEach(e -> leftOpen.add("worker failed: " + e.getMessage()));
        List<String> sorted = new ArrayList<>(leftOpen);
        Collections.sort(sorted);
        Map<String, Long> phaseMillis = new java.util.TreeMap<>();
        phases.forEach((k, v) -> phaseMillis.put(k, v.get() / 1_000_000));
        phaseMillis.putAll(gates.totalsMillis());
        return new Result(planned, slotsMoved.get(), keysMoved.get(), sorted, Duration.ofNanos(System.nanoTime() - start), phaseMillis);
    }

    private void runPhase(LiveCluster cluster, List<PairQueue> phase, MigrateGates gates, AtomicInteger slotsMoved, AtomicLong keysMoved,
                          List<String> leftOpen, List<RuntimeException> crashes, Listener listener) {
        List<Thread> workers = new ArrayList<>();
        Bystanders bystanders = new Bystanders(cluster);
        for (PairQueue queue : phase) {
            for (int t = 0; t < options.threadsPerPair(); t++) {
                Thread worker = new Thread(() -> {
                    try (Worker w = new Worker(cluster, bystanders, gates)) {
                        Optional<Batch> batch;
                        while ((batch = queue.take()).isPresent()) {
                            queue.done().addAll(w.run(batch.get(), slotsMoved, keysMoved, leftOpen, listener));
                        }
                    } catch (RuntimeException e) {
                        crashes.add(e);
                    }
                }, "redis-ha-mover");
                worker.start();
                workers.add(worker);
            }
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while moving slots; run 'redis-ha fix' to close open slots", e);
            }
        }
        bystanders.close();
    }

    /** How long the mover waits, between phases, for every node to agree on the slots moved. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Waits until every member (replicas too: any node may send the UPDATE that revives a stale claim)
     * sees each slot the phase finished on its target; empty when they agree, else what one still sees.
     */
    private Optional<String> settle(LiveCluster cluster, List<PairQueue> phase) {
        Map<Integer, String> moved = new java.util.TreeMap<>();
        phase.forEach(q -> List.copyOf(q.done()).forEach(s -> moved.put(s, q.to())));
        long t0 = System.nanoTime();
        try {
            Poll.until("every node agrees on the slots moved", SETTLE_TIMEOUT, () -> {
                for (LiveCluster.Member m : cluster.members()) {
                    Optional<MemberView> view = LiveCluster.viewOf(m.address(), credentials);
                    if (view.isEmpty()) {
                        return Optional.of(m.label() + " does not answer");
                    }
                    Map<Integer, String> owners = new HashMap<>();
                    view.get().slotOwners().forEach((range, id) -> { for (int s = range.first(); s <= range.last(); s++) { owners.put(s, id); } });
                    for (Map.Entry<Integer, String> e : moved.entrySet()) {
                        if (!e.getValue().equals(owners.get(e.getKey()))) {
                            return Optional.of(m.label() + " still sees slot " + e.getKey() + " on "
                                    + (owners.containsKey(e.getKey()) ? NodeLine.shortId(owners.get(e.getKey())) : "no node"));
                        }
                    }
                }
                return Optional.empty();
            });
            return Optional.empty();
        } catch (ClusterRefusedException e) {
            return Optional.of(e.getMessage());
        } finally {
            time("settle between phases", t0);
        }
    }

    private void halt(String point, AtomicInteger done) {
        if (haltAfter.isPresent() && haltAt.equals(point) && done.get() >= haltAfter.get()) {
            System.err.println("[redis-ha] test hook: halting at " + point + " after " + done.get() + " slots");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }

    /** One worker thread's connections, one per node, opened on first use. */
    final class Worker implements AutoCloseable {
        private final LiveCluster cluster;
        private final Map<String, Jedis> connections = new HashMap<>();
        private final Map<NodeAddress, Jedis> byAddress = new HashMap<>();
        private final Bystanders bystanders;

        private final MigrateGates gates;

        Worker(LiveCluster cluster) {
            this(cluster, null, new MigrateGates(options.maxBusyPercent()));
        }

        Worker(LiveCluster cluster, Bystanders bystanders, MigrateGates gates) {
            this.cluster = cluster;
            this.bystanders = bystanders;
            this.gates = gates;
        }

        Jedis conn(String id) {
            return connections.computeIfAbsent(id, k -> Nodes.connect(cluster.require(k).address(), credentials,
                    options.migrateTimeoutMs() * 2 + 5000));
        }

        void reconnect(String id) {
            Nodes.closeQuietly(connections.remove(id));
        }

        /** Moves one batch; returns the slots it finished. */
        List<Integer> run(Batch b, AtomicInteger slotsDone, AtomicLong keysDone, List<String> leftOpen, Listener listener) {
            String src = b.from();
            String dst = b.to();
            String srcLabel = cluster.require(src).label();
            String dstLabel = cluster.require(dst).label();
            // IMPORTING first: once the source is MIGRATING it sends clients with missing keys to the
            // target (ASK); a target not yet importing would bounce them back with MOVED.
            List<Integer> open = new ArrayList<>();
            long t0 = System.nanoTime();
            List<Object> replies = pipeline(conn(dst), b.slots().stream().map(s -> setslot(s, "IMPORTING", src)).toList());
            time("setslot importing", t0);
            for (int i = 0; i < b.slots().size(); i++) {
                if (replies.get(i) instanceof JedisDataException e) {
                    leftOpen.add("slot " + b.slots().get(i) + ": " + dstLabel + " refused IMPORTING (" + e.getMessage() + ")");
                } else {
                    open.add(b.slots().get(i));
                }
            }
            halt("importing", slotsDone);
            List<Integer> migrating = new ArrayList<>();
            t0 = System.nanoTime();
            replies = pipeline(conn(src), open.stream().map(s -> setslot(s, "MIGRATING", dst)).toList());
            time("setslot migrating", t0);
            List<Integer> rollback = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                if (replies.get(i) instanceof JedisDataException e) {
                    leftOpen.add("slot " + open.get(i) + ": " + srcLabel + " refused MIGRATING (" + e.getMessage()
                            + "); the import on the target was rolled back");
                    rollback.add(open.get(i));
                } else {
                    migrating.add(open.get(i));
                }
            }
            if (!rollback.isEmpty()) {
                pipeline(conn(dst), rollback.stream().map(s -> setslot(s, "STABLE", null)).toList());
            }
            halt("migrating", slotsDone);

            KeyMove keys = moveKeys(src, cluster.require(dst).address(), migrating, true, false, slotsDone, b.bytesPerKey());
            keys.failed().forEach((slot, why) -> leftOpen.add("slot " + slot + ": keys could not be moved from " + srcLabel
                    + " to " + dstLabel + " (" + why + "); the slot stays open, run 'redis-ha fix'"));
            List<Integer> emptied = keys.emptied();
            List<Integer> finished = finish(src, dst, emptied, leftOpen, slotsDone);
            slotsDone.addAndGet(finished.size());
            keysDone.addAndGet(keys.keys());
            listener.moved(finished.size(), keys.keys());
            return finished;
        }

        /**
         * SETSLOT NODE on the source. A source that gives away its last slot turns into a replica of the target; Valkey
         * may then drop a connection still waiting on its replicas for that SETSLOT: sent once more on a new connection,
         * where a replica answers that SETSLOT is for masters only, which {@link #finish} counts as done.
         */
        private List<Object> sourceSetslotNode(String src, String dst, List<Integer> slots) {
            List<byte[][]> commands = slots.stream().map(s -> setslot(s, "NODE", dst)).toList();
            try {
                return pipeline(conn(src), commands);
            } catch (JedisConnectionException e) {
                reconnect(src);
                return pipeline(conn(src), commands);
            }
        }

        /**
         * Empty once the target knows an epoch at least the source's own and the two config epochs differ (polled up to
         * {@link #EPOCH_PATIENCE}): the target's SETSLOT NODE then bumps it above the source, so no node can rebind the
         * slot to the source and make the target delete its keys; else why not.
         */
        private Optional<String> targetEpochBehind(String src, String dst) {
            long deadline = System.nanoTime() + EPOCH_PATIENCE.toNanos();
            while (true) {
                Map<String, String> source = NodeSession.fields(conn(src).clusterInfo());
                Map<String, String> target = NodeSession.fields(conn(dst).clusterInfo());
                long sourceEpoch = Long.parseLong(source.getOrDefault("cluster_my_epoch", "0").strip());
                long targetCurrent = Long.parseLong(target.getOrDefault("cluster_current_epoch", "0").strip());
                long targetEpoch = Long.parseLong(target.getOrDefault("cluster_my_epoch", "0").strip());
                if (targetCurrent >= sourceEpoch && targetEpoch != sourceEpoch) {
                    return Optional.empty();
                }
                if (System.nanoTime() > deadline) {
                    return Optional.of("the target " + cluster.require(dst).label() + " knows epoch " + targetCurrent + " (its own "
                            + targetEpoch + ") and the source's is " + sourceEpoch + " after " + EPOCH_PATIENCE.toSeconds() + " s");
                }
                backoff(1);
            }
        }

        /**
         * SETSLOT NODE on the target first (it takes ownership and bumps its epoch above the source's, checked
         * before, so it never bounces a client back), then on the source (which refuses while it still holds keys
         * of the slot: a last check that nothing is left behind), then on every other master so none of them
         * redirects to the old owner until gossip would have told it.
         */
        List<Integer> finish(String src, String dst, List<Integer> slots, List<String> leftOpen, AtomicInteger slotsDone) {
            if (slots.isEmpty()) {
                return slots;
            }
            List<Integer> ok = new ArrayList<>();
            long t0 = System.nanoTime();
            Optional<String> behind = targetEpochBehind(src, dst);
            time("epoch check", t0);
            if (behind.isPresent()) {
                slots.forEach(s -> leftOpen.add("slot " + s + ": not handed over, " + behind.get() + "; its keys are on the target,"
                        + " run 'redis-ha fix'"));
                return List.of();
            }
            t0 = System.nanoTime();
            List<Object> replies = pipeline(conn(dst), slots.stream().map(s -> setslot(s, "NODE", dst)).toList());
            time("setslot node target", t0);
            for (int i = 0; i < slots.size(); i++) {
                if (replies.get(i) instanceof JedisDataException e) {
                    leftOpen.add("slot " + slots.get(i) + ": target " + cluster.require(dst).label() + " refused SETSLOT NODE ("
                            + e.getMessage() + ")");
                } else {
                    ok.add(slots.get(i));
                }
            }
            halt("target-node", slotsDone);
            t0 = System.nanoTime();
            replies = sourceSetslotNode(src, dst, ok);
            time("setslot node source", t0);
            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < ok.size(); i++) {
                // A master that just gave away its last slot turns into a replica of the new owner
                // (cluster-allow-replica-migration); its SETSLOT then fails, but the move is complete.
                if (replies.get(i) instanceof JedisDataException e && !String.valueOf(e.getMessage()).contains("only with masters")) {
                    leftOpen.add("slot " + ok.get(i) + ": source " + cluster.require(src).label() + " refused SETSLOT NODE ("
                            + e.getMessage() + ")");
                } else {
                    done.add(ok.get(i));
                }
            }
            halt("source-node", slotsDone);
            if (bystanders != null) {
                bystanders.tell(src, dst, done);
                return done;
            }
            for (LiveCluster.Member other : cluster.masters()) {
                if (!other.id().equals(src) && !other.id().equals(dst) && !done.isEmpty()) {
                    try {
                        // Errors here are harmless: gossip carries the target's newer epoch to them anyway.
                        pipeline(conn(other.id()), done.stream().map(s -> setslot(s, "NODE", dst)).toList());
                    } catch (JedisConnectionException e) {
                        reconnect(other.id());
                    }
                }
            }
            return done;
        }

        /**
         * Moves every key of the slots from {@code src} to {@code target} until GETKEYSINSLOT is empty.
         *
         * @param authoritative the source is MIGRATING the slots, so its copy of a key is the newest
         *                      (clients only write a key on the target after the source answered ASK
         *                      because it no longer had it); a BUSYKEY then means an earlier MIGRATE
         *                      restored the key on the target but timed out before deleting it here, and
         *                      REPLACE is safe. Without that, REPLACE could overwrite a newer value, so
         *                      BUSYKEY fails the slot instead.
         * @param asking        send ASKING before each MIGRATE: the source only imports the slot (fix
         *                      moving stray keys off a node that does not own them)
         */
        KeyMove moveKeys(String src, NodeAddress target, List<Integer> slots, boolean authoritative, boolean asking,
                         AtomicInteger slotsDone) {
            return moveKeys(src, target, slots, authoritative, asking, slotsDone, 0);
        }

        /** @param knownBytesPerKey the key size sampled when the batch was cut, or 0 to sample these slots now */
        KeyMove moveKeys(String src, NodeAddress target, List<Integer> slots, boolean authoritative, boolean asking,
                         AtomicInteger slotsDone, long knownBytesPerKey) {
            String ip = Nodes.ip(target);
            Map<Integer, Integer> attempts = new HashMap<>();
            Map<Integer, String> failed = new LinkedHashMap<>();
            List<Integer> emptied = new ArrayList<>();
            List<Integer> pending = new ArrayList<>(slots);
            java.util.Set<Integer> replace = new java.util.HashSet<>();
            long moved = 0;
            long bytesPerKey = knownBytesPerKey > 0 ? knownBytesPerKey : bytesPerKey(src, pending);
            boolean dump = authoritative && !asking && options.dumps(bytesPerKey);
            int keysPerMigrate = options.keysFor(bytesPerKey);
            while (!pending.isEmpty()) {
                List<Object> lists;
                long t0 = System.nanoTime();
                try {
                    lists = pipeline(conn(src), pending.stream().map(s -> new byte[][] {Nodes.bytes("CLUSTER"),
                            Nodes.bytes("GETKEYSINSLOT"), Nodes.bytes(s), Nodes.bytes(keysPerMigrate)}).toList());
                } catch (JedisConnectionException e) {
                    reconnect(src);
                    pending.forEach(s -> attempts.merge(s, 1, Integer::sum));
                    pending.removeIf(s -> giveUp(s, attempts, failed, "connection lost: " + e.getMessage()));
                    backoff(attempts.values().stream().mapToInt(Integer::intValue).max().orElse(1));
                    continue;
                }
                time("getkeysinslot", t0);
                List<Integer> withKeys = new ArrayList<>();
                List<List<byte[]>> keyLists = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    @SuppressWarnings("unchecked") List<byte[]> keys = lists.get(i) instanceof List<?> l ? (List<byte[]>) l : List.of();
                    if (lists.get(i) instanceof JedisDataException e) {
                        failed.put(pending.get(i), "GETKEYSINSLOT failed: " + e.getMessage());
                    } else if (keys.isEmpty()) {
                        emptied.add(pending.get(i));
                    } else {
                        withKeys.add(pending.get(i));
                        keyLists.add(keys);
                    }
                }
                if (withKeys.isEmpty()) {
                    break;
                }
                List<byte[][]> commands = new ArrayList<>();
                for (int i = 0; i < withKeys.size(); i++) {
                    commands.add(migrate(ip, target.port(), keyLists.get(i), replace.contains(withKeys.get(i))));
                }
                List<Object> replies;
                t0 = System.nanoTime();
                try {
                    replies = dump ? dumpMoves(src, target, ip, withKeys, keyLists, replace, slotsDone)
                            : migrateInRounds(src, target, commands, keyLists, bytesPerKey, asking);
                } catch (JedisConnectionException e) {
                    reconnect(src);
                    Nodes.closeQuietly(byAddress.remove(target));
                    withKeys.forEach(s -> attempts.merge(s, 1, Integer::sum));
                    withKeys.removeIf(s -> giveUp(s, attempts, failed, "connection lost: " + e.getMessage()));
                    pending = withKeys;
                    backoff(attempts.values().stream().mapToInt(Integer::intValue).max().orElse(1));
                    continue;
                }
                time("migrate", t0);
                List<Integer> next = new ArrayList<>();
                int worstAttempt = 0;
                for (int i = 0; i < withKeys.size(); i++) {
                    int slot = withKeys.get(i);
                    Object reply = replies.get(i);
                    if (!(reply instanceof JedisDataException e)) {
                        moved += keyLists.get(i).size();
                        next.add(slot);
                    } else if (String.valueOf(e.getMessage()).contains("BUSYKEY")) {
                        // MIGRATE passes the target's error on as "ERR Target instance replied with error: BUSYKEY ...".
                        if (authoritative && !replace.contains(slot)) {
                            replace.add(slot);
                            next.add(slot);
                        } else {
                            failed.put(slot, "a key exists on both nodes and the source is not authoritative (" + e.getMessage()
                                    + "); compare them by hand, delete the stale copy, then run fix again");
                        }
                    } else {
                        // IOERR, timeouts, a target that does not accept the slot: retry with backoff, then give up.
                        int n = attempts.merge(slot, 1, Integer::sum);
                        worstAttempt = Math.max(worstAttempt, n);
                        if (!giveUp(slot, attempts, failed, e.getMessage())) {
                            next.add(slot);
                        }
                    }
                }
                if (worstAttempt > 0) {
                    backoff(worstAttempt);
                }
                pending = next;
                halt("keys", slotsDone);
            }
            return new KeyMove(emptied, failed, moved, moved * bytesPerKey);
        }

        /**
         * Moves each slot's keys one at a time by {@link DumpMove}; a key above the in-flight budget
         * goes by MIGRATE (node to node, never through this process). Per slot: a reply like MIGRATE's
         * (OK, or the error that fails or retries the slot).
         */
        private List<Object> dumpMoves(String src, NodeAddress target, String ip, List<Integer> slots, List<List<byte[]>> keyLists,
                                       java.util.Set<Integer> replace, AtomicInteger slotsDone) {
            NodeAddress source = cluster.require(src).address();
            DumpMove move = new DumpMove(conn(src), targetConn(target), source, target, gates, DUMP_BUDGET_BYTES, haltSteps(slotsDone));
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                List<byte[]> tooBig = new ArrayList<>();
                List<byte[]> busy = new ArrayList<>();
                try {
                    for (byte[] key : keyLists.get(i)) {
                        DumpMove.Outcome outcome = move.move(key);
                        if (outcome == DumpMove.Outcome.TOO_BIG) {
                            tooBig.add(key);
                        } else if (outcome == DumpMove.Outcome.BUSY) {
                            busy.add(key);
                        }
                    }
                    replies.add(finishByMigrate(src, target, ip, tooBig, busy, replace.contains(slots.get(i))));
                } catch (JedisDataException e) {
                    replies.add(e);
                }
            }
            return replies;
        }

        /** The test hook's halts between a key's DUMP and RESTORE ("dumped") and its RESTORE and UNLINK ("restored"). */
        private DumpMove.Steps haltSteps(AtomicInteger slotsDone) {
            return new DumpMove.Steps() {
                @Override
                public void dumped() {
                    halt("dumped", slotsDone);
                }

                @Override
                public void restored() {
                    halt("restored", slotsDone);
                }
            };
        }

        /**
         * A slot's reply after its keys went by DUMP: the MIGRATE of the keys left to it (with REPLACE for those a stale
         * copy of ours blocks on the target, and for all if {@code replaceAll}), else OK.
         */
        private Object finishByMigrate(String src, NodeAddress target, String ip, List<byte[]> tooBig, List<byte[]> busy, boolean replaceAll) {
            Object reply = "OK";
            for (boolean replaceCopy : new boolean[] {false, true}) {
                List<byte[]> keys = replaceCopy ? busy : tooBig;
                if (!keys.isEmpty()) {
                    Object r = migrateInRounds(src, target, List.<byte[][]>of(migrate(ip, target.port(), keys, replaceCopy || replaceAll)),
                            List.of(keys), DUMP_BUDGET_BYTES, false).get(0);
                    if (r instanceof JedisDataException) {
                        reply = r;
                    }
                }
            }
            return reply;
        }

        /** A connection to a target by address (the DUMP path talks to it directly). */
        private Jedis targetConn(NodeAddress target) {
            return byAddress.computeIfAbsent(target, a -> Nodes.connect(a, credentials, options.migrateTimeoutMs() * 2 + 5000));
        }

        /**
         * Sends the MIGRATEs in pipelined rounds of at most {@code bytesPerMigrate} (at least one
         * command), each through the gates: the source runs a client's pipelined commands back to
         * back, so between rounds its other clients get served.
         */
        private List<Object> migrateInRounds(String src, NodeAddress target, List<byte[][]> commands, List<List<byte[]>> keyLists,
                                             long bytesPerKey, boolean asking) {
            Jedis jedis = conn(src);
            NodeAddress source = cluster.require(src).address();
            List<Object> replies = new ArrayList<>();
            int from = 0;
            while (from < commands.size()) {
                int to = from;
                long bytes = 0;
                do {
                    bytes += keyLists.get(to).size() * bytesPerKey;
                    to++;
                } while (to < commands.size() && bytes + keyLists.get(to).size() * bytesPerKey <= options.bytesPerMigrate());
                List<byte[][]> round = commands.subList(from, to);
                replies.addAll(gates.run(source, target, () -> asking ? pipelineAsking(jedis, round) : pipeline(jedis, round)));
                from = to;
            }
            return replies;
        }

        /**
         * The size of a key in these slots, from MEMORY USAGE of one key of each of the first few slots
         * (one pipelined round trip each way); the largest sample, so a batch errs on the small side.
         */
        private long bytesPerKey(String src, List<Integer> slots) {
            try {
                return Math.max(1, largestKeyBytes(conn(src), slots.subList(0, Math.min(8, slots.size()))));
            } catch (RuntimeException e) {
                // No estimate (MEMORY disabled, a connection hiccup): the key-count bound alone applies, as before.
                return 1;
            }
        }

        private boolean giveUp(int slot, Map<Integer, Integer> attempts, Map<Integer, String> failed, String why) {
            if (attempts.getOrDefault(slot, 0) > options.retries()) {
                failed.put(slot, why + " (after " + attempts.get(slot) + " attempts)");
                return true;
            }
            return false;
        }

        byte[][] migrate(String ip, int port, List<byte[]> keys, boolean replace) {
            List<byte[]> args = new ArrayList<>(List.of(Nodes.bytes(ip), Nodes.bytes(port), new byte[0], Nodes.bytes(0),
                    Nodes.bytes(options.migrateTimeoutMs())));
            if (replace) {
                args.add(Nodes.bytes("REPLACE"));
            }
            if (credentials.password().isPresent()) {
                // MIGRATE opens its own connection to the target, so it must authenticate there too.
                args.add(Nodes.bytes("AUTH"));
                args.add(Nodes.bytes(credentials.password().get()));
            }
            args.add(Nodes.bytes("KEYS"));
            args.addAll(keys);
            byte[][] command = new byte[args.size() + 1][];
            command[0] = Nodes.bytes("MIGRATE");
            for (int i = 0; i < args.size(); i++) {
                command[i + 1] = args.get(i);
            }
            return command;
        }

        @Override
        public void close() {
            connections.values().forEach(Nodes::closeQuietly);
            byAddress.values().forEach(Nodes::closeQuietly);
        }
    }

    /**
     * Tells every master other than source and target about finished slots, off the workers' path:
     * those masters are sources of other batches, busy running MIGRATE, and a worker waiting on them
     * would stall its own source. The target already broadcast the change when it took the slot, so
     * this only shortens the time a client is sent to the old owner; errors are harmless.
     */
    private final class Bystanders implements AutoCloseable {
        private final LiveCluster cluster;
        private final Map<String, java.util.concurrent.ExecutorService> lanes = new LinkedHashMap<>();
        private final Map<String, Jedis> connections = new java.util.concurrent.ConcurrentHashMap<>();

        Bystanders(LiveCluster cluster) {
            this.cluster = cluster;
            for (LiveCluster.Member m : cluster.masters()) {
                lanes.put(m.id(), java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "redis-ha-setslot-" + NodeLine.shortId(m.id()));
                    t.setDaemon(true);
                    return t;
                }));
            }
        }

        void tell(String src, String dst, List<Integer> slots) {
            if (slots.isEmpty()) {
                return;
            }
            List<Integer> copy = List.copyOf(slots);
            lanes.forEach((id, lane) -> {
                if (!id.equals(src) && !id.equals(dst)) {
                    lane.execute(() -> {
                        try {
                            Jedis j = connections.computeIfAbsent(id, k -> Nodes.connect(cluster.require(k).address(), credentials, 10_000));
                            pipeline(j, copy.stream().map(s -> setslot(s, "NODE", dst)).toList());
                        } catch (RuntimeException e) {
                            Nodes.closeQuietly(connections.remove(id));
                        }
                    });
                }
            });
        }

        @Override
        public void close() {
            for (java.util.concurrent.ExecutorService lane : lanes.values()) {
                lane.shutdown();
                try {
                    lane.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            connections.values().forEach(Nodes::closeQuietly);
        }
    }

    record KeyMove(List<Integer> emptied, Map<Integer, String> failed, long keys, long bytes) {
    }

}
