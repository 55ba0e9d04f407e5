package io.redisha.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The fault harness's client in one zone (tests/faults/run.sh starts one inside each zone's network
 * namespace): one writer per shard appends unique rising numbers to its own keys ({@code RPUSH}) and
 * records which writes were acknowledged (in safe mode: the write then {@code WAIT 1 <ms>} on the same
 * connection, acknowledged only when a replica confirmed), a reader reads those keys from their
 * masters and counts stale answers. Writing stops when {@code <dir>/stop} appears; once
 * {@code <dir>/check} appears (the cluster has settled) every key is read from its master and the
 * verdict is written as one JSON line to {@code --out}. It begins once {@code <dir>/go} appears (the cluster is formed).
 *
 * <p>Routing is its own, not JedisCluster's: a writer follows MOVED and otherwise asks the nodes
 * (its zone's first) which node serves its shard, so a client in a cut-off zone keeps writing to
 * the master it can see, as a real client there would.
 */
public final class HistoryClient {
    private static final int CONNECT_TIMEOUT_MS = 300;
    private static final int SOCKET_TIMEOUT_MS = 500;
    private static final int KEYS_PER_SHARD = 16;

    private final String zone;
    private final List<HostAndPort> seeds;
    private final boolean safe;
    private final int waitMs;
    private final Path dir;
    private final History history = new History();
    private final Outages outages = new Outages();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private volatile boolean stopped;

    private HistoryClient(String zone, List<HostAndPort> seeds, boolean safe, int waitMs, Path dir) {
        this.zone = zone;
        this.seeds = seeds;
        this.safe = safe;
        this.waitMs = waitMs;
        this.dir = dir;
    }

    /** {@code --zone Z --seeds H:P,H:P,... [--safe] [--wait-ms N] --dir DIR --out FILE} */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--safe")) {
                a.put("safe", "true");
            } else {
                a.put(args[i].substring(2), args[++i]);
            }
        }
        List<HostAndPort> seeds = new ArrayList<>();
        for (String s : a.get("seeds").split(",")) {
            seeds.add(HostAndPort.from(s));
        }
        HistoryClient client = new HistoryClient(a.get("zone"), seeds, a.containsKey("safe"), Integer.parseInt(a.getOrDefault("wait-ms", "500")),
                Path.of(a.get("dir")));
        Files.writeString(Path.of(a.get("out")), client.run() + "\n");
    }

    private String run() throws Exception {
        awaitFile("go"); // started while the cluster forms: the JVM's start-up overlaps it
        List<int[]> shards = shards();
        List<Thread> threads = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            List<String> own = keysIn(shards.get(s), s);
            keys.add(own);
            int first = shards.get(s)[0];
            threads.add(start("writer-" + s, () -> write(own, first)));
        }
        threads.add(start("reader", () -> read(keys, shards)));
        Files.writeString(dir.resolve("started-" + zone), "");
        awaitFile("stop");
        stopped = true;
        for (Thread t : threads) {
            t.join();
        }
        awaitFile("check");
        History.Verdict v = history.check(this::finalList);
        return "{\"zone\":\"" + zone + "\",\"attempts\":" + attempts.get() + ",\"acknowledged\":" + v.acknowledged() + ",\"lost\":" + v.lost()
                + ",\"unread\":" + v.unread() + ",\"unconfirmed\":" + unconfirmed.get() + ",\"reads\":" + reads.get() + ",\"stale\":" + stale.get()
                + ",\"unavailableSeconds\":" + String.format(java.util.Locale.ROOT, "%.1f", outages.seconds())
                + ",\"lostWindowMs\":" + (v.lost() == 0 ? 0 : v.lastLostAt() - v.firstLostAt())
                + ",\"lostSample\":\"" + String.join("; ", v.lostSample()) + "\"}";
    }

    /** One writer: rising values over its shard's keys until stopped. */
    private void write(List<String> keys, int slot) {
        Route route = new Route(slot);
        long seq = 0;
        long failingSince = 0;
        while (!stopped) {
            seq++;
            String key = keys.get((int) (seq % keys.size()));
            long began = System.currentTimeMillis();
            attempts.incrementAndGet();
            boolean acked = false;
            try {
                Jedis j = route.master();
                j.rpush(key, Long.toString(seq));
                if (!safe || j.waitReplicas(1, waitMs) >= 1) {
                    acked = true;
                    history.acknowledged(key, seq, System.currentTimeMillis());
                } else {
                    unconfirmed.incrementAndGet();
                }
            } catch (RuntimeException e) {
                route.failed(e);
            }
            long now = System.currentTimeMillis();
            if (acked && failingSince > 0) {
                outages.add(failingSince, now);
                failingSince = 0;
            } else if (!acked && failingSince == 0) {
                failingSince = began;
            }
            pause(acked ? 5 : 50);
        }
        if (failingSince > 0) {
            outages.add(failingSince, System.currentTimeMillis());
        }
        route.close();
    }

    /** The reader: a random acknowledged key from its master; older than acknowledged before the read is stale. */
    private void read(List<List<String>> keys, List<int[]> shards) {
        List<Route> routes = new ArrayList<>();
        shards.forEach(s -> routes.add(new Route(s[0])));
        while (!stopped) {
            int s = ThreadLocalRandom.current().nextInt(shards.size());
            String key = keys.get(s).get(ThreadLocalRandom.current().nextInt(keys.get(s).size()));
            long before = history.lastAcked(key);
            try {
                String value = routes.get(s).master().lindex(key, -1);
                reads.incrementAndGet();
                if (History.stale(before, value == null ? 0 : Long.parseLong(value))) {
                    stale.incrementAndGet();
                }
            } catch (RuntimeException e) {
                routes.get(s).failed(e);
            }
            pause(20);
        }
        routes.forEach(Route::close);
    }

    /** The numbers in a key's list, from its master once settled; nothing when no master answered within 20 s. */
    private Optional<Set<Long>> finalList(String key) {
        Route route = new Route(JedisClusterCRC16.getSlot(key));
        long deadline = System.currentTimeMillis() + 20_000;
        try {
            while (System.currentTimeMillis() < deadline) {
                try {
                    Set<Long> present = new HashSet<>();
                    route.master().lrange(key, 0, -1).forEach(v -> present.add(Long.parseLong(v)));
                    return Optional.of(present);
                } catch (RuntimeException e) {
                    route.failed(e);
                    pause(100);
                }
            }
            return Optional.empty();
        } finally {
            route.close();
        }
    }

    /** The slot ranges of the masters, as the first answering seed sees them at the start. */
    private List<int[]> shards() {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (HostAndPort seed : seeds) {
                try (Jedis j = connect(seed)) {
                    List<int[]> ranges = new ArrayList<>();
                    for (Object o : j.clusterSlots()) {
                        List<?> r = (List<?>) o;
                        ranges.add(new int[] {((Long) r.get(0)).intValue(), ((Long) r.get(1)).intValue()});
                    }
                    ranges.sort(java.util.Comparator.comparingInt(r -> r[0]));
                    if (!ranges.isEmpty()) {
                        return ranges;
                    }
                } catch (RuntimeException e) {
                    // next seed
                }
            }
            pause(100);
        }
        throw new IllegalStateException("no seed answered CLUSTER SLOTS: " + seeds);
    }

    /** Keys of this zone whose slot lies in the range. */
    private List<String> keysIn(int[] range, int shard) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < KEYS_PER_SHARD; i++) {
            String key = zone + ":s" + shard + ":" + i;
            int slot = JedisClusterCRC16.getSlot(key);
            if (slot >= range[0] && slot <= range[1]) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The connection to whichever node serves one slot, followed through MOVED and re-asked on errors. */
    private final class Route {
        private final int slot;
        private HostAndPort target;
        private Jedis jedis;

        Route(int slot) {
            this.slot = slot;
        }

        Jedis master() {
            if (jedis == null) {
                if (target == null) {
                    target = ask();
                }
                jedis = connect(target);
            }
            return jedis;
        }

        void failed(RuntimeException e) {
            close();
            target = e instanceof JedisMovedDataException moved ? moved.getTargetNode() : null;
        }

        /** The master of the slot as the first answering node sees it (own zone first). */
        private HostAndPort ask() {
            for (HostAndPort seed : seeds) {
                try (Jedis j = connect(seed)) {
                    for (Object o : j.clusterSlots()) {
                        List<?> r = (List<?>) o;
                        if (((Long) r.get(0)) <= slot && slot <= ((Long) r.get(1))) {
                            List<?> master = (List<?>) r.get(2);
                            return new HostAndPort(new String((byte[]) master.get(0)), ((Long) master.get(1)).intValue());
                        }
                    }
                } catch (RuntimeException e) {
                    // next seed
                }
            }
            throw new IllegalStateException("no node knows the master of slot " + slot);
        }

        void close() {
            if (jedis != null) {
                try {
                    jedis.close();
                } catch (RuntimeException e) {
                    // already broken
                }
                jedis = null;
            }
        }
    }

    private static Jedis connect(HostAndPort node) {
        return new Jedis(node, DefaultJedisClientConfig.builder().connectionTimeoutMillis(CONNECT_TIMEOUT_MS).socketTimeoutMillis(SOCKET_TIMEOUT_MS).build());
    }

    private void awaitFile(String name) {
        while (!Files.exists(dir.resolve(name))) {
            pause(50);
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
