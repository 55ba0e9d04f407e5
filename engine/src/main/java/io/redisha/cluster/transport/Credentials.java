package io.redisha.cluster.transport;

import java.util.Optional;

/**
 * The AUTH password of every node (requirepass, and masterauth for replicas), if the cluster uses
 * one, and TLS when the nodes listen on {@code tls-port} only.
 */
public record Credentials(Optional<String> password, Optional<TlsSettings> tls) {
    public Credentials {
        password = password.filter(p -> !p.isEmpty());
    }

    public Credentials(Optional<String> password) {
        this(password, Optional.empty());
    }

    public Credentials withTls(TlsSettings settings) {
        return new Credentials(password, Optional.of(settings));
    }

    public static Credentials none() {
        return new Credentials(Optional.empty());
    }

    public static Credentials password(String password) {
        return new Credentials(Optional.of(password));
    }

    // Never print the secret, not even in a debug string.
    @Override
    public String toString() {
        return (password.isPresent() ? "Credentials[password=***" : "Credentials[none")
                + tls.map(t -> ", tls ca=" + t.caCert()).orElse("") + "]";
    }
}
