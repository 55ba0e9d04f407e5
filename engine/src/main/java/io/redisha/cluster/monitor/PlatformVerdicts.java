package io.redisha.cluster.monitor;

import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The platform's word on silent nodes, asked in the background: a watchdog's look never waits for
 * it (an EC2 call that times out would otherwise hold up the detection of every other master), and
 * an answer older than {@code maxAge} is neither used nor kept (a stopped instance may be started
 * again, an IP may be reused by a new instance).
 */
final class PlatformVerdicts implements AutoCloseable {
    private record Verdict(Optional<String> down, long atNanos) {
    }

    private final InstanceHealth health;
    private final long maxAgeNanos;
    private final Map<NodeAddress, Verdict> known = new ConcurrentHashMap<>();
    private final Set<NodeAddress> asking = ConcurrentHashMap.newKeySet();
    private final ExecutorService askers;

    PlatformVerdicts(InstanceHealth health, Duration maxAge) {
        this.health = health;
        this.maxAgeNanos = maxAge.toNanos();
        this.askers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "watchdog-platform");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Why the node's machine is certainly down, from a fresh answer; empty while no fresh answer is
     * known. A missing or old answer is asked for in the background, once at a time per node.
     */
    Optional<String> certainlyDown(NodeAddress node) {
        if (health == InstanceHealth.NONE) {
            return Optional.empty();
        }
        Verdict verdict = known.get(node);
        boolean fresh = verdict != null && System.nanoTime() - verdict.atNanos() <= maxAgeNanos;
        if (!fresh) {
            known.remove(node);
            ask(node);
            return Optional.empty();
        }
        return verdict.down();
    }

    private void ask(NodeAddress node) {
        if (!asking.add(node)) {
            return;
        }
        try {
            askers.execute(() -> {
                try {
                    known.put(node, new Verdict(health.certainlyDown(node), System.nanoTime()));
                } catch (RuntimeException e) {
                    // InstanceHealth never throws by contract; if one does, it is "not known".
                } finally {
                    asking.remove(node);
                }
            });
        } catch (RejectedExecutionException e) {
            asking.remove(node); // closed
        }
    }

    @Override
    public void close() {
        askers.shutdownNow();
    }
}
