package io.redisha.tests.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Pulumi project in a temporary directory, with its own file backend and the AWS double's call
 * log, driven through the real CLI. {@link #close} deletes it all (the double creates nothing
 * outside).
 */
final class EngineProject implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSPHRASE = "engine-test-passphrase";
    private final Path root;
    private final Path dir;
    private final Path state;
    private final Path callLog;
    private final Path cloud;

    private EngineProject(Path root) {
        this.root = root;
        this.dir = root.resolve("project");
        this.state = root.resolve("state");
        this.callLog = root.resolve("aws-double-calls.jsonl");
        this.cloud = root.resolve("aws-double-cloud");
    }

    /** The next {@code n} converge runs the double's association starts fail (as a node whose converge exits 1). */
    void failNextConverges(int n) {
        try {
            Files.createDirectories(cloud);
            Files.writeString(cloud.resolve("converge-failures"), String.valueOf(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new project directory with a stack {@code stack} in a fresh file backend. */
    static EngineProject create(String stack, String pulumiYaml) {
        EngineProject p;
        try {
            p = new EngineProject(Files.createTempDirectory("redis-ha-engine"));
            Files.createDirectories(p.dir);
            Files.createDirectories(p.state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.initialised(() -> {
            p.writeProgram(pulumiYaml);
            p.ok("stack", "init", stack);
            p.ok("config", "set", "aws:region", "us-east-1");
        });
    }

    /** Runs {@code setup}; on failure deletes the project before passing the failure on. */
    EngineProject initialised(Runnable setup) {
        try {
            setup.run();
            return this;
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Path state() {
        return state;
    }

    void writeProgram(String pulumiYaml) {
        try {
            Files.writeString(dir.resolve("Pulumi.yaml"), pulumiYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Run(List<String> command, int exit, String out, String err) {
        String both() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs {@code pulumi ARGS} in the project; any exit code. */
    Run run(String... args) {
        List<String> command = new ArrayList<>(List.of(EngineTools.pulumi().toString(), "--non-interactive"));
        command.addAll(List.of(args));
        try {
            Path out = root.resolve("out.txt");
            Path err = root.resolve("err.txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.put("PULUMI_BACKEND_URL", state.toUri().toString());
            env.put("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE);
            env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
            env.put("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
            env.put("REDIS_HA_AWS_DOUBLE_LOG", callLog.toString());
            // what AWS remembers between runs: SSM values (the node's converge record) and converge runs
            env.put("REDIS_HA_AWS_DOUBLE_CLOUD", cloud.toString());
            env.remove("PULUMI_ACCESS_TOKEN");
            Process p = builder.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("pulumi " + String.join(" ", args) + " did not end within 300 s: " + Files.readString(err));
            }
            return new Run(command, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code pulumi ARGS} and fails the test unless it exits 0. */
    Run ok(String... args) {
        Run r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError("pulumi " + String.join(" ", args) + " failed:\n" + r.both());
        }
        return r;
    }

    /** {@code pulumi preview --json}: the steps the engine would take. */
    Preview preview() {
        Run r = ok("preview", "--json", "--diff");
        try {
            return new Preview(JSON.readTree(r.out()));
        } catch (IOException e) {
            throw new AssertionError("preview --json is not JSON:\n" + r.both(), e);
        }
    }

    /** {@code pulumi up} without a second preview (each test previews where it asserts on the plan). */
    Run up() {
        return ok("up", "--yes", "--skip-preview");
    }

    JsonNode outputs() {
        try {
            return JSON.readTree(ok("stack", "output", "--json").out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every call the AWS double received since the last {@link #takeCalls}, and forgets them. */
    List<JsonNode> takeCalls() {
        try {
            if (!Files.exists(callLog)) {
                return List.of();
            }
            List<JsonNode> calls = new ArrayList<>();
            for (String line : Files.readAllLines(callLog)) {
                if (!line.isBlank()) {
                    calls.add(JSON.readTree(line));
                }
            }
            Files.delete(callLog);
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the backend (the stack's state and its history), as text. */
    String stateFiles() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
