package io.redisha.cluster.monitor;

import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * What one quick look at a node's process says. Only {@link Answer#REFUSED} on both its client
 * and bus port is proof that the process is gone: the host's kernel answered the connection with
 * a reset, so the host is up and nothing listens there. A timeout (paused process, lost network,
 * host down) proves nothing.
 */
public final class NodeProbe implements Watchdog.Probe {
    public enum Answer {
        /** The node replied to PING (any reply, even an error: the process runs its event loop). */
        ANSWERS,
        /** Client and bus port both refuse connections while the host answers: the process is gone. */
        REFUSED,
        /** Neither a reply nor a refusal in time: a paused or overloaded process, or an unreachable host. */
        SILENT
    }

    private final Credentials credentials;
    private final int timeoutMs;

    public NodeProbe(Credentials credentials, int timeoutMs) {
        this.credentials = credentials;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Answer probe(NodeAddress node) {
        if (refused(node.bareHost(), node.port())) {
            return refused(node.bareHost(), node.busPort()) ? Answer.REFUSED : Answer.SILENT;
        }
        try (NodeSession ignored = NodeSession.open(node, credentials, timeoutMs)) {
            return Answer.ANSWERS;
        } catch (ClusterRefusedException e) {
            // Opening PINGs: an error reply (NOAUTH, LOADING) still proves a live process.
            String text = String.join(" ", e.problems());
            return text.contains("NOAUTH") || text.contains("LOADING") || text.contains("WRONGPASS") ? Answer.ANSWERS : Answer.SILENT;
        }
    }

    /** True only for an explicit refusal; a timeout or any other failure is not one. */
    private boolean refused(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            return false;
        } catch (ConnectException e) {
            return String.valueOf(e.getMessage()).contains("refused");
        } catch (IOException e) {
            return false;
        }
    }
}
