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

    private static String[] run(CommandLine cli, StringWriter out, StringWriter err, String... args) {
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new String[] {Integer.toString(cli.execute(args)), out.toString(), err.toString()};
    }

    private static void eachCommand(CommandLine cli, java.util.function.Consumer<CommandLine> check) {
        cli.getSubcommands().values().forEach(sub -> {
            check.accept(sub);
            eachCommand(sub, check);
        });
    }

    @Test
    void everySummaryInTheCommandListIsAWholeSentence() {
        eachCommand(RedisHaCli.commandLine(), sub -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0 && description[0].strip().endsWith("."),
                    sub.getCommandSpec().qualifiedName() + " summary is cut: " + String.join(" | ", description));
        });
    }

    @Test
    void planUsageShowsZonesAsRequired() {
        String[] r = run(RedisHaCli.commandLine(), new StringWriter(), new StringWriter(), "plan", "--help");
        assertTrue(r[1].startsWith("Usage: redis-ha plan --zones=Z1,Z2,Z3"), r[1]);
        String[] missing = run(RedisHaCli.commandLine(), new StringWriter(), new StringWriter(), "plan", "--masters", "3");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--zones"), missing[2]);
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        eachCommand(RedisHaCli.commandLine(), sub -> {
            List<String> path = new java.util.ArrayList<>();
            for (CommandLine c = sub; c.getParent() != null; c = c.getParent()) {
                path.add(0, c.getCommandName());
            }
            path.add("-V");
            String[] r = run(RedisHaCli.commandLine(), new StringWriter(), new StringWriter(), path.toArray(String[]::new));
            assertEquals("0", r[0], path.toString());
            assertEquals("redis-ha 0.1.0", r[1].strip(), path + " printed: " + r[1]);
        });
    }

    @Test
    void everyConnectingCommandTakesTheSamePasswordOptions() {
        List<List<String>> connecting = List.of(List.of("create"), List.of("converge"), List.of("check"), List.of("reshard"),
                List.of("rebalance"), List.of("fix"), List.of("drill"), List.of("heal"), List.of("metrics"), List.of("plan", "diff"));
        for (List<String> command : connecting) {
            CommandLine cli = RedisHaCli.commandLine();
            for (String name : command) {
                cli = cli.getSubcommands().get(name);
            }
            for (String option : List.of("--password-env", "--password-ssm", "--tls", "--tls-ca-cert")) {
                assertTrue(cli.getCommandSpec().findOption(option) != null, command + " lacks " + option);
            }
        }
    }

    @Test
    void aPlanFileWhereAPlacementBelongsIsRefusedWithTheFormat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path plan = dir.resolve("plan.json");
        java.nio.file.Files.writeString(plan, io.redisha.topology.Planner.plan(3, 1, List.of("a", "b", "c"),
                io.redisha.topology.ZoneLoss.MUST_SURVIVE).toJson());
        String[] r = run(RedisHaCli.commandLine(), new StringWriter(), new StringWriter(), "converge", "--plan-file", plan.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("redis-ha: plan-file=" + plan + " is not valid: this is a plan without addresses"), r[2]);
        assertTrue(r[2].contains("\"addresses\": {\"node-0-0\": \"10.0.1.10:6379\"") && !r[2].contains("Cannot invoke"), r[2]);
        assertEquals(1, r[2].strip().split("\n").length, "one line, no stack trace: " + r[2]);
    }
}
