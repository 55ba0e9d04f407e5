package io.redisha.cluster;

import io.redisha.topology.NodeAddress;

/**
 * How a drill stops and restarts nodes where it runs: SIGKILL of a known pid on a local cluster,
 * {@code SHUTDOWN NOSAVE} on remote nodes (which only an operator or systemd can start again).
 */
public interface Faults {
    /** Stops the node abruptly and returns once it is gone. */
    void kill(NodeAddress node);

    /** Starts a killed node again; false when this environment cannot (remote nodes). */
    boolean restart(NodeAddress node);

    /** What kill does, for the plan printed before the drill: "SIGKILL pid 4242". */
    String describeKill(NodeAddress node);
}
