package io.redisha.topology;

/** A request the planner refuses: masters, replicas, zones, addresses or the zone-loss choice. */
public final class InvalidPlanException extends InvalidInputException {

    public InvalidPlanException(String input, Object value, String whatIsValid) {
        super(input, value, whatIsValid);
    }
}
