package io.redisha.cluster.model;

import io.redisha.cluster.transport.ClusterRefusedException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits on a condition by polling it quickly; cluster state changes in tens of milliseconds on a LAN. */
public final class Poll {
    public static final Duration INTERVAL = Duration.ofMillis(20);

    private Poll() {
    }

    /**
     * Polls {@code pending} until it reports nothing pending.
     *
     * @param pending returns what is still missing (one line a person reads), or empty when done
     * @return the time it took
     */
    public static Duration until(String what, Duration timeout, Supplier<Optional<String>> pending) {
        return until(what, timeout, INTERVAL, pending);
    }

    /** Like {@link #until(String, Duration, Supplier)}, waiting {@code interval} between polls. */
    public static Duration until(String what, Duration timeout, Duration interval, Supplier<Optional<String>> pending) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Optional<String> missing = pending.get();
            if (missing.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterRefusedException("timed out after " + timeout.toSeconds() + " s waiting until " + what,
                        java.util.List.of(missing.get()));
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting until " + what, e);
            }
        }
    }
}
