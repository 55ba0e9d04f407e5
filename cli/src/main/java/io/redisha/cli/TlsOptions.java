package io.redisha.cli;

import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * TLS options shared by every command that connects to nodes. On EC2 the SSM document passes
 * {@code --tls --tls-ca-cert /etc/redis/tls/ca.crt}, matching the redis.conf the component renders.
 */
final class TlsOptions {
    @Option(names = "--tls", description = "Connect over TLS (nodes with tls-port and port 0).")
    boolean tls;

    @Option(names = "--tls-ca-cert", paramLabel = "FILE", description = "PEM CA that signed the node certificates (implies --tls).")
    Optional<Path> caCert = Optional.empty();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate, for nodes with tls-auth-clients yes.")
    Optional<Path> cert = Optional.empty();

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Unencrypted PKCS#8 PEM key of --tls-cert (BEGIN PRIVATE KEY).")
    Optional<Path> key = Optional.empty();

    /** The credentials with TLS added when asked for; validates the files before any node is touched. */
    Credentials apply(Credentials credentials) {
        if (!tls && caCert.isEmpty()) {
            if (cert.isPresent() || key.isPresent()) {
                throw new InvalidOptionException("tls-cert", cert.orElse(key.orElse(null)), "used together with --tls --tls-ca-cert FILE");
            }
            return credentials;
        }
        Path ca = caCert.orElseThrow(() -> new InvalidOptionException("tls-ca-cert", "(missing)",
                "the PEM CA certificate that signed the node certificates, e.g. --tls-ca-cert /etc/redis/tls/ca.crt"));
        for (Path file : new Path[] {ca, cert.orElse(ca), key.orElse(ca)}) {
            if (!Files.isReadable(file)) {
                throw new InvalidOptionException("tls", file, "a readable PEM file");
            }
        }
        TlsSettings settings = new TlsSettings(ca, cert, key);
        settings.socketFactory();
        return credentials.withTls(settings);
    }
}
