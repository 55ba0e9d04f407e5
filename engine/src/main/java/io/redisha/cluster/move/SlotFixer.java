package io.redisha.cluster.move;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.OpenSlot;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.cluster.transport.Nodes;
import io.redisha.cluster.transport.Pipelines;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotBalancer;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Closes slots left open by an interrupted move, assigns slots no master owns (to the master holding
 * their keys, else to the planned owner: {@link SlotBalancer#assignUnowned}), and moves keys found on a
 * master that does not own their slot to the owner. It finishes a move when the target may already
 * hold writes for the slot, rolls it back only when the target holds no key of it, and never
 * overwrites a newer value.
 */
public final class SlotFixer {

    /**
     * @param actions   what was done, one line each
     * @param problems  what could not be fixed automatically, with what to do
     * @param openAfter open slots still found after the fix
     */
    public record Result(List<String> actions, List<String> problems, int openBefore, int openAfter, long keysMoved,
                         Duration elapsed, int unassignedBefore) {
        public Result {
            actions = List.copyOf(actions);
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty() && openAfter == 0;
        }

        public String summary() {
            return (openBefore == 0 && actions.isEmpty() ? "nothing to fix: no open slot, no unassigned slot and no stray key"
                    : "fixed " + Count.of(openBefore, "open slot") + (unassignedBefore == 0 ? "" : " and "
                    + Count.of(unassignedBefore, "unassigned slot")) + " with " + Count.of(actions.size(), "action") + ", " + Count.of(keysMoved, "key") + " moved")
                    + "; open slots now: " + openAfter + (problems.isEmpty() ? "" : "; " + Count.of(problems.size(), "problem") + " left");
        }
    }

    private final Credentials credentials;
    private final SlotMover mover;

    public SlotFixer(Credentials credentials, SlotMover.Options options) {
        this.credentials = credentials;
        this.mover = new SlotMover(options, credentials);
    }

    /** What a mutating verb starts from: every member reachable, no slot open, every slot served; and what settling did. */
    public record Settled(LiveCluster cluster, List<String> actions) {
        public Settled {
            actions = List.copyOf(actions);
        }
    }

    /**
     * The one step before a mutation (scaling, reshard, rebalance): refuses while a member is
     * unreachable, closes the slots an interrupted move left open (so a rerun resumes it), loads the
     * cluster again, and refuses while a slot is unserved. Changes nothing but the open slots.
     */
    public Settled settle(LiveCluster loaded, SlotMover.Listener listener) {
        LiveCluster cluster = loaded.requireReachable("some members are unreachable, nothing was changed");
        List<String> actions = List.of();
        if (!cluster.openSlots().isEmpty()) {
            int open = cluster.openSlotNumbers().size();
            listener.info(Count.of(open, "slot") + " " + Count.verb(open) + " open from an interrupted move; finishing them first");
            Result fixed = fix(cluster, listener);
            if (!fixed.ok()) {
                throw new ClusterRefusedException("open slots could not be closed; nothing else was changed", fixed.problems());
            }
            actions = fixed.actions();
            cluster = LiveCluster.load(cluster.seed().address(), credentials);
        }
        if (cluster.assignedSlots() != SlotRange.SLOT_COUNT) {
            throw new ClusterRefusedException("the cluster does not serve every slot", List.of(cluster.assignedSlots()
                    + "/16384 slots are assigned; run 'redis-ha fix " + cluster.seed().address() + "' to assign the others"));
        }
        return new Settled(cluster, actions);
    }

    public Result fix(NodeAddress seed, SlotMover.Listener listener) {
        return fix(LiveCluster.load(seed, credentials), listener);
    }

    /** Fixes the cluster as loaded; refuses, changing nothing, while a member is unreachable. */
    public Result fix(LiveCluster cluster, SlotMover.Listener listener) {
        long start = System.nanoTime();
        cluster.requireReachable("refusing to fix with members unreachable, nothing was changed");
        List<String> actions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<Integer, String> owners = cluster.owners();
        Map<Integer, List<String[]>> migrating = new TreeMap<>();
        Map<Integer, List<String[]>> importing = new TreeMap<>();
        cluster.openSlots().forEach((id, markers) -> markers.forEach(o -> (o.direction() == OpenSlot.Direction.MIGRATING
                ? migrating : importing).computeIfAbsent(o.slot(), k -> new ArrayList<>()).add(new String[] {id, o.peerId()})));
        TreeSet<Integer> open = new TreeSet<>(migrating.keySet());
        open.addAll(importing.keySet());
        long[] keys = {0};
        AtomicInteger ignored = new AtomicInteger();
        TreeSet<Integer> unassigned = new TreeSet<>();
        for (int s = 0; s < SlotRange.SLOT_COUNT; s++) {
            if (!owners.containsKey(s) && !open.contains(s)) {
                unassigned.add(s);
            }
        }
        try (SlotMover.Worker w = mover.new Worker(cluster)) {
            for (int slot : open) {
                List<String[]> mig = migrating.getOrDefault(slot, List.of());
                List<String[]> imp = importing.getOrDefault(slot, List.of());
                String owner = owners.get(slot);
                if (mig.size() > 1 || imp.size() > 1) {
                    problems.add("slot " + slot + " is open on several nodes (" + mig.size() + " migrating, " + imp.size()
                            + " importing); settle it by hand with CLUSTER SETSLOT, then run fix again");
                    continue;
                }
                try {
                    fixSlot(w, cluster, slot, owner, mig.isEmpty() ? null : mig.get(0), imp.isEmpty() ? null : imp.get(0),
                            actions, problems, keys, ignored);
                } catch (RuntimeException e) {
                    problems.add("slot " + slot + ": " + e.getMessage());
                }
            }
            if (!unassigned.isEmpty()) {
                owners = assign(w, cluster, unassigned, actions, problems);
            }
            strayKeys(w, cluster, owners, open, actions, problems, keys, ignored);
        }
        int openAfter = openAfter(cluster.seed().address());
        actions.forEach(listener::info);
        return new Result(actions, problems, open.size(), openAfter, keys[0], Duration.ofNanos(System.nanoTime() - start),
                unassigned.size());
    }

    /**
     * Gives each slot no master owns to its owner by {@link SlotBalancer#assignUnowned} (ADDSLOTSRANGE
     * and BUMPEPOCH on that master, as redis-cli does), waits until every member sees every slot
     * assigned, and returns the owners then. Keys other masters hold of those slots are left for
     * {@link #strayKeys} to move to the new owner.
     */
    private Map<Integer, String> assign(SlotMover.Worker w, LiveCluster cluster, TreeSet<Integer> unassigned, List<String> actions,
                                        List<String> problems) {
        Map<Integer, Map<String, Long>> holders = new TreeMap<>();
        for (LiveCluster.Member m : cluster.masters()) {
            NodeSession.countKeys(w.conn(m.id()), new ArrayList<>(unassigned)).forEach((slot, n) -> {
                if (n > 0) {
                    holders.computeIfAbsent(slot, k -> new TreeMap<>()).put(m.id(), n);
                }
            });
        }
        Map<String, List<SlotRange>> given = SlotBalancer.assignUnowned(cluster.ownedRanges(), unassigned, holders);
        given.forEach((id, ranges) -> {
            List<byte[]> add = new ArrayList<>(List.of(Nodes.bytes("CLUSTER"), Nodes.bytes("ADDSLOTSRANGE")));
            ranges.forEach(r -> add.addAll(List.of(Nodes.bytes(r.first()), Nodes.bytes(r.last()))));
            reply(w.conn(id), add.toArray(byte[][]::new));
            // A config epoch of its own, so every member takes this claim over any older view of the slots.
            reply(w.conn(id), new byte[][] {Nodes.bytes("CLUSTER"), Nodes.bytes("BUMPEPOCH")});
            long withKeys = ranges.stream().flatMap(r -> java.util.stream.IntStream.rangeClosed(r.first(), r.last()).boxed())
                    .filter(s -> holders.containsKey(s)).count();
            actions.add("unassigned slots " + ranges.stream().map(SlotRange::toString).collect(java.util.stream.Collectors.joining(","))
                    + ": assigned to " + label(cluster, id) + (withKeys == 0 ? " (no keys anywhere; the master furthest below its share)"
                    : " (" + Count.of(withKeys, "slot") + " whose keys it holds" + (withKeys < SlotRange.total(ranges) ? "; the rest held no key" : "") + ")"));
        });
        try {
            // Keys move only once every member serves again (with full coverage required, none does until now).
            Poll.until("every member sees all 16384 slots assigned and reports cluster_state:ok", Duration.ofSeconds(30),
                    Duration.ofMillis(50), () -> {
                LiveCluster now = LiveCluster.load(cluster.seed().address(), credentials);
                return now.members().stream().filter(m -> m.view().assignedSlots() != SlotRange.SLOT_COUNT
                                || !"ok".equals(m.clusterState())).findFirst()
                        .map(m -> m.label() + " sees " + m.view().assignedSlots() + "/16384 slots assigned, cluster_state:" + m.clusterState());
            });
        } catch (ClusterRefusedException e) {
            problems.add(e.getMessage() + ": " + String.join("; ", e.problems()));
        }
        return LiveCluster.load(cluster.seed().address(), credentials).owners();
    }


    private void fixSlot(SlotMover.Worker w, LiveCluster cluster, int slot, String owner, String[] mig, String[] imp,
                         List<String> actions, List<String> problems, long[] keys, AtomicInteger done) {
        if (mig != null) {
            String a = mig[0];
            String b = mig[1];
            if (a.equals(owner)) {
                boolean bImports = imp != null && imp[0].equals(b) && imp[1].equals(a);
                long onB = count(w.conn(b), slot);
                if (bImports || onB > 0) {
                    if (!bImports) {
                        reply(w.conn(b), Pipelines.setslot(slot, "IMPORTING", a));
                        actions.add("slot " + slot + ": CLUSTER SETSLOT IMPORTING on " + label(cluster, b) + " (it holds " + Count.of(onB, "key") + " of it)");
                    }
                    forward(w, cluster, slot, a, b, actions, problems, keys, done);
                } else {
                    reply(w.conn(a), Pipelines.setslot(slot, "STABLE", null));
                    actions.add("slot " + slot + ": rolled back, " + label(cluster, a) + " keeps it (the target held no key of it)");
                }
                return;
            }
            if (b.equals(owner)) {
                // The target already took the slot; the source only missed its SETSLOT NODE.
                long onA = count(w.conn(a), slot);
                if (onA > 0) {
                    stray(w, cluster, slot, a, b, actions, problems, keys, done);
                }
                closeEverywhere(w, cluster, slot, b, a, actions);
                return;
            }
            problems.add("slot " + slot + ": " + label(cluster, a) + " migrates it to " + label(cluster, b) + " but "
                    + (owner == null ? "no node" : label(cluster, owner)) + " owns it; settle it by hand, then run fix again");
            return;
        }
        String b = imp[0];
        String a = imp[1];
        if (b.equals(owner)) {
            reply(w.conn(b), Pipelines.setslot(slot, "STABLE", null));
            actions.add("slot " + slot + ": closed the stale import on its owner " + label(cluster, b));
            return;
        }
        long onB = count(w.conn(b), slot);
        if (a.equals(owner) && onB == 0) {
            reply(w.conn(b), Pipelines.setslot(slot, "STABLE", null));
            actions.add("slot " + slot + ": rolled back the import on " + label(cluster, b) + " (it held no key of it); "
                    + label(cluster, a) + " keeps it");
            return;
        }
        if (a.equals(owner)) {
            // The target holds keys written while the source was migrating; finish forward so none is lost.
            reply(w.conn(a), Pipelines.setslot(slot, "MIGRATING", b));
            actions.add("slot " + slot + ": CLUSTER SETSLOT MIGRATING on " + label(cluster, a) + " to finish the move ("
                    + label(cluster, b) + " holds " + Count.of(onB, "key") + " of it)");
            forward(w, cluster, slot, a, b, actions, problems, keys, done);
            return;
        }
        problems.add("slot " + slot + ": " + label(cluster, b) + " imports it from " + label(cluster, a) + " but "
                + (owner == null ? "no node" : label(cluster, owner)) + " owns it; settle it by hand, then run fix again");
    }

    private void forward(SlotMover.Worker w, LiveCluster cluster, int slot, String a, String b, List<String> actions,
                         List<String> problems, long[] keys, AtomicInteger done) {
        SlotMover.KeyMove moved = w.moveKeys(a, cluster.require(b).address(), List.of(slot), true, false, done);
        keys[0] += moved.keys();
        if (!moved.failed().isEmpty()) {
            problems.add("slot " + slot + ": " + moved.failed().get(slot));
            return;
        }
        List<String> left = new ArrayList<>();
        List<Integer> finished = w.finish(a, b, List.of(slot), left, done);
        problems.addAll(left);
        if (!finished.isEmpty()) {
            actions.add("slot " + slot + ": finished the move " + label(cluster, a) + " -> " + label(cluster, b) + " ("
                    + Count.of(moved.keys(), "key") + " moved)");
        }
    }

    /** SETSLOT NODE owner on the owner (clears a stale import), the stale side, and every other master. */
    private static void closeEverywhere(SlotMover.Worker w, LiveCluster cluster, int slot, String owner, String stale, List<String> actions) {
        reply(w.conn(owner), Pipelines.setslot(slot, "NODE", owner));
        reply(w.conn(stale), Pipelines.setslot(slot, "NODE", owner));
        for (LiveCluster.Member m : cluster.masters()) {
            if (!m.id().equals(owner) && !m.id().equals(stale)) {
                Pipelines.pipeline(w.conn(m.id()), List.<byte[][]>of(Pipelines.setslot(slot, "NODE", owner)));
            }
        }
        actions.add("slot " + slot + ": " + label(cluster, owner) + " already owned it; closed the migration on " + label(cluster, stale));
    }

    /** Keys of slots a master does not own (and is not moving): moved to the owner, never overwriting. */
    private void strayKeys(SlotMover.Worker w, LiveCluster cluster, Map<Integer, String> owners, TreeSet<Integer> handled,
                           List<String> actions, List<String> problems, long[] keys, AtomicInteger done) {
        for (LiveCluster.Member m : cluster.masters()) {
            List<Integer> candidates = new ArrayList<>();
            for (int s = 0; s < SlotRange.SLOT_COUNT; s++) {
                if (!m.id().equals(owners.get(s)) && !handled.contains(s)) {
                    candidates.add(s);
                }
            }
            Map<Integer, Long> counts = NodeSession.countKeys(w.conn(m.id()), candidates);
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                long n = e.getValue();
                if (n > 0) {
                    int slot = e.getKey();
                    String owner = owners.get(slot);
                    if (owner == null) {
                        problems.add("slot " + slot + " has no owner but " + label(cluster, m.id()) + " holds " + Count.of(n, "key")
                                + " of it; assign it (CLUSTER ADDSLOTS " + slot + " on that node), then run fix again");
                        continue;
                    }
                    stray(w, cluster, slot, m.id(), owner, actions, problems, keys, done);
                }
            }
        }
    }

    /**
     * Moves keys off a node that does not own the slot: it may only serve them while importing the slot
     * and asked with ASKING, so the slot is opened as importing there for the move and closed after.
     */
    private void stray(SlotMover.Worker w, LiveCluster cluster, int slot, String holder, String owner, List<String> actions,
                       List<String> problems, long[] keys, AtomicInteger done) {
        reply(w.conn(holder), Pipelines.setslot(slot, "IMPORTING", owner));
        SlotMover.KeyMove moved = w.moveKeys(holder, cluster.require(owner).address(), List.of(slot), false, true, done);
        keys[0] += moved.keys();
        if (!moved.failed().isEmpty()) {
            problems.add("slot " + slot + ": keys on " + label(cluster, holder) + " could not go to the owner " + label(cluster, owner)
                    + ": " + moved.failed().get(slot) + "; the slot stays importing on " + label(cluster, holder));
            return;
        }
        reply(w.conn(holder), Pipelines.setslot(slot, "STABLE", null));
        actions.add("slot " + slot + ": moved " + moved.keys() + " stray keys from " + label(cluster, holder) + " to its owner "
                + label(cluster, owner));
    }

    private static long count(Jedis jedis, int slot) {
        return jedis.clusterCountKeysInSlot(slot);
    }

    private static void reply(Jedis jedis, byte[][] command) {
        Object r = Pipelines.pipeline(jedis, List.<byte[][]>of(command)).get(0);
        if (r instanceof JedisDataException e) {
            throw e;
        }
    }

    private static String label(LiveCluster cluster, String id) {
        return cluster.member(id).map(LiveCluster.Member::label).orElse(NodeLine.shortId(id));
    }

    /** Open slots left once the nodes had a moment to report the closing; 0 when all closed. */
    private int openAfter(NodeAddress seed) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            int open = LiveCluster.load(seed, credentials).openSlotNumbers().size();
            if (open == 0 || System.nanoTime() > deadline) {
                return open;
            }
            Pipelines.backoff(1);
        }
    }
}
