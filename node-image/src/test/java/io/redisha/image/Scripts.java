package io.redisha.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test fixture: stages the baked files from the classpath and runs the module's shell scripts. */
final class Scripts {

    record Result(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private Scripts() {
    }

    /** Writes every staged file, as the AWSTOE StageFiles step does, into {@code dir}. */
    static Path stage(Path dir) throws IOException {
        for (String name : NodeImageFiles.stagedNames()) {
            Files.writeString(dir.resolve(name), NodeImageFiles.content(name), StandardCharsets.UTF_8);
        }
        return dir;
    }

    static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        pb.environment().remove("ROOT");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command) + "\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
