package io.redisha.local;

import io.redisha.topology.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the running local clusters are, so that commands run from any directory find them.
 * {@code local up} registers its absolute directory in {@code $REDIS_HA_HOME/local-clusters}
 * (default {@code ~/.redis-ha}); {@code local down} removes it.
 */
public final class LocalRegistry {
    private LocalRegistry() {
    }

    /**
     * The directory a command means: {@code --dir} when given; else the default directory under the
     * working directory when a cluster is there; else the one running registered cluster.
     */
    public static Path resolve(Optional<Path> given) {
        if (given.isPresent()) {
            return given.get().toAbsolutePath();
        }
        Path here = LocalCluster.DEFAULT_DIR.toAbsolutePath();
        if (LocalCluster.hasState(here)) {
            return here;
        }
        List<Path> running = running();
        if (running.size() > 1) {
            throw new InvalidInputException("dir", "(not given)", "the directory of one of the running local clusters: "
                    + String.join(", ", running.stream().map(Path::toString).toList()));
        }
        return running.isEmpty() ? here : running.get(0);
    }

    /** Registered directories that still hold a state file, in registration order. */
    public static List<Path> running() {
        return read().stream().filter(LocalCluster::hasState).toList();
    }

    static synchronized void register(Path dir) {
        Set<Path> dirs = new LinkedHashSet<>(read());
        dirs.add(dir.toAbsolutePath());
        write(dirs);
    }

    static synchronized void unregister(Path dir) {
        Set<Path> dirs = new LinkedHashSet<>(read());
        if (dirs.remove(dir.toAbsolutePath())) {
            write(dirs);
        }
    }

    private static Path file() {
        String home = System.getenv("REDIS_HA_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".redis-ha");
        return root.resolve("local-clusters");
    }

    private static List<Path> read() {
        Path file = file();
        try {
            List<Path> dirs = new ArrayList<>();
            if (Files.exists(file)) {
                Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).map(Path::of).forEach(dirs::add);
            }
            return dirs;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void write(Set<Path> dirs) {
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, dirs.stream().map(Path::toString).toList());
        } catch (IOException e) {
            // The registry only spares typing --dir; a home that cannot be written must not stop a cluster.
        }
    }
}
