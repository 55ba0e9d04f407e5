package io.redisha.topology;

import java.util.List;

/** Where one shard's master and replicas run: the input to zone-safety checks, planned or live. */
public record ShardZones(String shard, String masterZone, List<String> replicaZones) {
    public ShardZones {
        replicaZones = List.copyOf(replicaZones);
    }
}
