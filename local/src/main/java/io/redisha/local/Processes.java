package io.redisha.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Processes that {@code local up} started and no longer parents (daemonized redis-servers, the zone
 * watchdogs). Once one exits it stays a zombie until init reaps it, and pid 1 of a container may do
 * that seconds later: {@link ProcessHandle#isAlive} and {@code onExit()} would wait for the reaper.
 * An exited process has closed its sockets and files, which is all a caller waits for.
 */
public final class Processes {
    private static final long POLL_NANOS = 5_000_000;

    private Processes() {
    }

    /** Running: a process that exited but is not reaped yet (a zombie) is not. */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(Processes::running).orElse(false);
    }

    static boolean running(ProcessHandle process) {
        return process.isAlive() && !zombie(process.pid());
    }

    /** Waits until the process has exited; SIGKILLs it when it is still running after {@code grace}. */
    static void awaitExit(ProcessHandle process, Duration grace) {
        if (!exitsWithin(process, grace)) {
            process.destroyForcibly();
            exitsWithin(process, Duration.ofSeconds(10));
        }
    }

    /** Polls until the process has exited or the time is up; true when it exited. */
    static boolean exitsWithin(ProcessHandle process, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (running(process)) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** True when the process has exited and waits to be reaped (state Z in /proc). */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
