package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/** A node's role in the plan. Failovers may swap live roles; the plan keeps the intended ones. */
public enum Role {
    MASTER, REPLICA;

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
