package io.redisha.policies.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import io.redisha.policies.PolicyPack;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulumirpc.AnalyzerOuterClass.AnalyzerInfo;

/**
 * The launcher the engine starts for {@code --policy-pack policies/pulumi-analyzer-redis-ha}: run
 * as the engine runs an executable pack (flags, then the engine address), it must exec the jar
 * found beside it, print the port first, and serve the Analyzer service on loopback only.
 */
class LauncherTest {
    private static final Path POLICIES = Path.of(System.getProperty("policies.basedir", "."));
    private static final Path LAUNCHER = POLICIES.resolve("pulumi-analyzer-redis-ha");

    /**
     * A copy of the launcher beside a stand-in target/redis-ha-policies.jar whose manifest runs
     * io.redisha.policies.Main from this test's classpath (the shaded jar is built after the tests).
     */
    private static Path packIn(Path dir) throws IOException {
        Path launcher = dir.resolve("pulumi-analyzer-redis-ha");
        Files.copy(LAUNCHER, launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(dir.resolve("target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.redisha.policies.Main");
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.append(new File(entry).toURI()).append(' ');
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("target/redis-ha-policies.jar")), manifest)) {
            jar.flush();
        }
        return launcher;
    }

    @Test
    void theLauncherIsAnExecutableShellScriptThatExecsTheJarBesideIt() throws IOException {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " must be executable: the engine runs it directly");
        String text = Files.readString(LAUNCHER, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("#!/bin/sh\n"), "a POSIX shell script");
        assertTrue(text.contains("target/redis-ha-policies.jar") && text.contains("exec "), text);
    }

    @Test
    void startedLikeTheEngineStartsAPackItServesTheAnalyzerOnLoopback(@TempDir Path dir) throws Exception {
        Path launcher = packIn(dir);
        try (AnalyzerProcess p = AnalyzerProcess.startProgram(List.of(launcher.toString()),
                List.of("--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1/tracing"))) {
            assertEquals(Integer.toString(p.port), p.firstLine.trim(), "the first stdout line is the port alone");
            AnalyzerInfo info = p.stub.getAnalyzerInfo(Empty.getDefaultInstance());
            assertEquals(PolicyPack.NAME, info.getName());
            assertEquals(PolicyPack.standard().rules().size(), info.getPoliciesCount());
        }
    }

    @Test
    void theServerListensOnLoopbackOnly() throws Exception {
        try (AnalyzerServer server = AnalyzerServer.start(PolicyPack.standard())) {
            List<InetSocketAddress> addresses = server.listenAddresses();
            assertTrue(!addresses.isEmpty() && addresses.stream().allMatch(a -> a.getAddress().isLoopbackAddress()), addresses::toString);
        }
    }

    @Test
    void withoutTheJarTheLauncherSaysHowToBuildItAndFails(@TempDir Path dir) throws Exception {
        Path launcher = dir.resolve("pulumi-analyzer-redis-ha");
        Files.copy(LAUNCHER, launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Process process = new ProcessBuilder(launcher.toString(), "127.0.0.1:1").start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), err);
        assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing on stdout: the engine reads a port there");
        assertTrue(err.contains("mvn -B -pl policies -am package"), err);
    }
}
