package io.redisha.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of availability-zone names and lists. */
final class Zones {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");

    private Zones() {
    }

    static void requireValidName(String input, String zone) {
        if (zone == null || !NAME.matcher(zone).matches()) {
            throw new InvalidPlanException(input, zone,
                    "a zone name of lower-case letters, digits and '-', for example us-east-1a or az-a");
        }
    }

    static void requireValidList(List<String> zones) {
        if (zones == null || zones.isEmpty()) {
            throw new InvalidPlanException("zones", zones, "a non-empty list of availability zones, for example us-east-1a,us-east-1b,us-east-1c");
        }
        Set<String> seen = new HashSet<>();
        for (String zone : zones) {
            requireValidName("zones", zone);
            if (!seen.add(zone)) {
                throw new InvalidPlanException("zones", String.join(",", zones), "each zone listed once; '" + zone + "' appears twice");
            }
        }
    }
}
