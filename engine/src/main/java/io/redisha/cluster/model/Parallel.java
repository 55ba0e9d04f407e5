package io.redisha.cluster.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one call per node at once: round trips to many nodes cost one round trip, not N. */
public final class Parallel implements AutoCloseable {
    private static final int MAX_THREADS = 32;
    private final ExecutorService pool;

    /** One pool per operation, reused by every poll, so a 20 ms poll loop does not churn threads. */
    public Parallel(int width) {
        pool = Executors.newFixedThreadPool(Math.max(1, Math.min(width, MAX_THREADS)), r -> {
            Thread t = new Thread(r, "redis-ha-node");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Results in input order; the first failure (in input order) is rethrown after all calls end. */
    public <T, R> List<R> map(List<T> items, Function<T, R> call) {
        if (items.size() <= 1) {
            return items.stream().map(call).toList();
        }
        {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> call.apply(item)));
            }
            List<R> results = new ArrayList<>();
            RuntimeException first = null;
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (first != null) {
                throw first;
            }
            return results;
        }
    }

    /** Like {@link #map} but collects every failure instead of the first: validation reports all problems at once. */
    public <T, R> Outcome<R> attempt(List<T> items, Function<T, R> call) {
        List<R> ok = new ArrayList<>();
        List<RuntimeException> failed = new ArrayList<>();
        List<Object> raw = map(items, item -> {
            try {
                return (Object) call.apply(item);
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (Object r : raw) {
            if (r instanceof RuntimeException e) {
                failed.add(e);
            } else {
                @SuppressWarnings("unchecked") R value = (R) r;
                ok.add(value);
            }
        }
        return new Outcome<>(ok, failed);
    }

    public record Outcome<R>(List<R> ok, List<RuntimeException> failed) {
    }
}
