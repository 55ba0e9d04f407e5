package io.redisha.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotMoverOptionsTest {
    private final SlotMover.Options options = SlotMover.Options.defaults();

    @Test
    void batchesOfNearlyEmptySlotsGrowUpToEightTimesTheSetSize() {
        int size = options.slotsPerBatch();
        int[] seen = new int[5];
        for (int i = 0; i < seen.length; i++) {
            size = options.nextBatchSize(size, 1_000);
            seen[i] = size;
        }
        int set = options.slotsPerBatch();
        assertEquals(List.of(2 * set, 4 * set, 8 * set, 8 * set, 8 * set),
                Arrays.stream(seen).boxed().toList());
    }

    @Test
    void aBatchThatHeldARoundOfBytesOrMoreSendsTheNextBackToTheSetSize() {
        int grown = 8 * options.slotsPerBatch();
        assertEquals(options.slotsPerBatch(), options.nextBatchSize(grown, options.bytesPerMigrate()));
        assertEquals(options.slotsPerBatch(), options.nextBatchSize(options.slotsPerBatch(), 50L * options.bytesPerMigrate()));
    }
}
