package io.redisha.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.RedisDirective;
import io.redisha.topology.RedisDirectives;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisConfTest {
    private static final Path DIR = Path.of("/tmp/redis-ha-conf-test");

    /** The same directive set as the EC2 renderer (components' RenderingTest asserts the same list there). */
    @Test
    void emitsEverySharedDirectiveWithTheDefaultsTheComponentUses() {
        RedisConf.TlsFiles files = new RedisConf.TlsFiles(DIR.resolve("n.crt"), DIR.resolve("n.key"), DIR.resolve("ca.crt"));
        RedisConf.Settings plain = new RedisConf.Settings(7001, DIR, Optional.of("pw"), 1, false);
        for (RedisConf.Settings s : new RedisConf.Settings[] {plain, plain.withTls(files)}) {
            Map<String, String> directives = directives(RedisConf.render(s));
            for (RedisDirective shared : RedisDirectives.shared(RedisDirectives.DEFAULT_NODE_TIMEOUT_MS,
                    RedisDirectives.DEFAULT_MAXMEMORY_POLICY, s.tls().isPresent())) {
                assertEquals(shared.value(), directives.get(shared.name()), shared.name() + " (tls=" + s.tls().isPresent() + ")");
            }
        }
    }

    @Test
    void safeWriteModeSetsMinReplicasToWrite() {
        Map<String, String> safe = directives(RedisConf.render(new RedisConf.Settings(7001, DIR, Optional.empty(), 2, true).withMinReplicasToWrite(1)));
        assertEquals("1", safe.get("min-replicas-to-write"));
        assertEquals(Integer.toString(RedisDirectives.DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS), safe.get("min-replicas-max-lag"));
        assertTrue(!directives(RedisConf.render(new RedisConf.Settings(7001, DIR, Optional.empty(), 2, true))).containsKey("min-replicas-to-write"));
    }

    @Test
    void addsOnlyLoopbackAndItsOwnPortAndFolder() {
        Map<String, String> directives = directives(RedisConf.render(new RedisConf.Settings(7001, DIR, Optional.empty(), 1, true)));
        assertEquals("127.0.0.1", directives.get("bind"));
        assertEquals("7001", directives.get("port"));
        assertEquals("nodes-7001.conf", directives.get("cluster-config-file"));
        assertEquals("\"" + DIR.toAbsolutePath() + "\"", directives.get("dir"));
        assertEquals("yes", directives.get("daemonize"));
        assertTrue(!directives.containsKey("requirepass") && !directives.containsKey("masterauth"), directives.toString());
    }

    private static Map<String, String> directives(String conf) {
        Map<String, String> directives = new HashMap<>();
        conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(" ", 2)).forEach(d -> directives.put(d[0], d[1]));
        return directives;
    }
}
