package io.redisha.topology;

import io.redisha.text.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order of a rolling replacement, shared by the engine ({@code redis-ha roll}, over live roles)
 * and the component (the {@code rollPlan} output, over planned roles). Each old node is replaced by
 * a new one that joins its shard in its zone and syncs before the old one leaves, so a shard never
 * has a node out of service; replicas go first, then masters, each master handing its slots to its
 * own replacement with a graceful {@code CLUSTER FAILOVER} (same zone, so zone safety never dips).
 * Pure: no I/O.
 */
public final class RollOrder {
    private RollOrder() {
    }

    /**
     * @param old         the node leaving (name or HOST:PORT)
     * @param replacement the node taking its place: empty when the roll starts
     * @param shard       which shard both belong to (a label; the engine uses the shard's slots)
     * @param role        the old node's role when the roll is planned
     * @param zone        the zone both run in
     */
    public record Replacement(String old, String replacement, String shard, Role role, String zone) {
    }

    /** One step: replace {@code replacement.old()}; {@code handover} says what the slots do (empty for a replica). */
    public record Step(int number, Replacement replacement, String handover) {
        public boolean isHandover() {
            return !handover.isEmpty();
        }

        /** One line a person reads. */
        public String describe() {
            Replacement r = replacement;
            return "#" + number + " " + r.role().label() + " " + r.old() + " -> " + r.replacement() + " (shard " + r.shard()
                    + ", zone " + r.zone() + "): joins as replica, syncs" + (isHandover() ? ", " + handover : "")
                    + ", then " + r.old() + " is forgotten";
        }
    }

    /**
     * Replicas first (by shard, then name), then masters (by shard): one node at a time, so at most
     * one node of a shard is ever in transition.
     *
     * @throws InvalidPlanException when a node is replaced twice, a replacement is used twice, or a
     *                              node is both replaced and a replacement
     */
    public static List<Step> order(List<Replacement> replacements) {
        Set<String> olds = new HashSet<>();
        Set<String> news = new HashSet<>();
        for (Replacement r : replacements) {
            if (!olds.add(r.old())) {
                throw new InvalidPlanException("replace", r.old(), "each node replaced at most once");
            }
            if (!news.add(r.replacement())) {
                throw new InvalidPlanException("replace", r.replacement(), "each replacement node used once");
            }
        }
        for (Replacement r : replacements) {
            if (olds.contains(r.replacement())) {
                throw new InvalidPlanException("replace", r.old() + "=" + r.replacement(),
                        "a new node that is not itself being replaced (" + r.replacement() + " is)");
            }
        }
        List<Replacement> sorted = new ArrayList<>(replacements);
        sorted.sort(Comparator.comparing((Replacement r) -> r.role() == Role.MASTER)
                .thenComparing(Replacement::shard).thenComparing(Replacement::old));
        List<Step> steps = new ArrayList<>();
        for (Replacement r : sorted) {
            String handover = r.role() == Role.MASTER
                    ? "graceful CLUSTER FAILOVER on " + r.replacement() + ": it takes over the slots of " + r.old() : "";
            steps.add(new Step(steps.size() + 1, r, handover));
        }
        return steps;
    }

    /** The steps as a table a person reads. */
    public static String toTable(List<Step> steps) {
        Table table = new Table("STEP", "ROLE", "OLD", "NEW", "SHARD", "ZONE", "HANDOVER");
        for (Step s : steps) {
            Replacement r = s.replacement();
            table.row(s.number(), r.role().label(), r.old(), r.replacement(), r.shard(), r.zone(),
                    s.isHandover() ? "CLUSTER FAILOVER on " + r.replacement() : "-");
        }
        return table.toString();
    }
}
