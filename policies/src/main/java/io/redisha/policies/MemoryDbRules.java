package io.redisha.policies;

import java.util.List;

/** MemoryDB clusters: TLS and an access control list (AWS's MemoryDB security practice). */
final class MemoryDbRules {
    private MemoryDbRules() {
    }

    static Rule tls() {
        return new Rule("memorydb-tls",
                "AWS practice (MemoryDB data security): TLS stays on (tlsEnabled is true by default; it cannot be changed after creation).",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> r.is(ResourceView.MEMORYDB_CLUSTER)
                        && ManagedRedis.flag(r, "tlsEnabled", true).filter(on -> !on).isPresent()
                        ? List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                        + " sets tlsEnabled=false: data and passwords cross the network in clear text. Fix: remove tlsEnabled or set it to true."))
                        : List.of()));
    }

    static Rule acl() {
        return new Rule("memorydb-acl",
                "AWS practice (MemoryDB authentication), as the guide's requirepass: the cluster's ACL is not open-access, so clients authenticate as ACL users.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    if (!r.is(ResourceView.MEMORYDB_CLUSTER) || r.isUnknown("aclName")) {
                        return List.of();
                    }
                    String acl = r.string("aclName").orElse("(none)");
                    return acl.equals("open-access") || acl.equals("(none)") ? List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                            + " uses ACL " + acl + ": any client that reaches the cluster can read and write without a password."
                            + " Fix: declare an aws:memorydb/acl with users (passwords from Pulumi secrets) and set aclName to it."))
                            : List.of();
                }));
    }
}
