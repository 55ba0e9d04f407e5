package io.redisha.topology;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeTuningsTest {

    @Test
    void coversTheGuidesProductionChecklist() {
        assertEquals("never", NodeTunings.value("thp"));
        assertEquals("1", NodeTunings.value("overcommit_memory"));
        assertEquals("65535", NodeTunings.value("somaxconn"));
        assertEquals("65535", NodeTunings.value("nofile"));
    }

    @Test
    void tagValueIsTheStableJoinedList() {
        assertEquals("thp=never,thp_defrag=never,overcommit_memory=1,somaxconn=65535,tcp_max_syn_backlog=65535,"
                + "nofile=65535,tcp_backlog=65535", NodeTunings.tagValue());
        assertTrue(NodeTunings.tagValue().length() <= 256, "EC2 tag values are at most 256 characters");
        assertEquals(Map.of("redis-ha:tunings", NodeTunings.tagValue(), "redis-ha:node-image", "redis-ha-node-image"),
                NodeTunings.instanceTags());
        assertEquals(List.of("thp=never", "thp_defrag=never", "overcommit_memory=1", "somaxconn=65535",
                "tcp_max_syn_backlog=65535", "nofile=65535", "tcp_backlog=65535"), NodeTunings.asStrings());
    }

    @Test
    void unknownKeyNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> NodeTunings.value("swappiness"));
        assertTrue(e.getMessage().contains("'swappiness'") && e.getMessage().contains("somaxconn"), e.getMessage());
    }
}
