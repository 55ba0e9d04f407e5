package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandoverPhasesTest {
    private record Pair(String from, String to) {
    }

    private static List<List<Pair>> phases(Pair... pairs) {
        return HandoverPhases.of(List.of(pairs), Pair::from, Pair::to);
    }

    @Test
    void aReshardOrAScaleOutIsOnePhase() {
        assertEquals(1, phases(new Pair("a", "d"), new Pair("b", "d"), new Pair("c", "d")).size());
        assertEquals(1, phases(new Pair("a", "d"), new Pair("a", "e"), new Pair("b", "f")).size());
    }

    @Test
    void aRingTakesOnePhasePerPairAndKeepsEveryPair() {
        List<List<Pair>> phases = phases(new Pair("a", "b"), new Pair("b", "c"), new Pair("c", "a"));
        assertEquals(3, phases.size());
        assertEquals(3, phases.stream().mapToInt(List::size).sum());
    }

    @Test
    void noNodeGivesAndTakesInOnePhase() {
        List<List<Pair>> phases = phases(new Pair("a", "b"), new Pair("c", "d"), new Pair("b", "e"), new Pair("d", "a"),
                new Pair("e", "c"), new Pair("f", "g"));
        int total = 0;
        for (List<Pair> phase : phases) {
            Set<String> givers = new HashSet<>();
            Set<String> takers = new HashSet<>();
            phase.forEach(p -> { givers.add(p.from()); takers.add(p.to()); });
            givers.retainAll(takers);
            assertTrue(givers.isEmpty(), "a node gives and takes in " + phase);
            total += phase.size();
        }
        assertEquals(6, total);
    }
}
