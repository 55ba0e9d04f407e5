package io.redisha.image;

import io.redisha.topology.ServerVersion;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the node image installs its server from, by engine and version: one named source per
 * case, passed to the packages component as its {@code ServerSource} parameter. The build then
 * checks that the installed {@code redis-server --version} reports exactly the engine and version asked.
 *
 * @param name        the parameter value the packages document switches on
 * @param description what it is, for error messages and docs
 */
public record ServerSource(String name, String description) {
    /** Ubuntu 24.04's own package: redis 7.0.15. */
    public static final ServerSource UBUNTU_ARCHIVE = new ServerSource("ubuntu-archive", "Ubuntu 24.04's redis-server package (7.0.15)");
    /** Redis Ltd.'s APT repository: redis 7.2 and later, pinned to the version asked. */
    public static final ServerSource REDIS_APT = new ServerSource("packages.redis.io", "the APT repository at packages.redis.io");
    /** Valkey's release tag, built on the build instance (Ubuntu 24.04 packages no Valkey). */
    public static final ServerSource VALKEY_RELEASE = new ServerSource("github.com/valkey-io/valkey",
            "the release tag of github.com/valkey-io/valkey, built with TLS and systemd support");

    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    /** The source of {@code engine} at {@code version} (the input's text); empty with the reason in {@code problem} when none fits. */
    static Optional<ServerSource> of(ServerVersion server, String version, java.util.List<String> problems) {
        if (server.engine() == ServerVersion.Engine.VALKEY) {
            if (!EXACT.matcher(version).matches()) {
                problems.add("engineVersion='" + version + "' is not valid for engine=valkey: give the exact release, such as 8.1.4"
                        + " (the image builds that tag of " + VALKEY_RELEASE.description().replace("the release tag of ", "") + ")");
                return Optional.empty();
            }
            return Optional.of(VALKEY_RELEASE);
        }
        if (server.major() == 7 && server.minor() == 0) {
            if (!version.equals("7.0") && !version.equals("7.0.15")) {
                problems.add("engineVersion='" + version + "' is not valid for engine=redis: the 7.0 line comes from "
                        + UBUNTU_ARCHIVE.description() + "; give 7.0 or 7.0.15, or a line from 7.2 on (packages.redis.io)");
                return Optional.empty();
            }
            return Optional.of(UBUNTU_ARCHIVE);
        }
        return Optional.of(REDIS_APT);
    }
}
