package io.redisha.cluster.move;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups source-target pairs into phases in which no node both gives and takes slots.
 *
 * <p>Why: a target takes a slot by bumping its config epoch without consensus. A node that is still
 * a source elsewhere (or that some node still believes owns a slot it gave away) and then bumps as a
 * target claims its slots with an epoch above the new owner's; the new owner, told so by gossip
 * (an UPDATE), rebinds the slot to the old owner and deletes the keys it now holds
 * ({@code clusterUpdateSlotsConfigWith} in Redis's cluster_legacy.c). Within a phase sources never
 * bump, and between phases the mover waits until every node agrees on the slots moved, so no stale
 * claim is left for a later bump to revive. A ring of moves (A to B, B to C, C to A) becomes three
 * phases; a reshard or a scale-out (sources and targets apart) stays one.
 */
final class HandoverPhases {
    private HandoverPhases() {
    }

    static <P> List<List<P>> of(List<P> pairs, Function<P, String> from, Function<P, String> to) {
        List<List<P>> phases = new ArrayList<>();
        List<P> rest = new ArrayList<>(pairs);
        while (!rest.isEmpty()) {
            Set<String> givers = new HashSet<>();
            Set<String> takers = new HashSet<>();
            List<P> phase = new ArrayList<>();
            for (P pair : rest) {
                if (!takers.contains(from.apply(pair)) && !givers.contains(to.apply(pair))) {
                    phase.add(pair);
                    givers.add(from.apply(pair));
                    takers.add(to.apply(pair));
                }
            }
            rest.removeAll(phase);
            phases.add(phase);
        }
        return phases;
    }
}
