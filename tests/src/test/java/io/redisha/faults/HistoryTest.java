package io.redisha.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault harness's checker on histories whose verdict is known. */
class HistoryTest {

    @Test
    void anAcknowledgedWriteIsLostWhenItsNumberIsMissingEvenIfLaterWritesSurvived() {
        History h = new History();
        h.acknowledged("a", 1, 1000);
        h.acknowledged("a", 2, 1100);
        h.acknowledged("a", 3, 1200);
        h.acknowledged("a", 5, 1500);
        h.acknowledged("b", 1, 1000);
        h.acknowledged("c", 4, 1300);
        // a: the promoted replica had 1; 2 and 3 went to the old master only; 5 came after the failover.
        // b: intact; c: an unacknowledged write (7) reached the node too, which changes nothing.
        History.Verdict v = h.check(key -> Optional.of(Map.of("a", Set.of(1L, 5L), "b", Set.of(1L), "c", Set.of(4L, 7L)).get(key)));
        assertEquals(6, v.acknowledged());
        assertEquals(2, v.lost());
        assertEquals(1100, v.firstLostAt());
        assertEquals(1200, v.lastLostAt());
        assertEquals(0, v.unread());
    }

    @Test
    void aKeyThatCouldNotBeReadIsUnreadNotLostAndAMissingKeyLosesEverything() {
        History h = new History();
        h.acknowledged("a", 1, 1000);
        h.acknowledged("b", 1, 1000);
        h.acknowledged("b", 2, 1000);
        History.Verdict v = h.check(key -> key.equals("a") ? Optional.empty() : Optional.of(Set.<Long>of()));
        assertEquals(1, v.unread());
        assertEquals(2, v.lost());
    }

    @Test
    void aReadIsStaleWhenOlderThanWhatWasAcknowledgedBeforeIt() {
        assertTrue(History.stale(5, 4));
        assertFalse(History.stale(5, 5));
        assertFalse(History.stale(0, 0));
    }

    @Test
    void outagesOfOneZoneCountOverlappingSpansOnce() {
        Outages o = new Outages();
        o.add(1000, 3000);
        o.add(2000, 4000);
        o.add(10_000, 10_500);
        assertEquals(3.5, o.seconds(), 1e-9);
        assertEquals(0.0, new Outages().seconds(), 1e-9);
    }
}
