package io.redisha.policies;

import java.util.Locale;

/** What a violation does: advisory warns, mandatory blocks the update, disabled does not run. */
public enum EnforcementLevel {
    ADVISORY, MANDATORY, DISABLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnforcementLevel parse(String text) {
        for (EnforcementLevel level : values()) {
            if (level.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return level;
            }
        }
        throw new IllegalArgumentException("enforcementLevel=" + text + " is not valid: one of advisory, mandatory, disabled");
    }
}
