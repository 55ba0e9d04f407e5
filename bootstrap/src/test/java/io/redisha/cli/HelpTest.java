package io.redisha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
    @Test
    void everyCommandAnswersHelpWithItsOwnUsage() {
        List<List<String>> commands = List.of(List.of("plan"), List.of("create"), List.of("converge"), List.of("check"),
                List.of("reshard"), List.of("rebalance"), List.of("fix"), List.of("drill"), List.of("heal"),
                List.of("local", "up"), List.of("local", "down"), List.of("local", "drill"), List.of("plan", "diff"));
        for (List<String> command : commands) {
            StringWriter out = new StringWriter();
            CommandLine cli = RedisHaCli.commandLine();
            cli.setOut(new PrintWriter(out));
            String[] args = new java.util.ArrayList<String>(command) {{ add("--help"); }}.toArray(String[]::new);
            assertEquals(0, cli.execute(args), "exit code of " + command + " --help");
            assertTrue(out.toString().startsWith("Usage: redis-ha " + String.join(" ", command)), out.toString());
        }
    }

    @Test
    void aMissingPasswordVariableIsNamedAndIsInvalidInput() {
        StringWriter err = new StringWriter();
        CommandLine cli = RedisHaCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("check", "127.0.0.1:7000", "--password-env", "REDIS_HA_TEST_SURELY_UNSET_VARIABLE");
        assertEquals(RedisHaCli.INVALID, code);
        assertTrue(err.toString().contains("password-env=REDIS_HA_TEST_SURELY_UNSET_VARIABLE is not valid"), err.toString());
    }
}
