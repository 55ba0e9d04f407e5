package io.redisha.components;

import java.util.regex.Pattern;

/** CIDR checks for client access and the VPC layout. */
public final class Cidrs {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/(\\d{1,3})");

    private Cidrs() {
    }

    /** Null when {@code cidr} is a valid client source; otherwise what is wrong with it. */
    public static String clientSourceProblem(String cidr) {
        if (cidr == null) {
            return "a CIDR such as 10.0.0.0/16";
        }
        var v4 = V4.matcher(cidr);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return "an IPv4 CIDR with octets 0..255, such as 10.0.0.0/16";
                }
            }
            int prefix = Integer.parseInt(v4.group(5));
            if (prefix > 32) {
                return "an IPv4 prefix length 1..32";
            }
            if (prefix == 0) {
                return "a private range such as 10.0.0.0/16: a /0 opens Redis to the whole internet";
            }
            return null;
        }
        var v6 = V6.matcher(cidr);
        if (v6.matches()) {
            int prefix = Integer.parseInt(v6.group(1));
            if (prefix > 128) {
                return "an IPv6 prefix length 1..128";
            }
            if (prefix == 0) {
                return "a specific IPv6 range: ::/0 opens Redis to the whole internet";
            }
            return null;
        }
        return "a CIDR such as 10.0.0.0/16 or fd00::/64";
    }

    /** The {@code index}-th /20 of a /16 VPC range: {@code 10.42.0.0/16}, 1 -> {@code 10.42.16.0/20}. */
    public static String subnetOf(String vpcCidr, int index) {
        var m = V4.matcher(vpcCidr);
        if (!m.matches() || !m.group(5).equals("16") || !m.group(3).equals("0") || !m.group(4).equals("0")) {
            throw new IllegalArgumentException("vpcCidr=" + vpcCidr + " is not valid: an IPv4 /16 such as 10.42.0.0/16");
        }
        if (index < 0 || index >= 16) {
            throw new IllegalArgumentException("a /16 holds 16 subnets of /20; zone index " + index + " is out of range");
        }
        return m.group(1) + "." + m.group(2) + "." + (index * 16) + ".0/20";
    }
}
