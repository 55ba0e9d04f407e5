package io.redisha.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One {@code redis-ha watchdog} process per zone of a local cluster, beside that zone's nodes, as
 * systemd runs one beside each node on EC2. Each writes {@code watchdog-<zone>.log} (one line per
 * action) and {@code watchdog-<zone>.json} (its counts, for {@code metrics --watchdog-state}); its
 * pid is kept in {@code watchdog-<zone>.pid} so that {@code local down} stops it.
 */
public final class LocalWatchdogs {
    private static final String PREFIX = "watchdog-";
    private final Path dir;

    public LocalWatchdogs(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** A running watchdog: its zone, pid, and the files it writes. */
    public record Running(String zone, long pid, Path log, Path state) {
    }

    /** Starts a watchdog for every zone that has none running; returns all running ones. */
    public List<Running> start(LocalState state) {
        Map<String, List<String>> seedsByZone = new TreeMap<>();
        state.nodes().forEach(n -> seedsByZone.computeIfAbsent(n.zone(), z -> new ArrayList<>()).add("127.0.0.1:" + n.port()));
        List<Running> running = new ArrayList<>();
        seedsByZone.forEach((zone, seeds) -> running.add(running(zone).orElseGet(() -> launch(zone, seeds, state))));
        return running;
    }

    /** The watchdogs now running, by zone. */
    public List<Running> list() {
        List<Running> running = new ArrayList<>();
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(PREFIX) && n.endsWith(".pid")).sorted()
                    .forEach(n -> running(n.substring(PREFIX.length(), n.length() - 4)).ifPresent(running::add));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return running;
    }

    /** Stops every watchdog and removes its files; returns the ones it stopped. */
    public List<Running> stop() {
        List<Running> stopped = list();
        // All at once, then wait: one after another, each wait (up to 5 s) would add up.
        List<ProcessHandle> handles = stopped.stream().flatMap(r -> ProcessHandle.of(r.pid()).stream()).toList();
        handles.forEach(ProcessHandle::destroy);
        handles.forEach(h -> Processes.awaitExit(h, java.time.Duration.ofSeconds(5)));
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the watchdog files in " + dir, e);
        }
        return stopped;
    }

    private Optional<Running> running(String zone) {
        Path pidFile = dir.resolve(PREFIX + zone + ".pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            // A recycled pid is not ours: only a java process running the watchdog is.
            boolean ours = ProcessHandle.of(pid).filter(Processes::running)
                    .map(h -> h.info().arguments().map(a -> List.of(a).contains("watchdog")).orElse(true)).orElse(false);
            return ours ? Optional.of(new Running(zone, pid, dir.resolve(PREFIX + zone + ".log"), dir.resolve(PREFIX + zone + ".json")))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Running launch(String zone, List<String> seeds, LocalState state) {
        Path log = dir.resolve(PREFIX + zone + ".log");
        Path json = dir.resolve(PREFIX + zone + ".json");
        List<String> command = new ArrayList<>();
        // setsid: the watchdog outlives this CLI and a Ctrl-C in its terminal, like the daemonized nodes.
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // A small, quickly started JVM: the watchdog holds a few connections and no data.
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.redisha.cli.RedisHaCli", "watchdog"));
        command.addAll(seeds);
        command.addAll(List.of("--state", json.toString()));
        if (!state.passwordEnv().isEmpty()) {
            command.addAll(List.of("--password-env", state.passwordEnv()));
        }
        if (state.tls()) {
            command.addAll(List.of("--tls-ca-cert", dir.resolve("tls").resolve("ca.crt").toString()));
        }
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Files.writeString(dir.resolve(PREFIX + zone + ".pid"), Long.toString(process.pid()));
            return new Running(zone, process.pid(), log, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog for zone " + zone + ": " + e.getMessage(), e);
        }
    }
}
