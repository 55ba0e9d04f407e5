package io.redisha.cli;

import io.redisha.aws.SsmParameters;
import io.redisha.cluster.transport.Credentials;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How every command that talks to live nodes authenticates, the same options everywhere: the AUTH
 * password from an environment variable or an SSM SecureString (never a flag value, which would
 * land in shell history), and the TLS options.
 */
final class ConnectionOptions {
    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the AUTH password.")
    Optional<String> passwordEnv = Optional.empty();

    @Option(names = "--password-ssm", paramLabel = "NAME", description = "SSM SecureString holding the AUTH password (instead of --password-env).")
    Optional<String> passwordSsm = Optional.empty();

    @Mixin
    TlsOptions tls = new TlsOptions();

    /** Reads and validates the password and TLS files before any node is touched. */
    Credentials credentials() {
        if (passwordSsm.isPresent() && passwordEnv.isPresent()) {
            throw new InvalidOptionException("password-ssm", passwordSsm.get(), "either --password-ssm or --password-env, not both");
        }
        if (passwordSsm.isPresent()) {
            try (SsmParameters ssm = SsmParameters.fromEnvironment()) {
                return tls.apply(Credentials.password(ssm.read(passwordSsm.get())));
            }
        }
        return tls.apply(RedisHaCli.fromEnv(passwordEnv));
    }
}
