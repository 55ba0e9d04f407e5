package io.redisha.cli;

import io.redisha.cluster.move.SlotMover;
import io.redisha.text.Count;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a slot move on stderr: a bar (slots, keys, rate, ETA) on a terminal, a log line about
 * every second otherwise, nothing at all with --json.
 */
final class MoveProgress implements SlotMover.Listener, AutoCloseable {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean bar;
    private ProgressBar progressBar;
    private int total;
    private int slots;
    private long keys;
    private long start;
    private long lastLog;

    MoveProgress(PrintWriter err, boolean json) {
        this.err = err;
        this.quiet = json;
        this.bar = !json && System.console() != null;
    }

    @Override
    public synchronized void started(int totalSlots) {
        total = totalSlots;
        start = System.nanoTime();
        lastLog = start;
        if (bar && totalSlots > 0) {
            progressBar = new ProgressBarBuilder().setTaskName("moving slots").setInitialMax(totalSlots).setUnit(" slots", 1)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(100).showSpeed().build();
        } else if (!quiet && totalSlots > 0) {
            err.println("[redis-ha] moving " + Count.of(totalSlots, "slot"));
            err.flush();
        }
    }

    @Override
    public synchronized void moved(int movedSlots, long movedKeys) {
        slots += movedSlots;
        keys += movedKeys;
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        if (progressBar != null) {
            progressBar.stepTo(slots);
            progressBar.setExtraMessage(String.format(Locale.ROOT, "%d keys, %.0f keys/s", keys, keys / seconds));
        } else if (!quiet && (now - lastLog > 1_000_000_000L || slots == total)) {
            lastLog = now;
            double rate = slots / seconds;
            err.println(String.format(Locale.ROOT, "[redis-ha] moved %d/%d slots, %d keys, %.0f keys/s, ETA %.1f s",
                    slots, total, keys, keys / seconds, rate > 0 ? (total - slots) / rate : 0.0));
            err.flush();
        }
    }

    @Override
    public synchronized void info(String message) {
        if (!quiet) {
            err.println("[redis-ha] " + message);
            err.flush();
        }
    }

    @Override
    public synchronized void close() {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
        }
    }
}
