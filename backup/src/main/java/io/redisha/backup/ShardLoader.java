package io.redisha.backup;

import io.redisha.cluster.transport.Connections;
import io.redisha.cluster.transport.Credentials;
import io.redisha.server.RedisServerProcess;
import io.redisha.topology.NodeAddress;
import java.nio.file.Path;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * A temporary standalone {@code redis-server} on loopback that has loaded one shard's snapshot:
 * Redis's own loader reads every type and encoding, and the keys are then read from it with DUMP.
 */
final class ShardLoader implements AutoCloseable {
    private final Process process;
    private final NodeAddress address;
    private final Credentials credentials;
    private final Path dir;

    private ShardLoader(Process process, NodeAddress address, Credentials credentials, Path dir) {
        this.process = process;
        this.address = address;
        this.credentials = credentials;
        this.dir = dir;
    }

    /** Starts the loader on {@code dir/rdbFile} and returns once the snapshot is loaded. */
    static ShardLoader load(Path dir, String rdbFile) {
        int port = RedisServerProcess.freePortPair();
        String password = java.util.UUID.randomUUID().toString();
        Process process = RedisServerProcess.startLoader(dir, rdbFile, port, password);
        ShardLoader loader = new ShardLoader(process, new NodeAddress("127.0.0.1", port), Credentials.password(password), dir);
        try {
            loader.awaitLoaded();
            return loader;
        } catch (RuntimeException e) {
            loader.close();
            throw e;
        }
    }

    private void awaitLoaded() {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the snapshot could not be loaded: " + tail());
            }
            if (RedisServerProcess.answers(address.port())) {
                try (Jedis jedis = connect()) {
                    if ("0".equals(Connections.fields(jedis.info("persistence")).get("loading"))) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // Still starting, or answering LOADING to AUTH on some versions: ask again.
                }
            }
            sleep();
        }
    }

    /** A connection to the loader (close it). */
    Jedis connect() {
        return Connections.open(address, credentials, 60_000);
    }

    /** Keys the load kept and keys it dropped because their TTL had passed (INFO persistence, Redis 7.0+). */
    Map<String, String> persistence() {
        try (Jedis jedis = connect()) {
            return Connections.fields(jedis.info("persistence"));
        }
    }

    private String tail() {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("loader.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        RedisServerProcess.stop(process);
        RedisServerProcess.release(address.port());
    }
}
