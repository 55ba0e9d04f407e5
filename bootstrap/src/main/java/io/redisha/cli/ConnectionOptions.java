package io.redisha.cli;

import io.redisha.cluster.Credentials;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How every command that talks to live nodes authenticates: the AUTH password from an environment
 * variable (never a flag value, which would land in shell history) and the TLS options.
 */
final class ConnectionOptions {
    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the AUTH password.")
    Optional<String> passwordEnv = Optional.empty();

    @Mixin
    TlsOptions tls = new TlsOptions();

    /** Reads and validates the password and TLS files before any node is touched. */
    Credentials credentials() {
        return tls.apply(RedisHaCli.fromEnv(passwordEnv));
    }
}
