package io.redisha.cli;

import io.redisha.topology.InvalidInputException;

/** A command-line option refused (a bad value, or options that do not go together); exit code 2. */
public final class InvalidOptionException extends InvalidInputException {

    public InvalidOptionException(String option, Object value, String whatIsValid) {
        super(option, value, whatIsValid);
    }
}
