package io.redisha.cluster.move;

import io.redisha.cluster.transport.Nodes;
import io.redisha.cluster.transport.Pipelines;
import io.redisha.topology.NodeAddress;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Moves one key of a MIGRATING slot without a node waiting on the other, for big values: on the
 * source WATCH the key, read its PTTL and size, then DUMP it (one step, blocking the source for the
 * serialization only); on the target ASKING + RESTORE with that TTL (blocking the target for the
 * load only); then on the source MULTI / UNLINK / EXEC, which frees the value in the background.
 *
 * <p>Safety, step by step. Until the EXEC the key stays on the source, which keeps serving it (a
 * client is only sent to the target for a key the source no longer has), so the copy on the target
 * is unseen. A client write to the key between WATCH and EXEC aborts the EXEC: the key is moved
 * again, so the newer value wins. A copy already on the target (BUSYKEY) is left to MIGRATE ...
 * REPLACE ({@link Outcome#BUSY}): while the source has the key the copy is an earlier attempt's, and
 * MIGRATE checks that atomically at the source, where RESTORE ... REPLACE here could overwrite a
 * client's write made on the target after it deleted the key on the source. If the key is gone from
 * the source when the EXEC aborted (a client deleted it, or it expired), the copy this move put on
 * the target is deleted there, but only
 * if it is still the one restored (WATCH, DUMP compared, MULTI / DEL / EXEC): a client's newer write
 * on the target wins. A crash at any step leaves the key on the source, perhaps also on the target:
 * {@code fix} MIGRATEs it again with REPLACE (the source is authoritative while the slot is open).
 *
 * <p>Memory: one value at a time, at most {@code budgetBytes} by MEMORY USAGE; a bigger key is left
 * to MIGRATE ({@link Outcome#TOO_BIG}).
 */
final class DumpMove {
    enum Outcome { MOVED, GONE, TOO_BIG, BUSY }

    /** Test seams between the steps: after the DUMP, and after the RESTORE (before the UNLINK). */
    interface Steps {
        Steps NONE = new Steps() { };

        default void dumped() {
        }

        default void restored() {
        }
    }

    /** How often one key is redone after aborted EXECs before its slot is retried later. */
    static final int MAX_REDOS = 50;

    private final Jedis source;
    private final Jedis target;
    private final NodeAddress sourceAddress;
    private final NodeAddress targetAddress;
    private final MigrateGates gates;
    private final long budgetBytes;
    private final Steps steps;

    DumpMove(Jedis source, Jedis target, NodeAddress sourceAddress, NodeAddress targetAddress, MigrateGates gates, long budgetBytes,
             Steps steps) {
        this.source = source;
        this.target = target;
        this.sourceAddress = sourceAddress;
        this.targetAddress = targetAddress;
        this.gates = gates;
        this.budgetBytes = budgetBytes;
        this.steps = steps;
    }

    /** Moves {@code key}; a JedisDataException is a reply the caller retries or fails the slot on. */
    Outcome move(byte[] key) {
        byte[] restored = null;
        for (int attempt = 0; attempt <= MAX_REDOS; attempt++) {
            // 1. WATCH, PTTL and size in one round trip; the DUMP only if the value fits the budget.
            List<Object> head = Pipelines.pipeline(source, List.of(cmd("WATCH", key), cmd("PTTL", key),
                    cmd("MEMORY", "USAGE".getBytes(), key)));
            // A MIGRATING source answers ASK for a key it no longer has: the key is gone from it.
            boolean gone = head.stream().anyMatch(DumpMove::isAsk);
            if (!gone) {
                throwIfError(head);
            }
            long pttl = gone ? -2 : (Long) head.get(1);
            if (pttl == -2) {
                unwatch();
                if (restored != null) {
                    deleteOnTargetIfStill(key, restored);
                }
                return Outcome.GONE;
            }
            if (head.get(2) instanceof Long usage && usage > budgetBytes) {
                unwatch();
                return Outcome.TOO_BIG;
            }
            Object dumped = gates.runOn(sourceAddress, () -> Pipelines.pipeline(source, List.<byte[][]>of(cmd("DUMP", key)))).get(0);
            if (dumped instanceof JedisDataException e && !isAsk(e)) {
                unwatch();
                throw e;
            }
            if (!(dumped instanceof byte[] payload)) {
                unwatch();
                if (restored != null) {
                    deleteOnTargetIfStill(key, restored);
                }
                return Outcome.GONE;
            }
            steps.dumped();
            // 2. RESTORE on the target with the TTL read under the same WATCH (0: none; 1 ms at least for one about to expire).
            byte[] ttl = Nodes.bytes(pttl < 0 ? 0 : Math.max(1, pttl));
            Object reply = restore(key, ttl, payload);
            if (reply instanceof JedisDataException e && String.valueOf(e.getMessage()).startsWith("BUSYKEY")) {
                // Never RESTORE ... REPLACE here: a client may have deleted the key on the source and written it on the target
                // since the DUMP. MIGRATE ... REPLACE is atomic at the source, which still has the key only if the copy is ours.
                unwatch();
                return Outcome.BUSY;
            }
            if (reply instanceof JedisDataException e) {
                unwatch();
                throw e;
            }
            restored = payload;
            steps.restored();
            // 3. UNLINK on the source only if nothing touched the key since the WATCH.
            List<Object> exec = Pipelines.pipeline(source, List.of(cmd("MULTI"), cmd("UNLINK", key), cmd("EXEC")));
            if (exec.get(2) instanceof List<?>) {
                return Outcome.MOVED;
            }
            if (exec.get(2) instanceof JedisDataException e && !String.valueOf(e.getMessage()).startsWith("EXECABORT")) {
                throw e;
            }
            // EXEC aborted: a client wrote the key (null), or deleted it so UNLINK was answered ASK (EXECABORT); redo it.
        }
        throw new JedisDataException("TRYAGAIN key rewritten on the source during " + MAX_REDOS + " moves in a row; the slot is retried");
    }

    private Object restore(byte[] key, byte[] ttl, byte[] payload) {
        List<byte[][]> commands = List.of(cmd("ASKING"), cmd("RESTORE", key, ttl, payload));
        return gates.runOn(targetAddress, () -> Pipelines.pipeline(target, commands)).get(1);
    }

    /** Deletes the key on the target if it still holds exactly {@code restored} (a client's newer write there stays). */
    private void deleteOnTargetIfStill(byte[] key, byte[] restored) {
        List<Object> seen = Pipelines.pipeline(target, List.of(cmd("ASKING"), cmd("WATCH", key), cmd("ASKING"), cmd("DUMP", key)));
        throwIfError(seen);
        if (seen.get(3) instanceof byte[] now && Arrays.equals(now, restored)) {
            List<Object> exec = Pipelines.pipeline(target, List.of(cmd("ASKING"), cmd("MULTI"), cmd("DEL", key), cmd("EXEC")));
            throwIfError(exec);
        } else {
            Pipelines.pipeline(target, List.<byte[][]>of(cmd("UNWATCH")));
        }
    }

    private static boolean isAsk(Object reply) {
        return reply instanceof redis.clients.jedis.exceptions.JedisRedirectionException
                || reply instanceof JedisDataException e && String.valueOf(e.getMessage()).startsWith("ASK ");
    }

    private void unwatch() {
        Pipelines.pipeline(source, List.<byte[][]>of(cmd("UNWATCH")));
    }

    private static void throwIfError(List<Object> replies) {
        for (Object r : replies) {
            if (r instanceof JedisDataException e) {
                throw e;
            }
        }
    }

    private static byte[][] cmd(String name, byte[]... args) {
        byte[][] c = new byte[args.length + 1][];
        c[0] = Nodes.bytes(name);
        System.arraycopy(args, 0, c, 1, args.length);
        return c;
    }
}
