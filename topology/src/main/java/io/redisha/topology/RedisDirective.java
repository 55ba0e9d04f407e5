package io.redisha.topology;

/** One redis.conf line: a directive and its value, as Redis reads it ({@code appendonly yes}). */
public record RedisDirective(String name, String value) {

    /** The line as redis.conf holds it, with a trailing newline. */
    public String line() {
        return name + " " + value + "\n";
    }
}
