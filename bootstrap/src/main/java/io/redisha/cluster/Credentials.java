package io.redisha.cluster;

import java.util.Optional;

/** The AUTH password of every node (requirepass, and masterauth for replicas), if the cluster uses one. */
public record Credentials(Optional<String> password) {
    public Credentials {
        password = password.filter(p -> !p.isEmpty());
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
        return password.isPresent() ? "Credentials[password=***]" : "Credentials[none]";
    }
}
