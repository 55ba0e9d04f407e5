package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy pack under the real Pulumi engine: {@code pulumi preview --policy-pack
 * policies/pulumi-analyzer-redis-ha} (the CLI starts the launcher as an analyzer plugin) on YAML
 * programs that declare Redis the way other teams do, against the AWS provider double (a stand-in
 * for pulumi-aws that makes no AWS call). Needs {@code pulumi}, {@code pulumi-language-yaml} and the
 * double's binary {@code pulumi-resource-aws}, looked up in {@code REDIS_HA_TOOLS_BIN} (dirs separated
 * by ':'), then {@code .tools/bin} of the repository, then PATH (the double is built from
 * tests/engine/aws-double with go when its binary is not found); and the pack's jar
 * (policies/target/redis-ha-policies.jar). Without them the tests fail when {@code CI=true} and are
 * skipped, saying what is missing, elsewhere.
 */
class PolicyPackEngineTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path LAUNCHER = REPO.resolve("policies/pulumi-analyzer-redis-ha");
    private static final Path PROGRAMS = Path.of(System.getProperty("user.dir"), "src/test/resources/engine/policy-pack");
    /** The AWS provider version the double answers as (the component's children ask for it too). */
    private static final String AWS_VERSION = "6.83.0";

    private static Path pulumi;
    private static Path home;

    /** What one CLI run printed, with its exit code. */
    record Run(int exit, String output) {
    }

    @BeforeAll
    static void tools() throws Exception {
        List<String> missing = new ArrayList<>();
        Optional<Path> cli = find("pulumi");
        Optional<Path> yaml = find("pulumi-language-yaml");
        Optional<Path> aws = find("pulumi-resource-aws").or(PolicyPackEngineTest::buildAwsDouble);
        cli.ifPresentOrElse(p -> { }, () -> missing.add("pulumi"));
        yaml.ifPresentOrElse(p -> { }, () -> missing.add("pulumi-language-yaml"));
        aws.ifPresentOrElse(p -> { }, () -> missing.add("pulumi-resource-aws (the AWS double: go build in tests/engine/aws-double)"));
        if (!Files.isRegularFile(REPO.resolve("policies/target/redis-ha-policies.jar"))) {
            missing.add("policies/target/redis-ha-policies.jar (mvn -B -pl policies -am package -DskipTests)");
        }
        if (!missing.isEmpty()) {
            String reason = "engine tools missing: " + String.join(", ", missing)
                    + "; set REDIS_HA_TOOLS_BIN or build them into .tools/bin (bash .ci/setup)";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
        pulumi = cli.get();
        home = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "engine-policy-pack", "pulumi-home"));
        Run install = run(REPO, Map.of(), "plugin", "install", "resource", "aws", AWS_VERSION, "--file", aws.get().toString());
        assertEquals(0, install.exit(), install.output());
    }

    @Test
    void aProgramThatFollowsTheChecklistPassesOnProd(@TempDir Path dir) throws Exception {
        Path project = project("safe", dir);
        Run preview = preview(project, "prod", Map.of());
        assertEquals(0, preview.exit(), preview.output());
        assertTrue(preview.output().contains("✅ redis-ha@v0.1.0"), preview.output());
        assertTrue(!preview.output().contains("[mandatory]") && !preview.output().contains("[advisory]"), preview.output());
    }

    @Test
    void theIssuesExampleFailsWithEveryProblemNamedAndItsFix(@TempDir Path dir) throws Exception {
        Path project = project("unsafe", dir);
        Run preview = preview(project, "prod", Map.of());
        assertNotEquals(0, preview.exit(), preview.output());
        assertTrue(preview.output().contains("❌ redis-ha@v0.1.0"), preview.output());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("redis-no-public-ip", "redis-1");
        expected.put("redis-aof-enabled", "redis-1");
        expected.put("redis-auth-from-secret", "redis-1");
        expected.put("redis-tuned-image", "redis-1");
        expected.put("redis-imdsv2-required", "redis-1");
        expected.put("redis-encrypted-volumes", "redis-1");
        expected.put("redis-no-open-ports", "redis-bus");
        expected.put("redis-replicas-per-master", "sessions");
        expected.put("elasticache-failover-multi-az", "sessions");
        expected.put("elasticache-encryption", "sessions");
        expected.put("elasticache-auth", "sessions");
        expected.put("elasticache-snapshots", "sessions");
        expected.forEach((rule, resource) -> assertTrue(preview.output().contains("[mandatory] [severity: high]  " + rule + "  (")
                && preview.output().contains(": " + resource + ")"), rule + " on " + resource + " in " + preview.output()));
        long fixes = preview.output().lines().filter(l -> l.contains("Fix: ")).count();
        assertTrue(fixes >= expected.size(), "every violation says its fix: " + preview.output());
    }

    @Test
    void aMandatoryViolationStopsPulumiUpBeforeAnythingIsCreated(@TempDir Path dir) throws Exception {
        Path project = project("unsafe", dir);
        initStack(project, "prod", Map.of());
        Run up = run(project, env(dir), "up", "--yes", "--non-interactive", "--skip-preview", "--stack", "prod",
                "--policy-pack", LAUNCHER.toString());
        assertNotEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("[mandatory]"), up.output());
        Run export = run(project, env(dir), "stack", "export", "--stack", "prod");
        assertEquals(0, export.exit(), export.output());
        assertTrue(!export.output().contains("aws:ec2/instance:Instance") && !export.output().contains("aws:elasticache"),
                "nothing was created: " + export.output());
    }

    @Test
    void policyPackConfigChangesALimit(@TempDir Path dir) throws Exception {
        Path project = project("safe", dir);
        Path config = dir.resolve("policy-config.json");
        Files.writeString(config, "{\"elasticache-snapshots\": {\"minDays\": 14}}");
        Run preview = preview(project, "prod", Map.of(), "--policy-pack-config", config.toString());
        assertNotEquals(0, preview.exit(), preview.output());
        assertTrue(preview.output().contains("elasticache-snapshots") && preview.output().contains("needs at least 14"), preview.output());
    }

    @Test
    void anAdvisoryViolationDoesNotFailThePreview(@TempDir Path dir) throws Exception {
        Path project = project("safe", dir);
        Run preview = preview(project, "prod", Map.of("ledgerReplicas", "1"));
        assertEquals(0, preview.exit(), preview.output());
        assertTrue(preview.output().contains("[advisory] [severity: medium]  redis-replicas-for-production  (aws:memorydb:Cluster: ledger)"),
                preview.output());
    }

    // --- helpers

    private static Path project(String name, Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve(name));
        Files.copy(PROGRAMS.resolve(name).resolve("Pulumi.yaml"), project.resolve("Pulumi.yaml"), StandardCopyOption.REPLACE_EXISTING);
        return project;
    }

    /** A new stack with its config, then {@code pulumi preview --policy-pack <launcher>}. */
    private static Run preview(Path project, String stack, Map<String, String> config, String... extra) throws Exception {
        initStack(project, stack, config);
        List<String> args = new ArrayList<>(List.of("preview", "--non-interactive", "--stack", stack, "--policy-pack", LAUNCHER.toString()));
        args.addAll(List.of(extra));
        return run(project, env(project.getParent()), args.toArray(String[]::new));
    }

    /** A new stack of the project with the region, the program's secret and {@code config}. */
    private static void initStack(Path project, String stack, Map<String, String> config) throws Exception {
        Map<String, String> env = env(project.getParent());
        Run init = run(project, env, "stack", "init", stack, "--non-interactive");
        assertEquals(0, init.exit(), init.output());
        List<String[]> settings = new ArrayList<>();
        settings.add(new String[] {"config", "set", "aws:region", "us-east-1", "--stack", stack});
        settings.add(new String[] {"config", "set", "--secret", "sessionsAuthToken", "not-a-real-token-0123456789", "--stack", stack});
        config.forEach((k, v) -> settings.add(new String[] {"config", "set", k, v, "--stack", stack}));
        for (String[] args : settings) {
            Run set = run(project, env, args);
            assertEquals(0, set.exit(), set.output());
        }
    }

    /** A file backend per test, the shared plugin home (with the double installed), a throwaway passphrase. */
    private static Map<String, String> env(Path dir) throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        return Map.of("PULUMI_BACKEND_URL", state.toUri().toString(), "PULUMI_CONFIG_PASSPHRASE", "engine-test");
    }

    private static Run run(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(pulumi.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PULUMI_HOME", home.toString());
        builder.environment().put("PULUMI_SKIP_UPDATE_CHECK", "true");
        builder.environment().put("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("PATH", pulumi.getParent() + File.pathSeparator + searchPath().stream().map(Path::toString)
                .reduce((a, b) -> a + File.pathSeparator + b).orElse(""));
        Path log = Files.createTempFile("pulumi-run", ".txt");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("pulumi " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(process.exitValue(), output);
    }

    /** The AWS double built from tests/engine/aws-double with go, when its binary is not on the search path. */
    private static Optional<Path> buildAwsDouble() {
        Path source = REPO.resolve("tests/engine/aws-double");
        Optional<Path> go = find("go");
        if (!Files.isDirectory(source) || go.isEmpty()) {
            return Optional.empty();
        }
        Path binary = Path.of(System.getProperty("user.dir"), "target", "engine-policy-pack", "pulumi-resource-aws");
        try {
            Process build = new ProcessBuilder(go.get().toString(), "build", "-o", binary.toString(), ".")
                    .directory(source.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return build.waitFor(10, TimeUnit.MINUTES) && build.exitValue() == 0 ? Optional.of(binary) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Path> find(String binary) {
        return searchPath().stream().map(dir -> dir.resolve(binary)).filter(Files::isExecutable).findFirst();
    }

    private static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        Stream.of(Optional.ofNullable(System.getenv("REDIS_HA_TOOLS_BIN")).orElse(""), REPO.resolve(".tools/bin").toString(),
                        Optional.ofNullable(System.getenv("PATH")).orElse(""))
                .flatMap(s -> Stream.of(s.split(File.pathSeparator))).filter(s -> !s.isBlank()).map(Path::of).forEach(dirs::add);
        return dirs;
    }
}
