package io.redisha.backup;

/**
 * The newest RDB format each Redis release reads (and writes, DUMP payloads included): rdb.h's
 * RDB_VERSION by release. Valkey reports {@code redis_version:7.2.4} for compatibility and writes 11.
 */
public final class RdbVersions {
    private RdbVersions() {
    }

    /** @param redisVersion as INFO server's redis_version or the RDB's redis-ver field, e.g. {@code 7.0.15} */
    public static int readable(String redisVersion) {
        String[] parts = redisVersion.split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Redis version: " + redisVersion);
        }
        if (major >= 8 || major == 7 && minor >= 4) {
            return 12;
        }
        if (major == 7 && minor >= 2) {
            return 11;
        }
        if (major == 7) {
            return 10;
        }
        return major >= 5 ? 9 : 8;
    }
}
