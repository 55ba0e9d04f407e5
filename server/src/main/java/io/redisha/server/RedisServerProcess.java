package io.redisha.server;

import io.redisha.topology.NodeAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one launcher of {@code redis-server} processes on this machine, for {@code local up} (daemons
 * that outlive the CLI) and for tests and benchmarks (processes this JVM owns): writes the node's
 * redis.conf with {@link RedisConf}, starts it, waits until it answers, and finds free port pairs.
 */
public final class RedisServerProcess {
    public static final String HOST = "127.0.0.1";
    private static final long READY_NANOS = 10_000_000_000L;
    /** Owned processes still running: killed at JVM exit if a crashed caller left them. */
    private static final Set<Process> OWNED = ConcurrentHashMap.newKeySet();
    /** Ports handed out by {@link #freePortPair()} and {@link #freeBasePort(int)} and not yet released. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OWNED.forEach(Process::destroyForcibly)));
    }

    private RedisServerProcess() {
    }

    /**
     * A redis-server this JVM owns ({@code daemonize no}), started but not yet awaited, so that many
     * can boot at once; follow with {@link #awaitReady}. Stop it with {@link #stop(Process)}.
     */
    public static Process startOwned(RedisConf.Settings settings) {
        if (settings.daemonize()) {
            throw new IllegalArgumentException("startOwned needs daemonize=false; use startDaemon for daemons");
        }
        Process process = launch(settings.server().path(), writeConf(settings), settings.dir());
        OWNED.add(process);
        return process;
    }

    /** Returns once the owned node at {@code port} answers; refuses with its log when it exits or stays silent 10 s. */
    public static void awaitReady(Process process, int port, Path nodeDir) {
        long deadline = System.nanoTime() + READY_NANOS;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited: " + tail(nodeDir.resolve("redis.log")));
            }
            if (answers(port)) {
                return;
            }
            sleep(5);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer within 10 s: " + tail(nodeDir.resolve("redis.log")));
    }

    /** SIGKILL an owned node and wait until it is gone. */
    public static void stop(Process process) {
        process.destroyForcibly();
        process.onExit().join();
        OWNED.remove(process);
    }

    /**
     * A standalone redis-server this JVM owns that loads {@code rdbFile} in {@code dir} at start
     * ({@link RedisConf#renderLoader}); it accepts connections while loading (answering LOADING).
     */
    public static Process startLoader(Path dir, String rdbFile, int port, String password) {
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve("loader.conf");
            Files.writeString(conf, RedisConf.renderLoader(port, dir, rdbFile, password));
            // The same server the local nodes run (REDIS_HA_SERVER, else redis-server), so that installedVersion() speaks for it.
            Process process = launch(ServerBinary.defaultPath(), conf, dir);
            OWNED.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loader's redis.conf in " + dir, e);
        }
    }

    /** The version of the server {@link #startLoader} runs ({@code --version}; restore reads snapshots with it). */
    public static String installedVersion() {
        try {
            Process p = new ProcessBuilder(ServerBinary.defaultPath(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\S+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException(ServerBinary.defaultPath() + " --version said: " + out.strip());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + ServerBinary.defaultPath() + " (restore needs it to read snapshots): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A daemonized redis-server ({@code local up}): returns its pid once it answers. */
    public static long startDaemon(RedisConf.Settings settings) {
        if (!settings.daemonize()) {
            throw new IllegalArgumentException("startDaemon needs daemonize=true; use startOwned for owned processes");
        }
        writeConf(settings);
        return launchDaemon(settings.server().path(), settings.dir(), settings.port());
    }

    /**
     * Starts a stopped daemonized node again from the redis.conf and nodes.conf in its folder, so it
     * rejoins as it was; returns the new pid once it answers.
     */
    public static long restartDaemon(String server, Path nodeDir, int port) {
        return launchDaemon(server, nodeDir, port);
    }

    private static long launchDaemon(String server, Path nodeDir, int port) {
        Path pidFile = RedisConf.pidFile(nodeDir, port);
        try {
            // A SIGKILLed redis leaves its pid file behind; the new one must not be mistaken for it.
            Files.deleteIfExists(pidFile);
            Process launcher = launch(server, nodeDir.resolve("redis.conf"), nodeDir);
            int exit = launcher.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + exit
                        + ": " + tail(nodeDir.resolve("launch.out")) + tail(nodeDir.resolve("redis.log")));
            }
            long deadline = System.nanoTime() + READY_NANOS;
            while (System.nanoTime() < deadline) {
                String text = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
                if (!text.isEmpty() && answers(port)) {
                    return Long.parseLong(text);
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("redis-server on port " + port + " did not come up within 10 s: "
                    + tail(nodeDir.resolve("redis.log")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    private static Path writeConf(RedisConf.Settings settings) {
        try {
            Files.createDirectories(settings.dir());
            Path conf = settings.dir().resolve("redis.conf");
            Files.writeString(conf, RedisConf.render(settings));
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write redis.conf in " + settings.dir(), e);
        }
    }

    private static Process launch(String server, Path conf, Path nodeDir) {
        try {
            return new ProcessBuilder(server, conf.toString()).redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("launch.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + server + " (is it installed and on PATH?): " + e.getMessage(), e);
        }
    }

    /** True when something accepts connections on the loopback port. */
    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Nothing listens on the loopback port (TIME_WAIT leftovers do not count, as for redis-server itself). */
    public static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A client port in 12000..22700 whose bus port (+10000) is free too, neither handed out before in this JVM. The bus
     * port stays below the ephemeral range (32768+): a client socket there in TIME-WAIT would make the bind fail.
     */
    public static int freePortPair() {
        return freeBasePort(1);
    }

    /** {@code count} consecutive free port pairs in 12000..22700, for {@code local up --base-port}. */
    public static synchronized int freeBasePort(int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(12000, 22701 - count + 1);
            boolean ok = true;
            for (int p = base; p < base + count && ok; p++) {
                int bus = p + NodeAddress.BUS_PORT_OFFSET;
                // A client port above 22000 is another pair's bus port: both are reserved until released, so two
                // servers handed out before either starts cannot end up on one port (seen: bus 22047 taken).
                ok = portFree(p) && portFree(bus) && !HANDED_OUT.contains(p) && !HANDED_OUT.contains(bus);
            }
            if (ok) {
                for (int p = base; p < base + count; p++) {
                    HANDED_OUT.add(p);
                    HANDED_OUT.add(p + NodeAddress.BUS_PORT_OFFSET);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback port pairs in 12000..22700");
    }

    /** The port may be handed out again. */
    public static void release(int port) {
        HANDED_OUT.remove(port);
        HANDED_OUT.remove(port + NodeAddress.BUS_PORT_OFFSET);
    }

    /** Debian's redis-server is a link to redis-check-rdb: those names and valkey-server are ours, anything else is a recycled pid. */
    public static boolean isRedis(ProcessHandle h) {
        return h.info().command().map(c -> c.contains("redis-server") || c.contains("redis-check") || c.contains("valkey-server")).orElse(true);
    }

    /** The last lines of a log, on one line, for an error message. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
