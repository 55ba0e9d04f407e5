package io.redisha.it;

import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * Keys of every type for backup tests (strings, hashes, lists, sets, sorted sets, streams with a
 * consumer group; every fifth with a TTL of an hour or more), written and read back through a
 * cluster client, and a writer that keeps writing while a backup runs.
 */
final class Dataset implements AutoCloseable {
    private static final String[] TYPES = {"s", "h", "l", "t", "z", "x"};
    private final RedisClusterClient client;
    private final int keys;
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private Thread writer;

    Dataset(List<NodeAddress> seeds, int keys) {
        Set<HostAndPort> nodes = new HashSet<>();
        seeds.forEach(a -> nodes.add(new HostAndPort(a.host(), a.port())));
        this.client = RedisClusterClient.builder().nodes(nodes).clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000).build())
                .maxAttempts(20).maxTotalRetriesDuration(Duration.ofSeconds(30)).build();
        this.keys = keys;
    }

    static String key(int i) {
        return TYPES[i % TYPES.length] + ":" + i;
    }

    int keys() {
        return keys;
    }

    Dataset load() {
        long expireBase = System.currentTimeMillis() + 3_600_000;
        int batch = 10_000;
        for (int from = 0; from < keys; from += batch) {
            try (ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
                for (int i = from; i < Math.min(keys, from + batch); i++) {
                    String k = key(i);
                    switch (i % TYPES.length) {
                        case 0 -> p.set(k, "value-" + i);
                        case 1 -> p.hset(k, Map.of("f0", "a" + i, "f1", "b" + i, "f2", Integer.toString(i)));
                        case 2 -> p.rpush(k, "x" + i, "y" + i, "z" + i, "x" + i);
                        case 3 -> p.sadd(k, "m" + i, "n" + i, Integer.toString(i), "o");
                        case 4 -> p.zadd(k, Map.of("a" + i, 1.5, "b", (double) i, "c", -2.25));
                        default -> {
                            p.xadd(k, XAddParams.xAddParams().id(new StreamEntryID(1, i)), Map.of("f", "v" + i));
                            p.xadd(k, XAddParams.xAddParams().id(new StreamEntryID(2, i)), Map.of("g", "w" + i, "h", "1"));
                            if (i % 12 == 5) {
                                p.xgroupCreate(k, "readers", new StreamEntryID(1, i), false);
                            }
                        }
                    }
                    if (i % 5 == 0) {
                        p.pexpireAt(k, expireBase + i);
                    }
                }
                p.sync();
            }
        }
        return this;
    }

    /** Starts writing w:0, w:1, ... (each key's value is its number) until {@link #stopWriter()}. */
    void startWriter() {
        writing.set(true);
        writer = new Thread(() -> {
            while (writing.get()) {
                long n = written.get();
                client.set("w:" + n, Long.toString(n));
                written.incrementAndGet();
            }
        }, "dataset-writer");
        writer.start();
    }

    /** Stops the writer; returns how many writes were acknowledged. */
    long stopWriter() throws InterruptedException {
        writing.set(false);
        writer.join();
        return written.get();
    }

    /** Every key's DUMP payload and absolute expiry (-1 none), read through the cluster client. */
    Map<String, Snapshot> read(List<String> names) {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        int batch = 10_000;
        for (int from = 0; from < names.size(); from += batch) {
            List<String> part = names.subList(from, Math.min(names.size(), from + batch));
            List<Response<byte[]>> dumps = new ArrayList<>();
            List<Response<Long>> expiries = new ArrayList<>();
            List<Response<Set<String>>> members = new ArrayList<>();
            try (ClusterPipeline p = (ClusterPipeline) client.pipelined()) {
                for (String k : part) {
                    dumps.add(p.dump(k));
                    expiries.add(p.pexpireTime(k));
                    members.add(k.startsWith("t:") ? p.smembers(k) : null);
                }
                p.sync();
            }
            for (int i = 0; i < part.size(); i++) {
                // A set in a hash table serializes in its table's order, which differs between servers: compare its members.
                Response<Set<String>> set = members.get(i);
                out.put(part.get(i), set == null ? new Snapshot(dumps.get(i).get(), expiries.get(i).get(), Set.of())
                        : new Snapshot(dumps.get(i).get() == null ? null : new byte[0], expiries.get(i).get(), set.get()));
            }
        }
        return out;
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            names.add(key(i));
        }
        return names;
    }

    String get(String key) {
        return client.get(key);
    }

    /**
     * A key's serialized value (type and value; empty for a set, whose members are compared instead),
     * its absolute expiry in ms (-1 without), and a set's members.
     */
    record Snapshot(byte[] dump, long expiresAt, Set<String> members) {
    }

    @Override
    public void close() {
        writing.set(false);
        client.close();
    }
}
