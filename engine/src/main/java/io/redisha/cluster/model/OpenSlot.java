package io.redisha.cluster.model;

import io.redisha.cluster.model.LiveCluster.NodeLine;

/**
 * A slot a node is moving: {@code [42->-<peer>]} (migrating to peer) or {@code [42-<-<peer>]}
 * (importing from peer) in CLUSTER NODES. An open slot left behind by an interrupted move blocks
 * every further cluster change until it is fixed.
 */
public record OpenSlot(int slot, Direction direction, String peerId) {
    public enum Direction { MIGRATING, IMPORTING }

    @Override
    public String toString() {
        return direction == Direction.MIGRATING
                ? slot + " migrating to " + NodeLine.shortId(peerId)
                : slot + " importing from " + NodeLine.shortId(peerId);
    }
}
