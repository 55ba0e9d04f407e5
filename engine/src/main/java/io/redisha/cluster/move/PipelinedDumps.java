package io.redisha.cluster.move;

import io.redisha.cluster.transport.Nodes;
import io.redisha.cluster.transport.Pipelines;
import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Moves the keys of many slots of small values in three pipelined round trips, none of which makes a
 * node wait on another. {@code MIGRATE} takes keys of one slot only, and the source waits for the
 * target's reply to each: for slots of a few small keys that wait is most of the move.
 * <ol>
 *   <li>source: per slot one read-only script that returns each key's {@code DUMP} and
 *       {@code PEXPIRETIME}, or says the key is over the in-flight budget ({@code MEMORY USAGE});</li>
 *   <li>target: {@code ASKING} + {@code RESTORE key expireAt payload ABSTTL} for each key dumped;</li>
 *   <li>source: per slot one script that {@code UNLINK}s each restored key only if its {@code DUMP}
 *       and {@code PEXPIRETIME} are still the ones read in step 1.</li>
 * </ol>
 *
 * <p>Safety. Until step 3 the source holds every key and serves it (a client is sent to the target
 * only for a key the source no longer has), so the copies on the target are unseen. A key a client
 * changed between steps 1 and 3 (value or TTL) stays on the source, and its slot goes round again;
 * the stale copy on the target then answers {@code BUSYKEY}, and that key goes by
 * {@code MIGRATE ... REPLACE}, atomic at the source: while the source has a key, no client can have
 * written it on the target. {@code BUSYKEY} is never answered with {@code RESTORE ... REPLACE}: a client
 * may have deleted the key on the source and written it on the target after step 1. A key gone from
 * the source by step 3 (deleted, or expired) has its copy deleted on the target if it is still the
 * one restored. A crash at any step leaves each key on the source, perhaps also on the target, which
 * {@code fix} completes with {@code MIGRATE ... REPLACE}.
 *
 * <p>The window this path has and {@code MIGRATE} has not: a client's {@code DEL} on the source
 * between steps 1 and 3 is undone on the target until step 3 deletes the copy there (one round trip),
 * and stays undone if the mover dies in that window.
 *
 * <p>Memory: one round holds at most the round's keys' payloads; a key above {@code keyBudgetBytes}
 * is not dumped (step 1 checks its size in the same script) and goes by {@code MIGRATE}.
 */
final class PipelinedDumps {
    /** One slot's keys to move. */
    record SlotKeys(int slot, List<byte[]> keys) {
    }

    /**
     * What became of one slot's keys: {@code error} set means the slot is retried (or failed) as a
     * MIGRATE reply would be; {@code byMigrate} keys go by MIGRATE (over the budget), and
     * {@code byMigrateReplace} keys by MIGRATE ... REPLACE (a stale copy of ours on the target).
     */
    record SlotOutcome(long moved, List<byte[]> byMigrate, List<byte[]> byMigrateReplace, JedisDataException error) {
        static SlotOutcome failed(JedisDataException e) {
            return new SlotOutcome(0, List.of(), List.of(), e);
        }
    }

    /** Test seams between the steps. */
    interface Steps {
        Steps NONE = new Steps() { };

        default void dumped() {
        }

        default void restored() {
        }
    }

    // Step 1: {status, payload, expireAt} per key; status 0 gone, 1 over the budget, 2 dumped.
    private static final byte[] DUMP_SCRIPT = Nodes.bytes("""
            local out = {}
            for i = 1, #KEYS do
              local size = redis.call('MEMORY', 'USAGE', KEYS[i])
              if not size then out[i] = {0}
              elseif size > tonumber(ARGV[1]) then out[i] = {1}
              else out[i] = {2, redis.call('DUMP', KEYS[i]), redis.call('PEXPIRETIME', KEYS[i])} end
            end
            return out""");
    // Step 3: UNLINK each key still as dumped; returns how many were unlinked.
    private static final byte[] UNLINK_SCRIPT = Nodes.bytes("""
            local n = 0
            for i = 1, #KEYS do
              if redis.call('DUMP', KEYS[i]) == ARGV[2 * i - 1]
                  and redis.call('PEXPIRETIME', KEYS[i]) == tonumber(ARGV[2 * i]) then
                redis.call('UNLINK', KEYS[i])
                n = n + 1
              end
            end
            return n""");
    // On the target, after ASKING: DEL the key only if it still holds the payload restored.
    private static final byte[] DELETE_IF_STILL_SCRIPT = Nodes.bytes("""
            if redis.call('DUMP', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""");

    private final Jedis source;
    private final Jedis target;
    private final NodeAddress sourceAddress;
    private final NodeAddress targetAddress;
    private final MigrateGates gates;
    private final long keyBudgetBytes;
    private final Steps steps;

    PipelinedDumps(Jedis source, Jedis target, NodeAddress sourceAddress, NodeAddress targetAddress, MigrateGates gates,
                   long keyBudgetBytes, Steps steps) {
        this.source = source;
        this.target = target;
        this.sourceAddress = sourceAddress;
        this.targetAddress = targetAddress;
        this.gates = gates;
        this.keyBudgetBytes = keyBudgetBytes;
        this.steps = steps;
    }

    /** One round: the slots' keys, in the three steps; an outcome per slot, in order. */
    List<SlotOutcome> move(List<SlotKeys> slots) {
        List<byte[][]> dumps = new ArrayList<>();
        for (SlotKeys s : slots) {
            dumps.add(eval("EVAL_RO", DUMP_SCRIPT, s.keys(), List.of(Nodes.bytes(keyBudgetBytes))));
        }
        List<Object> dumped = gates.runOn(sourceAddress, () -> Pipelines.pipeline(source, dumps));
        steps.dumped();

        List<Restoring> restoring = new ArrayList<>();
        List<SlotOutcome> outcomes = new ArrayList<>();
        List<byte[][]> restores = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Restoring r = new Restoring(slots.get(i));
            restoring.add(r);
            if (dumped.get(i) instanceof JedisDataException e) {
                // TRYAGAIN or ASK: some key went missing on the source since GETKEYSINSLOT; MIGRATE skips missing keys.
                r.byMigrate.addAll(r.slot.keys());
                if (!isRedirect(e)) {
                    r.error = e;
                }
                continue;
            }
            List<?> perKey = (List<?>) dumped.get(i);
            for (int k = 0; k < perKey.size(); k++) {
                List<?> entry = (List<?>) perKey.get(k);
                long status = (Long) entry.get(0);
                byte[] key = r.slot.keys().get(k);
                if (status == 1) {
                    r.byMigrate.add(key);
                } else if (status == 2) {
                    long expireAt = (Long) entry.get(2);
                    r.sent.add(new Dumped(key, (byte[]) entry.get(1), expireAt));
                    restores.add(cmd("RESTORE", key, Nodes.bytes(expireAt < 0 ? 0 : expireAt), (byte[]) entry.get(1),
                            Nodes.bytes("ABSTTL")));
                }
            }
        }
        List<Object> restoredReplies = restores.isEmpty() ? List.of()
                : gates.runOn(targetAddress, () -> Pipelines.pipelineAsking(target, restores));
        int reply = 0;
        for (Restoring r : restoring) {
            for (Dumped d : r.sent) {
                Object answer = restoredReplies.get(reply++);
                if (answer instanceof JedisDataException e) {
                    if (String.valueOf(e.getMessage()).startsWith("BUSYKEY")) {
                        r.byMigrateReplace.add(d.key);
                    } else if (r.error == null) {
                        r.error = e;
                    }
                } else {
                    r.restored.add(d);
                }
            }
        }
        steps.restored();

        List<byte[][]> unlinks = new ArrayList<>();
        List<Restoring> unlinking = new ArrayList<>();
        for (Restoring r : restoring) {
            if (!r.restored.isEmpty()) {
                unlinks.add(unlinkIfUnchanged(r.restored));
                unlinking.add(r);
            }
        }
        List<Object> unlinked = unlinks.isEmpty() ? List.of() : gates.runOn(sourceAddress, () -> Pipelines.pipeline(source, unlinks));
        for (int i = 0; i < unlinking.size(); i++) {
            Restoring r = unlinking.get(i);
            if (unlinked.get(i) instanceof Long n) {
                r.moved += n;
            } else if (unlinked.get(i) instanceof JedisDataException e && isRedirect(e)) {
                // Some key is gone from the source (TRYAGAIN, or ASK when all are): settle each key on its own.
                for (Dumped d : r.restored) {
                    r.moved += settleOne(d);
                }
            } else if (r.error == null) {
                r.error = (JedisDataException) unlinked.get(i);
            }
        }
        for (Restoring r : restoring) {
            outcomes.add(new SlotOutcome(r.moved, r.byMigrate, r.byMigrateReplace, r.error));
        }
        return outcomes;
    }

    /** Step 3 for one key: UNLINK it if unchanged; if it is gone from the source, delete our copy on the target if still ours. */
    private long settleOne(Dumped d) {
        Object answer = Pipelines.pipeline(source, List.<byte[][]>of(unlinkIfUnchanged(List.of(d)))).get(0);
        if (answer instanceof Long n) {
            return n;
        }
        if (answer instanceof JedisDataException e && !isRedirect(e)) {
            throw e;
        }
        List<Object> deleted = Pipelines.pipeline(target, List.of(cmd("ASKING"),
                eval("EVAL", DELETE_IF_STILL_SCRIPT, List.of(d.key), List.of(d.payload))));
        if (deleted.get(1) instanceof JedisDataException e) {
            throw e;
        }
        return 0;
    }

    private static byte[][] unlinkIfUnchanged(List<Dumped> keys) {
        List<byte[]> names = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        for (Dumped d : keys) {
            names.add(d.key);
            args.add(d.payload);
            args.add(Nodes.bytes(d.expireAt));
        }
        return eval("EVAL", UNLINK_SCRIPT, names, args);
    }

    private static byte[][] eval(String verb, byte[] script, List<byte[]> keys, List<byte[]> args) {
        byte[][] c = new byte[3 + keys.size() + args.size()][];
        c[0] = Nodes.bytes(verb);
        c[1] = script;
        c[2] = Nodes.bytes(keys.size());
        int i = 3;
        for (byte[] k : keys) {
            c[i++] = k;
        }
        for (byte[] a : args) {
            c[i++] = a;
        }
        return c;
    }

    /** ASK or TRYAGAIN: a key of the slot is missing on the source (it answers those only while the slot is MIGRATING). */
    static boolean isRedirect(JedisDataException e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof redis.clients.jedis.exceptions.JedisRedirectionException || m.startsWith("ASK ") || m.startsWith("TRYAGAIN");
    }

    private static byte[][] cmd(String name, byte[]... args) {
        byte[][] c = new byte[args.length + 1][];
        c[0] = Nodes.bytes(name);
        System.arraycopy(args, 0, c, 1, args.length);
        return c;
    }

    private record Dumped(byte[] key, byte[] payload, long expireAt) {
    }

    private static final class Restoring {
        final SlotKeys slot;
        final List<Dumped> sent = new ArrayList<>();
        final List<Dumped> restored = new ArrayList<>();
        final List<byte[]> byMigrate = new ArrayList<>();
        final List<byte[]> byMigrateReplace = new ArrayList<>();
        JedisDataException error;
        long moved;

        Restoring(SlotKeys slot) {
            this.slot = slot;
        }
    }
}
