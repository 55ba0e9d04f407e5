package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.ServerVersion.Engine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerVersionTest {
    private static final ServerVersion REDIS_70 = new ServerVersion(Engine.REDIS, 7, 0, 15);
    private static final ServerVersion REDIS_82 = new ServerVersion(Engine.REDIS, 8, 2, 3);
    private static final ServerVersion VALKEY_81 = new ServerVersion(Engine.VALKEY, 8, 1, 8);

    @Test
    void readsValkeysOwnVersionNotTheRedisVersionItReportsForOldClients() {
        assertEquals(VALKEY_81, ServerVersion.fromInfo(Map.of("redis_version", "7.2.4", "server_name", "valkey", "valkey_version", "8.1.8")));
        assertEquals(REDIS_82, ServerVersion.fromInfo(Map.of("redis_version", "8.2.3")));
        assertEquals(REDIS_70, ServerVersion.fromInfo(Map.of("redis_version", "7.0.15")));
    }

    @Test
    void readsTheVersionLineOfEitherBinary() {
        assertEquals(REDIS_82, ServerVersion.fromVersionLine("Redis server v=8.2.3 sha=b5d43ceb:0 malloc=jemalloc-5.3.0 bits=64"));
        assertEquals(VALKEY_81, ServerVersion.fromVersionLine("Valkey server v=8.1.8 sha=00000000:1 malloc=libc bits=64"));
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> ServerVersion.fromVersionLine("KeyDB server v=6.3.4"));
        assertTrue(bad.getMessage().contains("'Redis server v=8.2.3'"), bad.getMessage());
    }

    @Test
    void refusesVersionsBelowTheMinimumInOneLine() {
        ServerVersion old = ServerVersion.fromInfo(Map.of("redis_version", "6.2.14"));
        assertFalse(old.supported());
        assertEquals(Optional.of("127.0.0.1:7000 runs redis 6.2.14; redis-ha supports redis >= 7.0, valkey >= 7.2: roll it onto a supported version first"),
                old.unsupportedReason("127.0.0.1:7000"));
        assertEquals(Optional.empty(), REDIS_70.unsupportedReason("x"));
        assertEquals(Optional.empty(), VALKEY_81.unsupportedReason("x"));
    }

    @Test
    void snapshotFormatsAsMeasuredAndFromTheTable() {
        assertEquals(Optional.of(10), REDIS_70.rdbFormat());
        assertEquals(Optional.of(11), new ServerVersion(Engine.REDIS, 7, 2, 4).rdbFormat());
        assertEquals(Optional.of(12), REDIS_82.rdbFormat());
        assertEquals(Optional.of(11), VALKEY_81.rdbFormat());
        assertEquals(Optional.empty(), new ServerVersion(Engine.VALKEY, 9, 0, 0).rdbFormat(), "unknown lines are not guessed");
    }

    @Test
    void rollsOnlyOntoAServerThatLoadsTheRunningSnapshots() {
        assertEquals(Optional.empty(), ServerVersion.rollRefusal(List.of(REDIS_70), REDIS_82));
        assertEquals(Optional.empty(), ServerVersion.rollRefusal(List.of(REDIS_70), VALKEY_81));
        assertEquals(Optional.empty(), ServerVersion.rollRefusal(List.of(REDIS_82), REDIS_82), "same version: a plain roll");
        String down = ServerVersion.rollRefusal(List.of(REDIS_82), REDIS_70).orElseThrow();
        assertTrue(down.startsWith("redis 7.0.15 cannot load the snapshots redis 8.2.3 writes (RDB format 12 > 10)"), down);
        String cross = ServerVersion.rollRefusal(List.of(REDIS_70, REDIS_82), VALKEY_81).orElseThrow();
        assertTrue(cross.contains("valkey 8.1.8 cannot load the snapshots redis 8.2.3 writes (RDB format 12 > 11)"), cross);
        String unknown = ServerVersion.rollRefusal(List.of(REDIS_82), new ServerVersion(Engine.VALKEY, 9, 0, 0)).orElseThrow();
        assertTrue(unknown.contains("valkey 9.0.0 is not in redis-ha's table"), unknown);
        String tooOld = ServerVersion.rollRefusal(List.of(REDIS_70), new ServerVersion(Engine.REDIS, 6, 2, 0)).orElseThrow();
        assertTrue(tooOld.contains("runs redis 6.2.0"), tooOld);
    }

    @Test
    void onlyValkeyEightTakesAnAvailabilityZone() {
        assertTrue(VALKEY_81.takesAvailabilityZone());
        assertFalse(new ServerVersion(Engine.VALKEY, 7, 2, 5).takesAvailabilityZone());
        assertFalse(REDIS_82.takesAvailabilityZone());
    }

    @Test
    void maintainedLinesAndInputs() {
        assertTrue(REDIS_82.maintained());
        assertFalse(REDIS_70.maintained());
        assertEquals(new ServerVersion(Engine.VALKEY, 8, 1, 0), ServerVersion.of("engine", "valkey", "engineVersion", "8.1"));
        InvalidInputException engine = assertThrows(InvalidInputException.class, () -> ServerVersion.of("engine", "memcached", "engineVersion", "1.6"));
        assertEquals("engine=memcached is not valid: redis or valkey", engine.getMessage());
        InvalidInputException version = assertThrows(InvalidInputException.class, () -> ServerVersion.of("engine", "redis", "engineVersion", "latest"));
        assertEquals("engineVersion=latest is not valid: a version like 7.0.15 or 8.1", version.getMessage());
    }
}
