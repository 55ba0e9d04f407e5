package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import io.redisha.topology.ServerVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine and engineVersion inputs: validated like every input, carried by the user data (so only a new node
 * generation applies them: userData is one of {@link InputChanges#PINNED_INSTANCE_PROPERTIES}), checked by each node at
 * boot against the server its image runs (run here against the real redis-server 7.0.15), and, for Valkey 8+, the
 * node's zone announced as availability-zone.
 */
class EngineInputsTest {
    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw"));
    }

    @Test
    void defaultsToRedis70AndRefusesWhatIsNotSupported() {
        assertEquals(new ServerVersion(ServerVersion.Engine.REDIS, 7, 0, 0), valid().build().validate("prod").server());
        Map<RedisClusterArgs.Builder, String> refused = Map.of(
                valid().engine("keydb"), "engine=keydb is not valid: redis or valkey",
                valid().engineVersion("8"), "engineVersion=8 is not valid: a version like 7.0.15 or 8.1",
                valid().engine("redis").engineVersion("6.2"), "engine=redis, engineVersion=6.2 runs redis 6.2.0; redis-ha supports redis >= 7.0, valkey >= 7.2");
        refused.forEach((args, message) -> {
            String error = assertThrows(InvalidClusterArgsException.class, () -> args.build().validate("prod")).getMessage();
            assertTrue(error.contains(message), error);
        });
    }

    @Test
    void userDataIsWhereTheEngineLivesSoANewGenerationCarriesIt() {
        assertTrue(InputChanges.PINNED_INSTANCE_PROPERTIES.contains("userData"));
        String redis = valid().build().validate("prod").userData("node-0-0");
        String valkey = valid().engine("valkey").engineVersion("8.1.4").build().validate("prod").userData("node-0-0");
        assertFalse(redis.equals(valkey), "a change of engine changes the user data");
        assertTrue(valkey.contains("echo \"availability-zone $AZ\" >> /etc/redis/redis.conf"), valkey);
        assertTrue(valkey.contains("meta-data/placement/availability-zone"), valkey);
        assertFalse(redis.contains("availability-zone"), "Redis has no availability-zone setting");
        assertFalse(valid().engine("valkey").engineVersion("7.2.5").build().validate("prod").userData("node-0-0").contains("availability-zone"),
                "Valkey 7.2 has no availability-zone setting");
    }

    /** The boot check of the user data, run against this machine's redis-server 7.0.15. */
    @Test
    void aNodeRefusesToStartAServerOtherThanTheOneAsked() throws Exception {
        assertEquals(0, bootCheck(valid().build()).exitCode());
        assertEquals(0, bootCheck(valid().engineVersion("7.0.15").build()).exitCode());
        Result wrong = bootCheck(valid().engineVersion("8.2").build());
        assertEquals(1, wrong.exitCode());
        assertTrue(wrong.output().contains("this image runs 'Redis server v=7.0.15") && wrong.output().contains("the cluster asks for redis 8.2")
                && wrong.output().contains("build the node image with engine=redis engineVersion=8.2"), wrong.output());
        assertEquals(1, bootCheck(valid().engine("valkey").engineVersion("8.1.4").build()).exitCode());
    }

    @Test
    void zoneMapIsEveryNodesAddressToItsZone() {
        assertEquals(Map.of("10.0.1.5:6379", "us-east-1a", "10.0.2.7:6379", "us-east-1b"), RedisCluster.zoneMap(List.of(
                Map.of("name", "node-0-0", "zone", "us-east-1a", "privateIp", "10.0.1.5"),
                Map.of("name", "node-0-1", "zone", "us-east-1b", "privateIp", "10.0.2.7"))));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result bootCheck(RedisClusterArgs args) throws Exception {
        String userData = args.validate("prod").userData("node-0-0");
        String check = userData.lines().filter(l -> l.startsWith("SERVER=") || l.startsWith("echo \"$SERVER\""))
                .reduce("set -euo pipefail\n", (a, b) -> a + b + "\n");
        assertTrue(check.contains("redis-server --version"), userData);
        Process p = new ProcessBuilder("bash", "-c", check).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
