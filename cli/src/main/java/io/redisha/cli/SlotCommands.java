package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.move.SlotFixer;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.Credentials;
import io.redisha.text.Count;
import io.redisha.text.Table;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** reshard, rebalance and fix: slot moves on a live cluster, all through {@link SlotMover}. */
final class SlotCommands {
    private SlotCommands() {
    }

    /** Options every slot-moving command shares. */
    static final class MoverOptions {
        @picocli.CommandLine.Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Option(names = "--keys-per-migrate", defaultValue = "1000", description = "Keys per MIGRATE command. Default: ${DEFAULT-VALUE}.")
        int keysPerMigrate;

        @Option(names = "--slots-per-batch", defaultValue = "128", description = "Most slots a worker opens and moves together. Batches are cut by bytes (each slot's key count times a sampled key size, at most 4 MIGRATE rounds of --bytes-per-migrate per batch): nearly empty slots go many to a batch, full ones few; this caps the open slots (clients asking for a key in an open slot may be sent to the target). Default: ${DEFAULT-VALUE}.")
        int slotsPerBatch;

        @Option(names = "--parallel", defaultValue = "2", description = "Connections working on each source-target pair. Default: ${DEFAULT-VALUE}.")
        int parallel;

        @Option(names = "--migrate-timeout", defaultValue = "10000", description = "MIGRATE timeout in ms. Default: ${DEFAULT-VALUE}.")
        int migrateTimeoutMs;

        @Option(names = "--bytes-per-migrate", defaultValue = "65536", description = "Most bytes a source sends in one MIGRATE round"
                + " (keys per command follow from the key size; a round blocks source and target, so this bounds their clients' wait)."
                + " Default: ${DEFAULT-VALUE}.")
        long bytesPerMigrate;

        @Option(names = "--max-busy", defaultValue = "50", description = "Most of a node's time, in percent, that MIGRATE rounds"
                + " may take; the rest is left to its clients. Default: ${DEFAULT-VALUE}.")
        int maxBusyPercent;

        @Option(names = "--dump-above", defaultValue = "0", description = "Keys of at least this many bytes (a sampled key of the"
                + " source) move by DUMP on the source, ASKING + RESTORE on the target, then WATCH + MULTI/UNLINK/EXEC on the source, so"
                + " neither node waits for the other; smaller keys, many per round, by MIGRATE. 0: MIGRATE for every key."
                + " Default: ${DEFAULT-VALUE}.")
        long dumpAboveBytes;

        @Option(names = "--keep-compression", description = "Leave rdbcompression as it is on the sources. By default it is off"
                + " while they send (and set back after): MIGRATE serializes like an RDB file, and LZF on values that do not compress"
                + " is most of a source's time per moved byte.")
        boolean keepCompression;

        @Option(names = "--json", description = "Print JSON only (no progress).")
        boolean json;

        SlotMover.Options options() {
            if (maxBusyPercent < 1 || maxBusyPercent > 100) {
                throw new InvalidOptionException("max-busy", maxBusyPercent, "a whole percent from 1 to 100");
            }
            try {
                return new SlotMover.Options(keysPerMigrate, slotsPerBatch, parallel, migrateTimeoutMs, 6, bytesPerMigrate, maxBusyPercent,
                        dumpAboveBytes, keepCompression);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("mover options", e.getMessage(), "positive numbers, --max-busy 1..100, --dump-above 0 or more");
            }
        }

        Credentials credentials() {
            return connection.credentials();
        }
    }

    static NodeAddress seed(String text) {
        return NodeAddress.parse(text);
    }

    /** The cluster a slot move starts from, settled first (see {@link SlotFixer#settle}), so a rerun resumes. */
    static LiveCluster loadSettled(NodeAddress seed, MoverOptions o, MoveProgress progress) {
        return new SlotFixer(o.credentials(), o.options()).settle(LiveCluster.load(seed, o.credentials()), progress).cluster();
    }

    static Table movesTable(LiveCluster cluster, List<SlotMove> moves) {
        Table table = new Table("FROM", "TO", "SLOTS", "RANGES");
        for (SlotMove m : moves) {
            String ranges = String.join(",", m.slots().stream().map(SlotRange::toString).toList());
            table.row(cluster.require(m.from()).label(), cluster.require(m.to()).label(), m.slotCount(),
                    ranges.length() > 60 ? ranges.substring(0, 57) + "..." : ranges);
        }
        return table;
    }

    static ArrayNode movesJson(LiveCluster cluster, List<SlotMove> moves) {
        ArrayNode array = Output.JSON.createArrayNode();
        for (SlotMove m : moves) {
            ObjectNode node = array.addObject();
            node.put("from", m.from());
            node.put("fromAddress", cluster.require(m.from()).address().toString());
            node.put("to", m.to());
            node.put("toAddress", cluster.require(m.to()).address().toString());
            node.put("slots", m.slotCount());
            m.slots().forEach(r -> node.withArray("ranges").add(r.toString()));
        }
        return array;
    }

    /** Prints the plan, moves, prints the result; shared by reshard and rebalance. */
    static int execute(PrintWriter out, LiveCluster cluster, List<SlotMove> moves, MoverOptions o, MoveProgress progress,
                       boolean dryRun, String what) {
        int total = moves.stream().mapToInt(SlotMove::slotCount).sum();
        if (!o.json) {
            if (moves.isEmpty()) {
                out.println("Nothing to move: " + what + " needs no slot moves.");
            } else {
                out.println((dryRun ? "Would move " : "Moving ") + Count.of(total, "slot") + " in " + Count.of(moves.size(), "move") + " (" + what + "):");
                out.print(movesTable(cluster, moves));
            }
            out.flush();
        }
        ObjectNode answer = Output.object();
        answer.put("dryRun", dryRun);
        answer.put("slotsPlanned", total);
        answer.set("moves", movesJson(cluster, moves));
        if (dryRun || moves.isEmpty()) {
            if (o.json) {
                out.println(Output.write(answer));
                out.flush();
            }
            return RedisHaCli.OK;
        }
        SlotMover.Result result = new SlotMover(o.options(), o.credentials()).move(cluster, moves, progress);
        progress.close();
        if (o.json) {
            ObjectNode r = answer.putObject("result");
            r.put("ok", result.ok());
            r.put("slotsMoved", result.slotsMoved());
            r.put("keysMoved", result.keysMoved());
            r.put("elapsedMillis", result.elapsed().toMillis());
            ArrayNode open = r.putArray("leftOpen");
            result.leftOpen().forEach(open::add);
            out.println(Output.write(answer));
        } else {
            out.println("Done: " + result.summary());
            result.leftOpen().forEach(l -> out.println("  ! " + l));
        }
        out.flush();
        return result.ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
    }

    @Command(name = "reshard", description = "Move N slots to one master from some or all others (batched, parallel, resumable).")
    static final class Reshard implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Option(names = "--from", required = true, split = ",", paramLabel = "ID|HOST:PORT|all", description = "Source masters, or 'all' (every other master).")
        List<String> from;

        @Option(names = "--to", required = true, paramLabel = "ID|HOST:PORT", description = "Target master.")
        String to;

        @Option(names = "--slots", required = true, description = "How many slots to move.")
        int slots;

        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Mixin
        MoverOptions o;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            o.options(); // refuse bad mover options before any node is contacted
            try (MoveProgress progress = new MoveProgress(spec.commandLine().getErr(), o.json)) {
                LiveCluster cluster = loadSettled(seed(seed), o, progress);
                String toId = Resharding.resolve(cluster, to, "to");
                if (!cluster.require(toId).isMaster()) {
                    throw new InvalidOptionException("to", to, "a master; " + cluster.require(toId).label() + " is a replica");
                }
                List<String> fromIds = new ArrayList<>();
                if (from.size() == 1 && "all".equals(from.get(0))) {
                    cluster.ownedRanges().forEach((id, r) -> {
                        if (!id.equals(toId) && !r.isEmpty()) {
                            fromIds.add(id);
                        }
                    });
                } else {
                    from.forEach(f -> fromIds.add(Resharding.resolve(cluster, f, "from")));
                }
                List<SlotMove> moves = Resharding.reshard(cluster, fromIds, toId, slots);
                if (!yes && !confirm(out, cluster, moves)) {
                    return RedisHaCli.INVALID;
                }
                return execute(out, cluster, moves, o, progress, false, "reshard to " + cluster.require(toId).label());
            }
        }

        private boolean confirm(PrintWriter out, LiveCluster cluster, List<SlotMove> moves) {
            if (System.console() == null) {
                throw new InvalidOptionException("yes", "(not given)", "--yes to move slots without a terminal to confirm on");
            }
            out.println("About to move:");
            out.print(movesTable(cluster, moves));
            out.flush();
            String answer = System.console().readLine("Proceed? (yes/no) ");
            return answer != null && answer.strip().equalsIgnoreCase("yes");
        }
    }

    @Command(name = "rebalance", description = "Move the fewest slots to bring masters to their weighted share.")
    static final class Rebalance implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Option(names = "--weight", paramLabel = "NODE=W", description = "Weight of a master (id, id prefix or HOST:PORT); 0 drains it. Default 1.")
        List<String> weights = new ArrayList<>();

        @Option(names = "--threshold", defaultValue = "2", description = "Skip when no master is off its share by more than PCT percent. Default: ${DEFAULT-VALUE}.")
        double threshold;

        @Option(names = "--use-empty-masters", description = "Give slots to masters that have none.")
        boolean useEmptyMasters;

        @Option(names = "--dry-run", description = "Print the moves, change nothing.")
        boolean dryRun;

        @Mixin
        MoverOptions o;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            o.options(); // refuse bad mover options before any node is contacted
            try (MoveProgress progress = new MoveProgress(spec.commandLine().getErr(), o.json)) {
                LiveCluster cluster = dryRun ? LiveCluster.load(seed(seed), o.credentials()) : loadSettled(seed(seed), o, progress);
                Map<String, Double> byId = new LinkedHashMap<>();
                for (String w : weights) {
                    int eq = w.lastIndexOf('=');
                    if (eq <= 0) {
                        throw new InvalidOptionException("weight", w, "NODE=WEIGHT, for example 127.0.0.1:7000=2");
                    }
                    double value;
                    try {
                        value = Double.parseDouble(w.substring(eq + 1));
                    } catch (NumberFormatException e) {
                        throw new InvalidOptionException("weight", w, "NODE=WEIGHT with a number >= 0");
                    }
                    byId.put(Resharding.resolve(cluster, w.substring(0, eq), "weight"), value);
                }
                List<SlotMove> moves = Resharding.rebalance(cluster, byId, threshold, useEmptyMasters);
                return execute(out, cluster, moves, o, progress, dryRun, "rebalance, threshold " + threshold + "%");
            }
        }
    }

    @Command(name = "fix", description = "Finish or roll back slots an interrupted move left open, assign slots no master owns (to the master holding their keys, else the one furthest below its share), and move stray keys to their owner.")
    static final class Fix implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Mixin
        MoverOptions o;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            o.options(); // refuse bad mover options before any node is contacted
            NodeAddress address = seed(seed);
            LiveCluster before = LiveCluster.load(address, o.credentials());
            if (!o.json) {
                out.println(before.openSlotNumbers().isEmpty() ? "No open slots; checking every master for stray keys."
                        : "Open slots: " + before.openSlots().entrySet().stream().map(e -> before.require(e.getKey()).label() + " "
                                + e.getValue()).toList());
                if (before.assignedSlots() < SlotRange.SLOT_COUNT) {
                    out.println((SlotRange.SLOT_COUNT - before.assignedSlots()) + " of 16384 slots have no owner; assigning each to the"
                            + " master that holds its keys, or, without keys, to the master furthest below its share.");
                }
                out.flush();
            }
            SlotFixer.Result result;
            try (MoveProgress progress = new MoveProgress(spec.commandLine().getErr(), true)) {
                result = new SlotFixer(o.credentials(), o.options()).fix(before, progress);
            }
            if (o.json) {
                ObjectNode answer = Output.object();
                answer.put("ok", result.ok());
                answer.put("openBefore", result.openBefore());
                answer.put("openAfter", result.openAfter());
                answer.put("keysMoved", result.keysMoved());
                answer.put("unassignedBefore", result.unassignedBefore());
                result.actions().forEach(answer.putArray("actions")::add);
                result.problems().forEach(answer.putArray("problems")::add);
                out.println(Output.write(answer));
            } else {
                result.actions().forEach(a -> out.println("  " + a));
                result.problems().forEach(p -> out.println("  ! " + p));
                out.println(result.summary());
            }
            out.flush();
            return result.ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
        }
    }
}
