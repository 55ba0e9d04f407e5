package io.redisha.cluster.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The transport under the engine's verbs: raw commands pipelined on one connection, each reply the
 * value or the error the server answered, and Valkey's NOREPLICAS on SETSLOT waited out. Depends on
 * nothing above it, so sessions, the mover and fix all send through here.
 */
public final class Pipelines {
    /**
     * How long a CLUSTER SETSLOT that Valkey answered NOREPLICAS is sent again. Valkey 8+ replicates SETSLOT to the
     * node's replicas first and applies it only once they acknowledge (2 s by default); a replica that is still
     * loading its full sync (one that just migrated to this master, as a scale-in drains another) cannot, so the
     * node answers NOREPLICAS and changes nothing. Seen on Valkey 8.1.8; Redis applies SETSLOT at once.
     */
    static final Duration SETSLOT_NOREPLICAS_PATIENCE = Duration.ofSeconds(60);

    private Pipelines() {
    }

    /** A command argument: text as UTF-8, a number in decimal. */
    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(long n) {
        return bytes(Long.toString(n));
    }

    public static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000L, 25L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static byte[][] setslot(int slot, String sub, String nodeId) {
        return nodeId == null
                ? new byte[][] {bytes("CLUSTER"), bytes("SETSLOT"), bytes(slot), bytes(sub)}
                : new byte[][] {bytes("CLUSTER"), bytes("SETSLOT"), bytes(slot), bytes(sub), bytes(nodeId)};
    }

    /**
     * Sends the commands (first element is the command name) in one pipeline; each reply is the value
     * or the {@link JedisDataException} the server answered with.
     */
    public static List<Object> pipeline(Jedis jedis, List<byte[][]> commands) {
        return resendRefusedSetslots(jedis, commands, send(jedis, commands));
    }

    private static List<Object> send(Jedis jedis, List<byte[][]> commands) {
        if (commands.isEmpty()) {
            return new ArrayList<>();
        }
        Pipeline p = jedis.pipelined();
        List<Response<Object>> responses = new ArrayList<>();
        for (byte[][] c : commands) {
            responses.add(p.sendCommand(command(c[0]), java.util.Arrays.copyOfRange(c, 1, c.length)));
        }
        p.sync();
        List<Object> out = new ArrayList<>();
        for (Response<Object> r : responses) {
            try {
                out.add(r.get());
            } catch (JedisDataException e) {
                out.add(e);
            }
        }
        return out;
    }

    /** SETSLOTs a Valkey node answered NOREPLICAS (see {@link #SETSLOT_NOREPLICAS_PATIENCE}) are sent again until they pass or time runs out. */
    private static List<Object> resendRefusedSetslots(Jedis jedis, List<byte[][]> commands, List<Object> replies) {
        long deadline = System.nanoTime() + SETSLOT_NOREPLICAS_PATIENCE.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            List<Integer> again = new ArrayList<>();
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i) instanceof JedisDataException e && String.valueOf(e.getMessage()).startsWith("NOREPLICAS")
                        && commands.get(i).length > 1 && new String(commands.get(i)[1], java.nio.charset.StandardCharsets.US_ASCII).equals("SETSLOT")) {
                    again.add(i);
                }
            }
            if (again.isEmpty()) {
                break;
            }
            backoff(attempt);
            List<Object> retried = send(jedis, again.stream().map(commands::get).toList());
            for (int k = 0; k < again.size(); k++) {
                replies.set(again.get(k), retried.get(k));
            }
        }
        return replies;
    }

    /** Like {@link #pipeline} with ASKING before each command; only the commands' replies are returned. */
    public static List<Object> pipelineAsking(Jedis jedis, List<byte[][]> commands) {
        List<byte[][]> withAsking = new ArrayList<>();
        for (byte[][] c : commands) {
            withAsking.add(new byte[][] {bytes("ASKING")});
            withAsking.add(c);
        }
        List<Object> all = pipeline(jedis, withAsking);
        List<Object> out = new ArrayList<>();
        for (int i = 1; i < all.size(); i += 2) {
            out.add(all.get(i));
        }
        return out;
    }

    /** Any command by name, those Jedis has no constant for included (DEBUG, PEXPIRETIME on older clients). */
    private static redis.clients.jedis.commands.ProtocolCommand command(byte[] name) {
        return () -> name;
    }
}
