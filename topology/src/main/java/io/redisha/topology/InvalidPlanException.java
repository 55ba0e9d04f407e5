package io.redisha.topology;

/**
 * A request the planner refuses. The message always names the input, the value given and what
 * would be valid, so it can be shown to a person as it is.
 */
public final class InvalidPlanException extends IllegalArgumentException {
    private final String input;

    public InvalidPlanException(String input, Object value, String whatIsValid) {
        super(input + "=" + value + " is not valid: " + whatIsValid);
        this.input = input;
    }

    /** The name of the input that is wrong, for example {@code replicasPerMaster}. */
    public String input() {
        return input;
    }
}
