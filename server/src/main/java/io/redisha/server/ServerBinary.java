package io.redisha.server;

import io.redisha.topology.InvalidInputException;
import io.redisha.topology.ServerVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server executable on this machine ({@code redis-server}, or a {@code valkey-server} by its path)
 * and the engine and version its {@code --version} reports, read once per path. The default is the
 * system property {@code redis-ha.server}, else the environment variable {@code REDIS_HA_SERVER},
 * else {@code redis-server} on the PATH: that is how a test run, or a developer, puts every local node
 * on another binary without naming it in each command.
 */
public record ServerBinary(String path, ServerVersion version) {
    public static final String PROPERTY = "redis-ha.server";
    public static final String ENVIRONMENT = "REDIS_HA_SERVER";
    private static final Map<String, ServerBinary> KNOWN = new ConcurrentHashMap<>();

    /** The executable {@code local up} and the test fixtures start unless told otherwise. */
    public static String defaultPath() {
        String property = System.getProperty(PROPERTY, "");
        if (!property.isBlank()) {
            return property;
        }
        String env = System.getenv(ENVIRONMENT);
        return env == null || env.isBlank() ? "redis-server" : env;
    }

    public static ServerBinary defaultBinary() {
        return of(defaultPath());
    }

    /**
     * The binary at {@code path} (or found on the PATH), with its version; refuses, naming the input,
     * one that does not run, does not say its version, or is older than redis-ha supports.
     */
    public static ServerBinary of(String path) {
        ServerBinary known = KNOWN.get(path);
        if (known != null) {
            return known;
        }
        String line = versionLine(path);
        ServerVersion version;
        try {
            version = ServerVersion.fromVersionLine(line);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("server", path, "a redis-server or valkey-server executable; '" + path + " --version' printed '"
                    + line.strip() + "'");
        }
        version.unsupportedReason(path).ifPresent(reason -> {
            throw new InvalidInputException("server", path, "a server redis-ha supports (" + ServerVersion.supportedRange() + "); " + reason);
        });
        ServerBinary binary = new ServerBinary(path, version);
        KNOWN.put(path, binary);
        return binary;
    }

    private static String versionLine(String path) {
        try {
            Process p = new ProcessBuilder(path, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new InvalidInputException("server", path, "an executable redis-server or valkey-server (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + path + " for its version", e);
        }
    }
}
