package io.redisha.cli;

import io.redisha.cluster.model.ClusterListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows what a long operation does, on stderr so stdout stays clean for tables and JSON: a progress
 * bar on a terminal, short log lines otherwise (CI logs, SSM command output, --json).
 */
final class Progress implements ClusterListener, AutoCloseable {
    private final PrintWriter err;
    private final boolean bars;
    private ProgressBar bar;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, boolean json) {
        this.err = err;
        this.bars = !json && System.console() != null;
    }

    @Override
    public synchronized void step(String name, int total) {
        closeBar();
        if (total == 0) {
            return;
        }
        if (bars) {
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(50).build();
        } else {
            err.println("[redis-ha] " + elapsed() + " " + name + " (" + total + ")");
            err.flush();
        }
    }

    @Override
    public synchronized void progress(int done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void info(String message) {
        closeBar();
        err.println("[redis-ha] " + elapsed() + " " + message);
        err.flush();
    }

    private String elapsed() {
        return String.format(java.util.Locale.ROOT, "%6.2fs", (System.nanoTime() - start) / 1e9);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public synchronized void close() {
        closeBar();
    }
}
