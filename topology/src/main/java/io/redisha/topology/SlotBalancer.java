package io.redisha.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the fewest slot moves that bring masters to their weighted share of the slots. Pure:
 * the engine feeds it the live ownership, {@code plan diff} feeds it two plans.
 *
 * <p>Shares: {@code floor(total * weight / sum)}, with the remainder going one slot each to the
 * masters that hold the most today (so they keep it instead of moving it). A master with weight 0
 * (being removed) gives away everything. Donors give their highest slots first, which keeps the
 * remaining ranges contiguous.
 */
public final class SlotBalancer {
    private SlotBalancer() {
    }

    /**
     * @param owned   every current master (and every new, empty one) with the slots it owns
     * @param weights the weight of each master; masters missing here weigh 1, weight 0 drains
     * @param thresholdPercent skip the rebalance when no master is off its share by more than this
     *                (redis-cli's {@code --cluster-threshold}, default 2); 0 always balances exactly
     */
    public static List<SlotMove> balance(Map<String, List<SlotRange>> owned, Map<String, Double> weights,
                                         double thresholdPercent) {
        if (owned.isEmpty()) {
            throw new InvalidPlanException("masters", "(none)", "at least one master to balance slots over");
        }
        Map<String, TreeSet<Integer>> slots = slotSets(owned);
        double totalWeight = 0;
        for (String master : slots.keySet()) {
            double weight = weights.getOrDefault(master, 1.0);
            if (weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
                throw new InvalidPlanException("weight of " + master, weight, "a number >= 0 (0 drains the master)");
            }
            totalWeight += weight;
        }
        if (totalWeight == 0) {
            throw new InvalidPlanException("weights", weights, "at least one master with a weight above 0");
        }
        if (thresholdPercent < 0) {
            throw new InvalidPlanException("threshold", thresholdPercent, "a percentage >= 0");
        }
        int total = slots.values().stream().mapToInt(TreeSet::size).sum();
        Map<String, Integer> target = targets(slots, weights, totalWeight, total);

        boolean worthIt = false;
        for (String master : slots.keySet()) {
            int want = target.get(master);
            int have = slots.get(master).size();
            double offPercent = want == 0 ? (have > 0 ? 100 : 0) : Math.abs(have - want) * 100.0 / want;
            worthIt |= offPercent > thresholdPercent || (want == 0 && have > 0);
        }
        if (!worthIt) {
            return List.of();
        }

        List<String> donors = new ArrayList<>(slots.keySet());
        donors.sort(Comparator.comparingInt((String m) -> target.get(m) - slots.get(m).size()).thenComparing(m -> m));
        List<SlotMove> moves = new ArrayList<>();
        for (String receiver : slots.keySet()) {
            int deficit = target.get(receiver) - slots.get(receiver).size();
            for (String donor : donors) {
                if (deficit <= 0) {
                    break;
                }
                int surplus = slots.get(donor).size() - target.get(donor);
                if (surplus <= 0 || donor.equals(receiver)) {
                    continue;
                }
                int count = Math.min(surplus, deficit);
                TreeSet<Integer> given = new TreeSet<>();
                for (int i = 0; i < count; i++) {
                    given.add(slots.get(donor).pollLast());
                }
                slots.get(receiver).addAll(given);
                moves.add(new SlotMove(donor, receiver, SlotRange.compress(given)));
                deficit -= count;
            }
        }
        return moves;
    }

    /**
     * Owners for slots no master owns (coverage repair, as {@code redis-cli --cluster fix} does it), so
     * that no key is lost: a slot whose keys one master holds goes to that master; a slot with keys on
     * several masters goes to the one holding the most (ties: the lowest id), and the others' keys are
     * then moved to it; slots without a key fill the masters furthest below their even share, in
     * ascending runs, so ranges stay contiguous and the split balanced.
     *
     * @param owned   every master with the slots it owns
     * @param unowned the slots no master owns
     * @param keys    for an unowned slot, the masters holding keys of it and how many; absent or empty: no key
     * @return the slots each master is to be given (masters given nothing are left out), in id order
     */
    public static Map<String, List<SlotRange>> assignUnowned(Map<String, List<SlotRange>> owned, java.util.SortedSet<Integer> unowned,
                                                             Map<Integer, Map<String, Long>> keys) {
        if (owned.isEmpty()) {
            throw new InvalidPlanException("masters", "(none)", "at least one master to assign slots to");
        }
        Map<String, TreeSet<Integer>> slots = slotSets(owned);
        Map<String, TreeSet<Integer>> given = new TreeMap<>();
        List<Integer> keyless = new ArrayList<>();
        for (int slot : unowned) {
            Map<String, Long> holders = keys.getOrDefault(slot, Map.of());
            java.util.Optional<String> most = holders.entrySet().stream().filter(e -> e.getValue() > 0 && slots.containsKey(e.getKey()))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).findFirst();
            if (most.isPresent()) {
                slots.get(most.get()).add(slot);
                given.computeIfAbsent(most.get(), k -> new TreeSet<>()).add(slot);
            } else {
                keyless.add(slot);
            }
        }
        int total = slots.values().stream().mapToInt(TreeSet::size).sum() + keyless.size();
        Map<String, Integer> target = targets(slots, Map.of(), slots.size(), total);
        List<String> furthestBelow = new ArrayList<>(slots.keySet());
        furthestBelow.sort(Comparator.comparingInt((String m) -> slots.get(m).size() - target.get(m)).thenComparing(m -> m));
        int next = 0;
        for (int slot : keyless) {
            while (next < furthestBelow.size() - 1 && slots.get(furthestBelow.get(next)).size() >= target.get(furthestBelow.get(next))) {
                next++;
            }
            String master = furthestBelow.get(next);
            slots.get(master).add(slot);
            given.computeIfAbsent(master, k -> new TreeSet<>()).add(slot);
        }
        Map<String, List<SlotRange>> out = new LinkedHashMap<>();
        given.forEach((master, s) -> out.put(master, SlotRange.compress(s)));
        return out;
    }

    private static Map<String, TreeSet<Integer>> slotSets(Map<String, List<SlotRange>> owned) {
        Map<String, TreeSet<Integer>> slots = new TreeMap<>();
        owned.forEach((master, ranges) -> {
            TreeSet<Integer> set = new TreeSet<>();
            ranges.forEach(r -> { for (int s = r.first(); s <= r.last(); s++) { set.add(s); } });
            slots.put(master, set);
        });
        return slots;
    }

    private static Map<String, Integer> targets(Map<String, TreeSet<Integer>> slots, Map<String, Double> weights,
                                                double totalWeight, int total) {
        Map<String, Integer> target = new LinkedHashMap<>();
        int assigned = 0;
        for (String master : slots.keySet()) {
            int share = (int) Math.floor(total * weights.getOrDefault(master, 1.0) / totalWeight);
            target.put(master, share);
            assigned += share;
        }
        List<String> byHolding = new ArrayList<>(slots.keySet());
        byHolding.removeIf(m -> weights.getOrDefault(m, 1.0) == 0);
        byHolding.sort(Comparator.comparingInt((String m) -> -slots.get(m).size()).thenComparing(m -> m));
        for (int i = 0; assigned < total; i = (i + 1) % byHolding.size()) {
            target.merge(byHolding.get(i), 1, Integer::sum);
            assigned++;
        }
        return target;
    }
}
