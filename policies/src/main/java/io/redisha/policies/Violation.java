package io.redisha.policies;

/** A finding with the rule and enforcement level that produced it: one line of a report. */
public record Violation(String policy, EnforcementLevel level, String description, String urn,
                        String resourceName, String resourceType, String message) {

    static Violation of(Rule rule, EnforcementLevel level, Finding finding) {
        ResourceView r = finding.resource();
        return new Violation(rule.name(), level, rule.description(), r.urn(), r.name(), r.type(), finding.message());
    }

    public boolean isMandatory() {
        return level == EnforcementLevel.MANDATORY;
    }
}
