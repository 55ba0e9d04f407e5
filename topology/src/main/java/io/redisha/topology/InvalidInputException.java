package io.redisha.topology;

/**
 * An input refused before anything is declared or touched. The message always names the input, the
 * value given and what would be valid, so it can be shown to a person as it is. Subtypes say whose
 * input it was: {@link InvalidPlanException} for the planner's.
 */
public class InvalidInputException extends IllegalArgumentException {
    private final String input;

    public InvalidInputException(String input, Object value, String whatIsValid) {
        super(input + "=" + value + " is not valid: " + whatIsValid);
        this.input = input;
    }

    /** The name of the input that is wrong, for example {@code replicasPerMaster}. */
    public String input() {
        return input;
    }
}
