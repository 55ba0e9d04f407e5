package io.redisha.policies;

import io.redisha.policies.analyzer.AnalyzerServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code redis-ha-policies.jar}.
 *
 * <pre>
 *   java -jar redis-ha-policies.jar [engine flags] ENGINE_ADDRESS  analyzer plugin, as the Pulumi engine runs it
 * </pre>
 *
 * The offline check ({@code check --stack dev}) runs the cluster program under mocks, so it lives in
 * {@code redis-ha-policy-check.jar}: this jar, which every preview loads, carries no program.
 *
 * As a plugin, the first line on stdout is the port and nothing else is ever written there: the
 * engine (plugin.go) parses that line as the port and shows everything after it as plugin output.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // No SLF4J binding ships in the jar on purpose; its "no providers" warning would land in every
        // preview's diagnostics (the engine shows a plugin's stderr), so it is silenced.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (args.length > 0 && args[0].equals("check")) {
            System.err.println("check: the offline check is in policy-check/target/redis-ha-policy-check.jar:"
                    + " java -jar policy-check/target/redis-ha-policy-check.jar check --help");
            System.exit(2);
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: redis-ha-policies [--logtostderr] [-v=N] [--tracing URL] ENGINE_ADDRESS   (the analyzer, as the Pulumi engine starts it)\n"
                    + "       the offline check: java -jar policy-check/target/redis-ha-policy-check.jar check --help");
            return;
        }
        serve(args);
    }

    private static void serve(String[] args) throws Exception {
        String engine = engineAddress(args);
        PrintStream stdout = System.out;
        System.setOut(System.err); // nothing but the port may reach the engine on stdout
        AnalyzerServer server = AnalyzerServer.start(PolicyPack.standard());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        stdout.println(server.port());
        stdout.flush();
        if (!engine.isEmpty()) {
            watchEngine(engine);
        }
        server.awaitTermination();
    }

    /**
     * The engine address is the first argument that is not a flag. The engine prepends
     * {@code --logtostderr}, {@code -v=N} and {@code --tracing URL} when logging or tracing is on
     * (plugin.go buildPluginArguments); the legacy policy shim appends {@code .} and {@code -key=value}.
     */
    static String engineAddress(String[] args) {
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--tracing")) {
                i++;
            } else if (!arg.startsWith("-")) {
                positional.add(arg);
            }
        }
        return positional.isEmpty() ? "" : positional.get(0);
    }

    /** Exits when the engine has gone away, so a killed `pulumi` never leaves the analyzer running. */
    private static void watchEngine(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return;
        }
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        Thread watcher = new Thread(() -> {
            int failures = 0;
            while (failures < 3) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), 1000);
                    failures = 0;
                } catch (Exception e) {
                    failures++;
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("redis-ha policy pack: engine at " + address + " is gone; exiting");
            System.exit(0);
        }, "engine-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
