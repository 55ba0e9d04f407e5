package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisha.server.ServerBinary;
import io.redisha.topology.ServerVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each run of the matrix says which server it expects ({@code redis-ha.expect-server}); the nodes the
 * fixtures start must report exactly that in INFO server, so a matrix run cannot quietly fall back to
 * Debian's redis-server.
 */
@Tag(Servers.MATRIX_TAG)
class ServerInUseTest {

    @Test
    void theNodesRunTheServerThisRunExpects() {
        String expected = System.getProperty("redis-ha.expect-server", "redis 7.0");
        try (RedisNodes nodes = RedisNodes.nodes(1).start()) {
            ServerVersion running = ServerVersion.fromInfo(Live.info(nodes, nodes.address(0), "server"));
            assertEquals(expected, running.engine().label() + " " + running.line(), "INFO server of a node started with " + ServerBinary.defaultPath());
            assertEquals(ServerBinary.defaultBinary().version(), running, "--version and INFO server agree");
        }
    }
}
