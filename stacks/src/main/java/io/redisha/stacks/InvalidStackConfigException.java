package io.redisha.stacks;

/** A refused {@code redis-ha:*} config value; the message names the key, the value and what is valid. */
final class InvalidStackConfigException extends IllegalArgumentException {
    InvalidStackConfigException(String message) {
        super(message);
    }
}
