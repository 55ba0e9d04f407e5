package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.aws.SsmParameters;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.Readiness;
import io.redisha.cluster.transport.Credentials;
import io.redisha.text.Count;
import io.redisha.topology.ConvergeRecord;
import io.redisha.topology.Placement;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "converge", description = "Bring the live cluster to a published placement (what the SSM document runs on EC2).")
final class ConvergeCommand extends ClusterCommand {
    static final class PlanSource {
        @Option(names = "--plan-file", paramLabel = "FILE", description = "Placement JSON file.")
        Optional<Path> file;

        @Option(names = "--plan-ssm", paramLabel = "NAME", description = "SSM parameter holding the placement JSON.")
        Optional<String> ssm;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PlanSource plan;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds each wait (join, replica sync) may take. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--wait", defaultValue = "SERVING", paramLabel = "serving|configured", converter = ReadinessConverter.class,
            description = "When a newly formed cluster is done: serving (cluster_state:ok everywhere, replica links up; default)"
                    + " or configured (members, slots and replicas agreed, where redis-cli --cluster create returns).")
    Readiness waitFor;

    @Option(names = "--record-ssm", paramLabel = "NAME", description = "SSM parameter to record this run in (converging, then"
            + " converged with the retired nodes verified out of the cluster, or failed): the stack reads it to run a failed"
            + " converge again and to allow the drain phases' deletions.")
    Optional<String> recordSsm = Optional.empty();

    @Option(names = "--attempt", defaultValue = "0", paramLabel = "N", description = "The attempt recorded with --record-ssm"
            + " (the stack passes one more after a failed run). Default: ${DEFAULT-VALUE}.")
    int attempt;

    @Override
    public Integer call() {
        if (attempt < 0) {
            throw new InvalidOptionException("attempt", attempt, "0 or more");
        }
        String placementJson = readPlan();
        Placement placement = placement(placementJson);
        Credentials credentials = connection.credentials();
        if (recordSsm.isEmpty()) {
            return converge(placement, credentials);
        }
        // Recorded before any node is touched, so a run that dies half-way still reads as not converged.
        ConvergeRecord started = ConvergeRecord.started(placementJson, placement, attempt);
        record(started);
        try {
            int exit = converge(placement, credentials);
            record(started.converged(new ClusterEngine(Duration.ofSeconds(timeoutSeconds)).forgotten(placement, credentials)));
            return exit;
        } catch (RuntimeException e) {
            record(started.failed(String.valueOf(e.getMessage())));
            throw e;
        }
    }

    private int converge(Placement placement, Credentials credentials) {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr(), placement, ClusterEngine.serving(placement, credentials),
                credentials, Duration.ofSeconds(timeoutSeconds), waitFor, json);
    }

    private void record(ConvergeRecord record) {
        try (SsmParameters parameters = SsmParameters.fromEnvironment()) {
            parameters.write(recordSsm.get(), record.toJson());
        }
    }

    /** The placement, or a refusal naming the source and the expected format (a bare plan has no addresses). */
    private Placement placement(String json) {
        String source = plan.file != null && plan.file.isPresent() ? "plan-file" : "plan-ssm";
        Object where = plan.file != null && plan.file.isPresent() ? plan.file.get() : plan.ssm.get();
        try {
            return Placement.fromJson(json);
        } catch (IllegalArgumentException e) {
            boolean barePlan = json.contains("\"nodes\"") && !json.contains("\"addresses\"");
            throw new InvalidOptionException(source, where, (barePlan ? "this is a plan without addresses; converge needs " : "")
                    + Placement.FORMAT + (barePlan ? ", or run 'redis-ha create HOST:PORT@ZONE ... --replicas R'" : " (" + e.getMessage() + ")"));
        }
    }

    private String readPlan() {
        if (plan.file != null && plan.file.isPresent()) {
            Path file = plan.file.get();
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new InvalidOptionException("plan-file", file, "a readable file with a placement JSON (" + e.getMessage() + ")");
            }
        }
        return ssm(plan.ssm.get());
    }

    private static String ssm(String name) {
        try (SsmParameters parameters = SsmParameters.fromEnvironment()) {
            return parameters.read(name);
        }
    }

    /**
     * Shared by create and converge: print the plan, converge with progress, print what was done.
     *
     * @param serving the serving cluster among the placement's nodes, loaded once by the caller: the preview and converge both start from it
     */
    static int run(PrintWriter out, PrintWriter err, Placement placement, java.util.Optional<io.redisha.cluster.model.LiveCluster> serving,
                   Credentials credentials, Duration timeout, Readiness readiness, boolean json) {
        ClusterEngine engine = new ClusterEngine(timeout);
        // Growing or shrinking: print the slots that will really move, not a fresh plan's even ranges.
        java.util.Optional<io.redisha.cluster.ScalePreview> scaling = engine.preview(placement, serving, credentials);
        if (!json) {
            out.print(scaling.map(p -> p.applyTo(placement)).orElse(placement).toTable());
            scaling.ifPresent(p -> out.print(p.toText()));
            out.flush();
        }
        ConvergeResult result;
        try (Progress progress = new Progress(err, json)) {
            result = engine.converge(placement, serving, credentials, progress, readiness);
        }
        if (json) {
            ObjectNode answer = Output.object();
            answer.set("placement", Output.placement(placement));
            scaling.ifPresent(p -> answer.set("slotMoves", Output.tree(p.moves())));
            answer.set("result", Output.result(result));
            out.println(Output.write(answer));
        } else {
            if (result.changed()) {
                out.println("\nDone (" + Count.of(result.actions().size(), "change") + "):");
                result.actions().forEach(a -> out.println("  " + a));
            }
            out.println("\n" + result.summary());
        }
        out.flush();
        return RedisHaCli.OK;
    }

    /** Accepts {@code serving} or {@code configured}, in any case, and names the valid values otherwise. */
    static final class ReadinessConverter implements picocli.CommandLine.ITypeConverter<Readiness> {
        @Override
        public Readiness convert(String value) {
            for (Readiness readiness : Readiness.values()) {
                if (readiness.name().equalsIgnoreCase(value.strip())) {
                    return readiness;
                }
            }
            throw new InvalidOptionException("wait", value, "serving or configured");
        }
    }
}
