package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SlotMoverOptionsTest {
    private final SlotMover.Options options = SlotMover.Options.defaults();

    @Test
    void aBatchCarriesFourMigrateRoundsOfBytes() {
        assertEquals(4 * 65_536L, options.bytesPerBatch());
        assertEquals(4 * 1000L, new SlotMover.Options(10, 8, 1, 1000, 0, 1000, 50).bytesPerBatch());
    }

    @Test
    void keysPerMigrateFollowTheKeySizeWithinOneAndTheKeyBound() {
        assertEquals(1000, options.keysFor(64));
        assertEquals(16, options.keysFor(4096));
        assertEquals(1, options.keysFor(256 << 10));
    }

    @Test
    void optionsOutsideTheirRangeAreRefusedNamingTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlotMover.Options(10, 0, 1, 1000, 0, 1000, 50));
        assertEquals(true, e.getMessage().contains("10, 0, 1, 1000, 0, 1000, 50"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlotMover.Options(10, 8, 1, 1000, 0, 1000, 101));
    }
}
