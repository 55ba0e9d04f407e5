package io.redisha.topology;

/** What the planner does with a layout that does not survive the loss of a zone. */
public enum ZoneLoss {
    /** Refuse it (the default everywhere). */
    MUST_SURVIVE,
    /** Plan it anyway; the plan still states that it does not survive. */
    ACCEPT_RISK
}
