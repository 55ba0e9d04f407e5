package io.redisha.cluster.model;

import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotRange;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One line of CLUSTER NODES: how one node sees one member of the cluster.
 *
 * @param host      the IP as the viewing node knows it; empty while the node's own IP is not
 *                  known yet (a fresh node) or for {@code noaddr} entries
 * @param masterId  the id of the master this node replicates; empty for masters
 * @param slots     the slots this node serves, as the viewing node believes
 * @param openSlots slots being migrated or imported; only a node's own line carries them
 */
public record ClusterNode(String id, String host, int port, int busPort, Set<String> flags,
                          Optional<String> masterId, long configEpoch, String linkState,
                          List<SlotRange> slots, List<OpenSlot> openSlots) {

    public ClusterNode {
        flags = Set.copyOf(flags);
        slots = List.copyOf(slots);
        openSlots = List.copyOf(openSlots);
    }

    public boolean isMyself() {
        return flags.contains("myself");
    }

    public boolean isMaster() {
        return flags.contains("master");
    }

    public boolean isReplica() {
        return flags.contains("slave");
    }

    /** Still being introduced (CLUSTER MEET in progress): its id is a placeholder until the handshake ends. */
    public boolean isHandshake() {
        return flags.contains("handshake");
    }

    public boolean isFailing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    public boolean isConnected() {
        return "connected".equals(linkState);
    }

    public int slotCount() {
        return SlotRange.total(slots);
    }

    /** The client address, when the viewing node knows it. */
    public Optional<NodeAddress> address() {
        if (host.isEmpty() || flags.contains("noaddr") || port <= 0) {
            return Optional.empty();
        }
        return Optional.of(new NodeAddress(host.contains(":") ? "[" + host + "]" : host, port));
    }

    /** {@code ip:port@bus} as Redis prints it. */
    public String endpoint() {
        return host + ":" + port + "@" + busPort;
    }

    public String shortId() {
        return shortId(id);
    }

    public static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
