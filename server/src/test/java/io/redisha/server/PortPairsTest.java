package io.redisha.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.NodeAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Ports handed out before their servers start: no client port may be another pair's bus port (a client port above
 * 22000 is one), or the second server to start fails to bind its cluster bus.
 */
class PortPairsTest {
    @Test
    void noHandedOutClientPortIsAnotherPairsBusPort() {
        List<Integer> clients = IntStream.range(0, 1500).mapToObj(i -> RedisServerProcess.freePortPair()).toList();
        try {
            Set<Integer> clientPorts = new HashSet<>(clients);
            assertEquals(clients.size(), clientPorts.size(), "a client port was handed out twice");
            for (int port : clients) {
                assertTrue(port >= 12000 && port <= 22700, "client port " + port + " outside 12000..22700");
                assertTrue(!clientPorts.contains(port + NodeAddress.BUS_PORT_OFFSET),
                        "client port " + (port + NodeAddress.BUS_PORT_OFFSET) + " is also the bus port of " + port);
            }
        } finally {
            clients.forEach(RedisServerProcess::release);
        }
    }
}
