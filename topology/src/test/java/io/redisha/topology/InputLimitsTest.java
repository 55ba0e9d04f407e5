package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InputLimitsTest {

    /** A stricter checklist must say why; columns that agree must not carry a stale reason. */
    @Test
    void everyRowWhoseColumnsDifferSaysWhy() {
        for (InputLimits.Limit limit : InputLimits.ALL) {
            assertEquals(limit.columnsDiffer(), !limit.whyTheyDiffer().isBlank(), limit.input());
        }
    }

    @Test
    void rangesAreNonEmptyAndTheChecklistNeverAllowsWhatIsInvalidAtTheTop() {
        Set<String> inputs = new HashSet<>();
        for (InputLimits.Limit limit : InputLimits.ALL) {
            assertTrue(inputs.add(limit.input()), "one row per input: " + limit.input());
            assertTrue(limit.validMin() <= limit.validMax(), limit.input());
            assertTrue(limit.checklistMin() <= limit.checklistMax(), limit.input());
            assertTrue(limit.checklistMax() <= limit.validMax(), limit.input() + ": the checklist allows more than is valid");
        }
    }

    /** The project's defaults are valid and pass the production checklist. */
    @Test
    void theDefaultsMeetBothColumns() {
        int timeout = RedisDirectives.DEFAULT_NODE_TIMEOUT_MS;
        assertTrue(InputLimits.NODE_TIMEOUT_MS.valid(timeout) && InputLimits.NODE_TIMEOUT_MS.meetsChecklist(timeout));
        assertTrue(InputLimits.MASTERS.valid(Planner.MIN_MASTERS) && InputLimits.MASTERS.meetsChecklist(Planner.MIN_MASTERS));
        assertTrue(InputLimits.ZONES.meetsChecklist(3) && InputLimits.REPLICAS_PER_MASTER.meetsChecklist(1));
    }

    @Test
    void theTwoLimitsTheComponentAndThePackDisagreeOnStayAsDocumented() {
        assertEquals("1000..60000", InputLimits.NODE_TIMEOUT_MS.validRange());
        assertEquals("2000..30000", InputLimits.NODE_TIMEOUT_MS.checklistRange());
        assertEquals("10..80", InputLimits.MAXMEMORY_PERCENT.validRange());
        assertEquals(75, InputLimits.MAXMEMORY_PERCENT.checklistMax());
        assertEquals("at least 3", InputLimits.MASTERS.validRange());
        assertFalse(InputLimits.NODE_TIMEOUT_MS.meetsChecklist(45000));
        assertTrue(InputLimits.NODE_TIMEOUT_MS.valid(45000));
    }

    /** The table users read (docs/aws.md, "Limits") shows this table's numbers. */
    @Test
    void theDocsTableShowsTheseNumbers() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "aws.md"));
        for (InputLimits.Limit limit : InputLimits.ALL) {
            String row = "| `" + limit.input() + "` | " + limit.validRange() + " | " + limit.checklistRange() + " |";
            assertTrue(docs.contains(row), "docs/aws.md has no row " + row);
        }
    }
}
