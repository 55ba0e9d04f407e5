package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.InvalidInputException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * {@code redis-ha}: plan, form, converge and check zone-aware Redis Clusters, on EC2 or locally.
 * Exit codes: 0 ok, 1 check failed or operation failed, 2 invalid input.
 */
@Command(name = "redis-ha", mixinStandardHelpOptions = true, version = "redis-ha 0.1.0",
        description = "Zone-aware Redis Cluster: plan, create, converge, check, and run one locally.",
        subcommands = {PlanCommand.class, CreateCommand.class, ConvergeCommand.class, CheckCommand.class,
                SlotCommands.Reshard.class, SlotCommands.Rebalance.class, SlotCommands.Fix.class, DrillCommand.Remote.class, HealCommand.Remote.class, RollCommand.Remote.class, MetricsCommand.class, WatchdogCommand.class,
                BackupCommand.class, RestoreCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:check found failures, or the operation failed", "2:invalid input (the message names it)"})
public final class RedisHaCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RedisHaCli());
        // 'local' and 'backup verify' come from the local module when it is there (redis-ha.jar, not redis-ha-node.jar).
        DevClusters.register(cli);
        cli.setExecutionExceptionHandler(RedisHaCli::handle);
        withHelp(cli);
        return cli;
    }

    /** Every subcommand answers {@code --help} and {@code --version} (the tool's version), however deep. */
    private static void withHelp(CommandLine cli) {
        withHelp(cli, cli.getCommandSpec().version());
    }

    private static void withHelp(CommandLine cli, String[] version) {
        cli.getCommandSpec().mixinStandardHelpOptions(true);
        cli.getCommandSpec().version(version);
        cli.getSubcommands().values().forEach(sub -> withHelp(sub, version));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handle(Exception e, CommandLine cli, ParseResult parsed) {
        int code = e instanceof InvalidInputException || e instanceof IllegalArgumentException && !(e instanceof ClusterRefusedException)
                ? INVALID : FAILED;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (json(parsed)) {
            ObjectNode error = Output.object();
            error.put("error", message);
            error.put("exitCode", code);
            if (e instanceof ClusterRefusedException refused) {
                refused.problems().forEach(error.putArray("problems")::add);
            }
            cli.getOut().println(Output.write(error));
            cli.getOut().flush();
        }
        PrintWriter err = cli.getErr();
        err.println("redis-ha: " + message);
        err.flush();
        return code;
    }

    private static boolean json(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The AWS services a {@code redis-ha} command line calls, from the options it uses: what a node
     * without internet access needs VPC endpoints for (the component declares them; a test compares).
     */
    public static java.util.Set<String> awsServicesCalled(java.util.List<String> args) {
        java.util.Set<String> services = new java.util.TreeSet<>();
        for (ParseResult p = commandLine().parseArgs(args.toArray(String[]::new)); p != null; p = p.subcommand()) {
            for (String option : java.util.List.of("--plan-ssm", "--password-ssm", "--placement-ssm")) {
                if (p.hasMatchedOption(option)) {
                    services.add(io.redisha.aws.SsmParameters.SERVICE);
                }
            }
            // backup --to s3://..., restore and backup verify s3://...
            java.util.List<Object> values = new java.util.ArrayList<>();
            p.matchedOptions().stream().filter(o -> o.longestName().equals("--to")).forEach(o -> values.add(o.getValue()));
            p.matchedPositionals().forEach(a -> values.add(a.getValue()));
            if (values.stream().anyMatch(v -> java.util.Objects.toString(v).startsWith("s3://"))) {
                services.add(io.redisha.aws.S3Objects.SERVICE);
            }
            if (p.hasMatchedOption("--publish")) {
                services.add(io.redisha.aws.CloudWatchMetrics.SERVICE);
            }
            if (p.hasMatchedOption("--ec2")) {
                services.add(io.redisha.aws.Ec2InstanceHealth.SERVICE);
            }
        }
        return services;
    }

    /** Reads the AUTH password from an environment variable, naming it when it is missing. */
    static Credentials fromEnv(Optional<String> variable) {
        if (variable.isEmpty()) {
            return Credentials.none();
        }
        String value = System.getenv(variable.get());
        if (value == null || value.isEmpty()) {
            throw new InvalidOptionException("password-env", variable.get(), "the name of a set, non-empty environment variable holding the password");
        }
        return Credentials.password(value);
    }
}
