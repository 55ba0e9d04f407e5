package io.redisha.it;

import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;

/**
 * Keys loaded before a move and writers running through it, over a cluster client that follows
 * MOVED and ASK. Writers store increasing values per key and remember the last acknowledged one, so
 * a read below it proves a lost write.
 */
final class Workload implements AutoCloseable {
    private final RedisClusterClient client;
    private final String password;
    private final int valueBytes;
    private final int keys;
    private final String value;
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final Map<String, Long> attempted = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Thread> writers = new ArrayList<>();

    Workload(List<NodeAddress> seeds, String password, int keys, int valueBytes) {
        Set<HostAndPort> nodes = new HashSet<>();
        seeds.forEach(a -> nodes.add(new HostAndPort(a.host(), a.port())));
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().socketTimeoutMillis(5000);
        if (password != null) {
            config.password(password);
        }
        this.client = RedisClusterClient.builder().nodes(nodes).clientConfig(config.build()).maxAttempts(20)
                .maxTotalRetriesDuration(Duration.ofSeconds(30)).build();
        this.keys = keys;
        this.password = password;
        this.valueBytes = valueBytes;
        this.value = "v".repeat(Math.max(1, valueBytes - 8));
    }

    static String key(int i) {
        return "key:" + i;
    }

    String valueOf(int i) {
        return value + String.format("%08d", i % 100_000_000);
    }

    /** SETs key:0..keys-1 through cluster pipelines. */
    Workload load() {
        int batch = 20_000;
        for (int from = 0; from < keys; from += batch) {
            try (ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
                for (int i = from; i < Math.min(keys, from + batch); i++) {
                    p.set(key(i), valueOf(i));
                }
                p.sync();
            }
        }
        return this;
    }

    /** Starts writers over a small key space per writer; each stops after {@code maxWrites} or on {@link #stopWriters()}. */
    Workload startWriters(int threads, int keysPerWriter, long maxWrites) {
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread writer = new Thread(() -> {
                long n = 0;
                while (!stop.get() && n < maxWrites) {
                    String k = "w:" + id + ":" + ThreadLocalRandom.current().nextInt(keysPerWriter);
                    long v = attempted.merge(k, 1L, Long::sum);
                    try {
                        client.set(k, Long.toString(v));
                        acked.merge(k, v, Math::max);
                        writes.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                    n++;
                }
            }, "writer-" + t);
            writer.start();
            writers.add(writer);
        }
        return this;
    }

    void stopWriters() {
        stop.set(true);
        for (Thread w : writers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long writes() {
        return writes.get();
    }

    long writeErrors() {
        return errors.get();
    }

    /** Keys whose loaded value is missing or wrong, read with a fresh client (pipelines do not follow MOVED). */
    List<String> missingLoaded(NodeAddress seed) {
        try (Workload fresh = new Workload(List.of(seed), password, keys, valueBytes)) {
            return fresh.readLoaded();
        }
    }

    private List<String> readLoaded() {
        List<String> bad = new ArrayList<>();
        int batch = 20_000;
        for (int from = 0; from < keys; from += batch) {
            List<Response<String>> replies = new ArrayList<>();
            try (ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
                for (int i = from; i < Math.min(keys, from + batch); i++) {
                    replies.add(p.get(key(i)));
                }
                p.sync();
            }
            for (int i = 0; i < replies.size(); i++) {
                if (!valueOf(from + i).equals(replies.get(i).get())) {
                    bad.add(key(from + i));
                }
            }
        }
        return bad;
    }

    /** Acknowledged writes that are not readable: the key reads below its last acknowledged value. */
    List<String> lostWrites() {
        return lostWrites(client);
    }

    /**
     * The same, read with a fresh client from {@code seed}: after a scale-in the writers' client may
     * still map a slot to a drained node, which was reset and answers CLUSTERDOWN (Jedis refreshes
     * its slot map on MOVED and on connection errors, not on CLUSTERDOWN).
     */
    List<String> lostWrites(NodeAddress seed) {
        try (Workload fresh = new Workload(List.of(seed), password, keys, valueBytes)) {
            return lostWrites(fresh.client);
        }
    }

    private List<String> lostWrites(RedisClusterClient reader) {
        List<String> lost = new ArrayList<>();
        acked.forEach((k, v) -> {
            String read = reader.get(k);
            if (read == null || Long.parseLong(read) < v) {
                lost.add(k + " acked " + v + " read " + read);
            }
        });
        return lost;
    }

    int ackedKeys() {
        return acked.size();
    }

    @Override
    public void close() {
        stopWriters();
        client.close();
    }
}
