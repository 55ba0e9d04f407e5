package io.redisha.policies;

import io.redisha.topology.InvalidInputException;
import io.redisha.topology.ServerVersion;
import java.util.List;
import java.util.Optional;

/**
 * Rules on the server a stack asks for: the RedisCluster component's {@code engine}/{@code engineVersion}
 * (registered when set to other than the default image's redis 7.0), and Valkey on hand-written EC2 nodes.
 * ElastiCache's versions are AWS's to support and are not judged here. The facts (supported minimum, maintained lines, availability-zone from Valkey 8.0) are
 * {@link ServerVersion}'s, the table the engine itself refuses by.
 */
final class EngineRules {
    private EngineRules() {
    }

    static Rule supportedVersion() {
        return new Rule("redis-engine-version",
                "The nodes run a server redis-ha supports (" + ServerVersion.supportedRange() + "): the engine refuses older ones, so a"
                        + " cluster on them could be neither formed, scaled nor rolled.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> server(r).map(v -> v.supported() ? List.<Finding>of()
                        : List.of(new Finding(r, r.label() + " runs " + v.label() + "; redis-ha supports " + ServerVersion.supportedRange()
                                + ". Fix: " + fix(r, "a supported version")))).orElseGet(() -> unparsable(r))));
    }

    static Rule maintainedVersion() {
        return new Rule("redis-engine-end-of-support",
                "The nodes run a line its maintainers still patch; past end of support, security fixes stop.",
                EnforcementLevel.ADVISORY,
                List.of(ConfigProperty.strings("maintainedLines", ServerVersion.maintainedLines(),
                        "engine lines still patched upstream, as 'redis 8.2' or 'valkey 8.1'")),
                new Rule.Check.PerResource((r, s) -> server(r).filter(ServerVersion::supported)
                        .filter(v -> !s.strings("maintainedLines").contains(v.engine().label() + " " + v.line()))
                        .map(v -> List.of(new Finding(r, r.label() + " runs " + v.label() + ", past its maintainers' end of support (maintained: "
                                + String.join(", ", s.strings("maintainedLines")) + "). Fix: " + fix(r, "a maintained line"))))
                        .orElse(List.of())));
    }

    static Rule valkeyAvailabilityZone() {
        return new Rule("valkey-availability-zone",
                "Valkey nodes announce their zone (availability-zone, Valkey 8.0+), so clients with AZ affinity read from replicas in their own zone.",
                EnforcementLevel.ADVISORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    if (r.is(ResourceView.REDIS_CLUSTER)) {
                        return server(r).filter(v -> v.engine() == ServerVersion.Engine.VALKEY && v.supported() && !v.takesAvailabilityZone())
                                .map(v -> List.of(new Finding(r, r.label() + " runs " + v.label() + ", which has no availability-zone setting."
                                        + " Fix: set engineVersion to a Valkey 8 release (e.g. 8.1.4) and roll (nodeGeneration +1).")))
                                .orElse(List.of());
                    }
                    if (!NodeRules.isRedisNode(r) || NodeRules.isComponentNode(r) || r.isUnknown("userData")) {
                        return List.of();
                    }
                    String userData = UserDataRedisConf.userData(r).orElse("");
                    if (!userData.contains("valkey") || UserDataRedisConf.parse(userData).get("availability-zone").isPresent()
                            || userData.contains("availability-zone")) {
                        return List.of();
                    }
                    return List.of(new Finding(r, r.label() + " runs Valkey without availability-zone. Fix: write 'availability-zone <its zone>'"
                            + " into its valkey.conf at boot (the zone from instance metadata, placement/availability-zone), or use the"
                            + " RedisCluster component with engine=valkey, which does."));
                }));
    }

    /** The server a resource asks for; empty when it names none (or is not a Redis the rules judge). */
    static Optional<ServerVersion> server(ResourceView r) {
        if (r.is(ResourceView.REDIS_CLUSTER)) {
            Optional<String> version = r.string("engineVersion");
            if (version.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(ServerVersion.of("engine", r.string("engine").orElse("redis"), "engineVersion", version.get()));
            } catch (InvalidInputException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A RedisCluster whose engine inputs do not parse: the component refuses them too, say so here. */
    private static List<Finding> unparsable(ResourceView r) {
        if (!r.is(ResourceView.REDIS_CLUSTER) || r.string("engineVersion").isEmpty()) {
            return List.of();
        }
        try {
            ServerVersion.of("engine", r.string("engine").orElse("redis"), "engineVersion", r.string("engineVersion").get());
            return List.of();
        } catch (InvalidInputException e) {
            return List.of(new Finding(r, r.label() + ": " + e.getMessage() + ". Fix: " + fix(r, "a supported version")));
        }
    }

    private static String fix(ResourceView r, String what) {
        return r.is(ResourceView.REDIS_CLUSTER)
                ? "set engine/engineVersion to " + what + " (e.g. redis-ha:engineVersion: \"8.2\"), build the node image for it, and roll"
                + " the nodes onto it (nodeGeneration +1; see docs/versions.md)"
                : "run " + what;
    }
}
