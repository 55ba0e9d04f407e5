package io.redisha.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shipped CLI jar as a child process, the way the SSM document and operators do. */
public final class Jar {
    /** What users run: every verb, local dev clusters included. */
    public static final Path PATH = Path.of("..", "cli", "target", "redis-ha.jar").toAbsolutePath().normalize();
    /** What the component ships to EC2 nodes: the same CLI without the local module. */
    public static final Path NODE = Path.of("..", "cli", "target", "redis-ha-node.jar").toAbsolutePath().normalize();

    public record Result(int exit, String out, String err) {
        public String both() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Jar() {
    }

    public static Result run(Map<String, String> env, String... args) {
        return runIn(Path.of("").toAbsolutePath(), env, args);
    }

    /** As {@link #run} (an empty value in {@code env} unsets that variable), with {@code cwd} as the working directory (relative paths and defaults resolve there). */
    public static Result runIn(Path cwd, Map<String, String> env, String... args) {
        return runJar(PATH, cwd, env, args);
    }

    /** As {@link #runIn}, with another jar ({@link #NODE}). */
    public static Result runJar(Path jar, Path cwd, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("redis-ha-out", ".txt");
            Path err = Files.createTempFile("redis-ha-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            // An empty value unsets the variable, so a test can run the jar as if it were not set.
            env.forEach((name, value) -> {
                if (value.isEmpty()) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process p = builder.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("redis-ha " + String.join(" ", args) + " did not end within 180 s: " + Files.readString(err));
            }
            Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + jar + " (built? mvn -pl cli -am install -DskipTests)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
