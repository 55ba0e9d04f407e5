package io.redisha.cluster.monitor;

import io.redisha.topology.NodeAddress;
import java.util.Optional;

/**
 * What the platform knows about the machine behind a node: on EC2 the instance state and status
 * checks. Asked by the {@link Watchdog} only about masters that do not answer.
 */
public interface InstanceHealth {
    /** No platform to ask (local clusters, tests): only a refused connection counts as death. */
    InstanceHealth NONE = node -> Optional.empty();

    /**
     * Why the machine behind {@code node} is certainly down ("instance i-0abc is stopped"), or
     * empty when that is not known. Never throws: an API error is "not known".
     */
    Optional<String> certainlyDown(NodeAddress node);
}
