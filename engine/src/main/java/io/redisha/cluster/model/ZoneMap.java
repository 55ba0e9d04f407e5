package io.redisha.cluster.model;

import io.redisha.topology.NodeAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A zone map as the user wrote it, matched against what CLUSTER NODES reports. */
public final class ZoneMap {
    private ZoneMap() {
    }

    /**
     * CLUSTER NODES reports IPs; a zone map written with host names also gets each name's IP, so both
     * match. A name that does not resolve is kept as written, and a node it does not match simply
     * has no zone.
     */
    public static Map<NodeAddress, String> withResolvedHosts(Map<NodeAddress, String> zones) {
        Map<NodeAddress, String> resolved = new LinkedHashMap<>();
        zones.forEach((address, zone) -> {
            resolved.put(address, zone);
            try {
                String ip = InetAddress.getByName(address.bareHost()).getHostAddress();
                resolved.putIfAbsent(new NodeAddress(ip.contains(":") ? "[" + ip + "]" : ip, address.port()), zone);
            } catch (UnknownHostException | IllegalArgumentException e) {
                // kept as written
            }
        });
        return resolved;
    }
}
