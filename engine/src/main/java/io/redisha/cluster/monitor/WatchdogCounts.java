package io.redisha.cluster.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Watchdog} has done since it started, as {@code metrics} reports it. The watchdog
 * rewrites its state file after every action, so a separate {@code metrics} run can read it.
 *
 * @param certainDeaths       masters found certainly dead (a process gone, or the instance down)
 * @param failoversRequested  CLUSTER FAILOVER FORCE sent to a replica
 * @param promotions          requested failovers that ended with the replica serving the slots
 * @param failoversFailed     requested failovers that did not complete in time (retried after a backoff)
 * @param heldBack            failovers not requested because the master answered PING again, or no
 *                            replica was fit (reachable, recent enough data)
 */
public record WatchdogCounts(long certainDeaths, long failoversRequested, long promotions, long failoversFailed, long heldBack) {
    public static final WatchdogCounts ZERO = new WatchdogCounts(0, 0, 0, 0, 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    WatchdogCounts plus(Watchdog.Kind kind) {
        return switch (kind) {
            case CERTAIN_DEATH -> new WatchdogCounts(certainDeaths + 1, failoversRequested, promotions, failoversFailed, heldBack);
            case FAILOVER_REQUESTED -> new WatchdogCounts(certainDeaths, failoversRequested + 1, promotions, failoversFailed, heldBack);
            case PROMOTED -> new WatchdogCounts(certainDeaths, failoversRequested, promotions + 1, failoversFailed, heldBack);
            case FAILOVER_FAILED -> new WatchdogCounts(certainDeaths, failoversRequested, promotions, failoversFailed + 1, heldBack);
            case HELD_BACK -> new WatchdogCounts(certainDeaths, failoversRequested, promotions, failoversFailed, heldBack + 1);
        };
    }

    /** The counts of several watchdogs (one per node or zone) together. */
    public WatchdogCounts plus(WatchdogCounts o) {
        return new WatchdogCounts(certainDeaths + o.certainDeaths, failoversRequested + o.failoversRequested, promotions + o.promotions,
                failoversFailed + o.failoversFailed, heldBack + o.heldBack);
    }

    /** Metric name to value, as {@link ClusterMetrics#values()} adds them. */
    public Map<String, Number> values() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("WatchdogCertainDeaths", certainDeaths);
        values.put("WatchdogFailoversRequested", failoversRequested);
        values.put("WatchdogPromotions", promotions);
        values.put("WatchdogFailoversFailed", failoversFailed);
        values.put("WatchdogHeldBack", heldBack);
        return values;
    }

    /** Replaces the file atomically, so a reader never sees half of it. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".watchdog", ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the watchdog state " + file + ": " + e.getMessage(), e);
        }
    }

    /** The counts in {@code file}; empty when no watchdog has written it yet. */
    public static Optional<WatchdogCounts> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), WatchdogCounts.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the watchdog state " + file + " (" + e.getMessage() + "); delete it, the watchdog rewrites it", e);
        }
    }
}
