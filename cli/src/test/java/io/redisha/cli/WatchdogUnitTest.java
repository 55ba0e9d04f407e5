package io.redisha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The watchdog unit baked into the node image (read from the node-image module's sources) starts a
 * command this CLI accepts, with and without the TLS options the component renders.
 */
class WatchdogUnitTest {

    @Test
    void theBakedUnitsCommandLineParses() throws Exception {
        String unit = Files.readString(Path.of("..", "node-image", "src", "main", "resources", "node-image", "files", "redis-ha-watchdog.service"));
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        assertTrue(unit.contains("EnvironmentFile=/etc/redis-ha/watchdog.env"), unit);
        assertTrue(unit.contains("Restart=always"), unit);
        for (String tls : List.of("", "--tls --tls-ca-cert /etc/redis/tls/ca.crt")) {
            // systemd: ${VAR} is one word, $VAR splits on whitespace.
            String line = exec.replace("${REDIS_HA_JAR}", "/opt/redis-ha/metrics/redis-ha.jar").replace("${NODE_IP}", "10.0.1.7")
                    .replace("${PASSWORD_SSM}", "/redis-ha/prod/auth").replace("$TLS_OPTIONS", tls);
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            List<String> args = words.subList(words.indexOf("-jar") + 2, words.size());
            CommandLine.ParseResult parsed = RedisHaCli.commandLine().parseArgs(args.toArray(String[]::new));
            assertEquals("watchdog", parsed.subcommand().commandSpec().name());
            assertTrue(parsed.subcommand().hasMatchedOption("--ec2"));
            assertEquals(!tls.isEmpty(), parsed.subcommand().hasMatchedOption("--tls"));
        }
    }
}
