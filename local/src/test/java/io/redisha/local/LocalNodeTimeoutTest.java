package io.redisha.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.server.RedisConf;
import io.redisha.topology.InputLimits;
import io.redisha.topology.InvalidInputException;
import io.redisha.topology.RedisDirectives;
import io.redisha.topology.ZoneLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local up} renders the node timeout it is given, as the component renders nodeTimeoutMs. */
class LocalNodeTimeoutTest {
    private static final Path DIR = Path.of("/tmp/redis-ha-conf-test");

    @Test
    void theRendererWritesTheGivenTimeoutAndTheProjectDefaultOtherwise() {
        RedisConf.Settings plain = new RedisConf.Settings(7001, DIR, Optional.empty(), 1, false);
        assertTrue(RedisConf.render(plain).contains("\ncluster-node-timeout " + RedisDirectives.DEFAULT_NODE_TIMEOUT_MS + "\n"));
        String conf = RedisConf.render(plain.withNodeTimeout(12000));
        assertTrue(conf.contains("\ncluster-node-timeout 12000\n"), conf);
        assertFalse(conf.contains("cluster-node-timeout " + RedisDirectives.DEFAULT_NODE_TIMEOUT_MS), conf);
    }

    /** Refused before any process starts, with the component's valid range. */
    @Test
    void aTimeoutOutsideTheValidRangeIsRefusedBeforeAnythingStarts(@TempDir Path dir) {
        for (int bad : new int[] {InputLimits.NODE_TIMEOUT_MS.validMin() - 1, InputLimits.NODE_TIMEOUT_MS.validMax() + 1}) {
            LocalCluster.Options options = new LocalCluster.Options(3, 1, List.of("az-a", "az-b", "az-c"), 7000, Optional.empty(),
                    ZoneLoss.MUST_SURVIVE, false, bad, 0, Optional.empty());
            String message = assertThrows(InvalidInputException.class, () -> new LocalCluster(dir, null).up(options, null)).getMessage();
            assertEquals("node-timeout-ms=" + bad + " is not valid: " + InputLimits.NODE_TIMEOUT_MS.validRange(), message);
        }
        assertFalse(Files.exists(dir.resolve("state.json")));
    }

    /** A state file written before the timeout was kept reads as the default, which local up rendered then. */
    @Test
    void anOlderStateFileReadsAsTheDefault() throws Exception {
        StringBuilder nodes = new StringBuilder();
        String[][] planned = {{"node-0-0", "az-a"}, {"node-1-0", "az-b"}, {"node-2-0", "az-c"}, {"node-0-1", "az-b"},
            {"node-1-1", "az-c"}, {"node-2-1", "az-a"}};
        for (int i = 0; i < planned.length; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"name\":\"").append(planned[i][0]).append("\",\"port\":").append(7000 + i)
                    .append(",\"zone\":\"").append(planned[i][1]).append("\",\"pid\":1,\"dir\":\"/x\"}");
        }
        String json = "{\"masters\":3,\"replicas\":1,\"zones\":[\"az-a\",\"az-b\",\"az-c\"],\"passwordEnv\":\"\",\"nodes\":["
                + nodes + "],\"tls\":false}";
        LocalState state = new ObjectMapper().readValue(json, LocalState.class);
        assertEquals(RedisDirectives.DEFAULT_NODE_TIMEOUT_MS, state.nodeTimeoutMs());
    }
}
