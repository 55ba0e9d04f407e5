package io.redisha.policies.analyzer;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import pulumirpc.AnalyzerGrpc;

/**
 * The analyzer started the way the Pulumi engine starts a plugin: a child process given the engine
 * address, whose first stdout line is the port; then a plaintext gRPC channel to 127.0.0.1:port.
 * A listening socket stands in for the engine so the plugin's engine watch sees it alive.
 */
final class AnalyzerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final ManagedChannel channel;
    final AnalyzerGrpc.AnalyzerBlockingStub stub;
    final String firstLine;
    private final ServerSocket engine;

    private AnalyzerProcess(Process process, int port, String firstLine, ServerSocket engine) {
        this.process = process;
        this.port = port;
        this.firstLine = firstLine;
        this.engine = engine;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(400 * 1024 * 1024).build();
        this.stub = AnalyzerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Starts the main class from this test's classpath, or the shaded jar when {@code jar} is given. */
    static AnalyzerProcess start(List<String> engineFlags, Path jar) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.redisha.policies.Main");
        }
        return startProgram(command, engineFlags);
    }

    /** Starts {@code program} (a launcher, or java and its arguments) with the engine's flags and address. */
    static AnalyzerProcess startProgram(List<String> program, List<String> engineFlags) throws IOException {
        ServerSocket engine = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        List<String> command = new ArrayList<>(program);
        command.addAll(engineFlags);
        command.add("127.0.0.1:" + engine.getLocalPort());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .directory(new File(System.getProperty("policies.basedir", ".")))
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        if (line == null) {
            engine.close();
            throw new IOException("the analyzer exited before printing its port (exit " + waitFor(process) + ")");
        }
        return new AnalyzerProcess(process, Integer.parseInt(line.trim()), line, engine);
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops answering as the engine; the analyzer should notice and exit. */
    void closeEngine() throws IOException {
        engine.close();
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        engine.close();
    }
}
