package io.redisha.topology;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server a node runs: engine ({@code redis} or {@code valkey}) and version, as {@code INFO server}
 * or {@code redis-server --version} report it. The one table of what differs between the versions
 * redis-ha runs on: the supported minimum, the snapshot (RDB) format each writes, and which lines
 * their maintainers still support. The engine, {@code local}, the node image, the component and the
 * policy pack all read these facts from here.
 */
public record ServerVersion(Engine engine, int major, int minor, int patch) implements Comparable<ServerVersion> {

    public enum Engine {
        REDIS, VALKEY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The input value ({@code redis}, {@code valkey}); refuses anything else, naming the input. */
        public static Engine parse(String input, String value) {
            for (Engine e : values()) {
                if (e.label().equals(value)) {
                    return e;
                }
            }
            throw new InvalidInputException(input, value, "redis or valkey");
        }
    }

    /** Oldest line per engine: CLUSTER SHARDS, multi-part AOF and the 7.0 cluster bus are what the engine relies on. */
    private static final Map<Engine, ServerVersion> MINIMUM = Map.of(
            Engine.REDIS, new ServerVersion(Engine.REDIS, 7, 0, 0),
            Engine.VALKEY, new ServerVersion(Engine.VALKEY, 7, 2, 0));

    /**
     * The RDB format each line writes, from the first version of the line that wrote it (a server loads
     * its own format and older ones, never a newer one). Measured here for 7.0.15 (10), valkey 8.1.8 (11)
     * and 8.2.3 (12) by SAVE and the file header; the rest from the engines' release notes.
     */
    private static final List<Map.Entry<ServerVersion, Integer>> RDB_FORMATS = List.of(
            Map.entry(new ServerVersion(Engine.REDIS, 7, 0, 0), 10),
            Map.entry(new ServerVersion(Engine.REDIS, 7, 2, 0), 11),
            Map.entry(new ServerVersion(Engine.REDIS, 7, 4, 0), 12),
            Map.entry(new ServerVersion(Engine.VALKEY, 7, 2, 0), 11));

    /** Lines past which the table above says nothing: a roll onto them is refused until the table knows their format. */
    private static final Map<Engine, ServerVersion> RDB_TABLE_ENDS = Map.of(
            Engine.REDIS, new ServerVersion(Engine.REDIS, 8, 3, 0),
            Engine.VALKEY, new ServerVersion(Engine.VALKEY, 9, 0, 0));

    /** Lines their maintainers still patch (this release's reading of the engines' support pages); older ones get an advisory. */
    private static final List<ServerVersion> MAINTAINED_LINES = List.of(
            new ServerVersion(Engine.REDIS, 7, 4, 0), new ServerVersion(Engine.REDIS, 8, 0, 0), new ServerVersion(Engine.REDIS, 8, 2, 0),
            new ServerVersion(Engine.VALKEY, 7, 2, 0), new ServerVersion(Engine.VALKEY, 8, 0, 0), new ServerVersion(Engine.VALKEY, 8, 1, 0));

    /** Valkey sets {@code availability-zone} (8.0+), which clients with AZ affinity read from HELLO. */
    private static final ServerVersion AVAILABILITY_ZONE_SINCE = new ServerVersion(Engine.VALKEY, 8, 0, 0);

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern VERSION_LINE = Pattern.compile("^(Redis|Valkey|KeyDB) server v=(\\S+)");

    /**
     * From the fields of {@code INFO server}. Valkey reports {@code redis_version:7.2.4} for old clients;
     * its own version is {@code valkey_version}, and {@code server_name:valkey} says which to read.
     */
    public static ServerVersion fromInfo(Map<String, String> infoServer) {
        String name = infoServer.getOrDefault("server_name", "redis");
        if (name.equals("valkey")) {
            return parse(Engine.VALKEY, infoServer.getOrDefault("valkey_version", ""), "INFO server valkey_version");
        }
        if (!name.equals("redis")) {
            throw new InvalidInputException("INFO server server_name", name, "redis or valkey");
        }
        return parse(Engine.REDIS, infoServer.getOrDefault("redis_version", ""), "INFO server redis_version");
    }

    /** From the first line of {@code redis-server --version} or {@code valkey-server --version}. */
    public static ServerVersion fromVersionLine(String line) {
        Matcher m = VERSION_LINE.matcher(line.strip());
        if (!m.find() || m.group(1).equals("KeyDB")) {
            throw new InvalidInputException("server --version", line.strip(), "a line like 'Redis server v=8.2.3' or 'Valkey server v=8.1.8'");
        }
        return parse(m.group(1).equals("Valkey") ? Engine.VALKEY : Engine.REDIS, m.group(2), "server --version");
    }

    /** An input pair such as engine {@code valkey}, version {@code 8.1} or {@code 8.1.8}; a missing patch reads as 0. */
    public static ServerVersion of(String engineInput, String engine, String versionInput, String version) {
        return parse(Engine.parse(engineInput, engine), version, versionInput);
    }

    private static ServerVersion parse(Engine engine, String text, String input) {
        Matcher m = VERSION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new InvalidInputException(input, text, "a version like 7.0.15 or 8.1");
        }
        return new ServerVersion(engine, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** {@code redis 7.0.15}, {@code valkey 8.1.8}. */
    public String label() {
        return engine.label() + " " + version();
    }

    public String version() {
        return major + "." + minor + "." + patch;
    }

    /** {@code 8.1}: the line, as maintainers publish support for it. */
    public String line() {
        return major + "." + minor;
    }

    public static ServerVersion minimum(Engine engine) {
        return MINIMUM.get(engine);
    }

    public boolean supported() {
        return compareTo(MINIMUM.get(engine)) >= 0;
    }

    /** Empty when supported; else the one-line refusal naming the node, the version and what is supported. */
    public Optional<String> unsupportedReason(String node) {
        if (supported()) {
            return Optional.empty();
        }
        return Optional.of(node + " runs " + label() + "; redis-ha supports " + supportedRange() + ": roll it onto a supported version first");
    }

    /** {@code redis >= 7.0, valkey >= 7.2}. */
    public static String supportedRange() {
        return "redis >= " + MINIMUM.get(Engine.REDIS).line() + ", valkey >= " + MINIMUM.get(Engine.VALKEY).line();
    }

    /** True while the engine's maintainers still patch this line. */
    public boolean maintained() {
        return MAINTAINED_LINES.stream().anyMatch(l -> l.engine == engine && l.major == major && l.minor == minor);
    }

    public static List<String> maintainedLines() {
        return MAINTAINED_LINES.stream().map(l -> l.engine.label() + " " + l.line()).toList();
    }

    /** Valkey 8.0+ takes {@code availability-zone}; Redis has no such setting. */
    public boolean takesAvailabilityZone() {
        return engine == AVAILABILITY_ZONE_SINCE.engine && compareTo(AVAILABILITY_ZONE_SINCE) >= 0;
    }

    /** The RDB format this server writes; empty when the table does not know this line. */
    public Optional<Integer> rdbFormat() {
        if (!supported() || compareTo(RDB_TABLE_ENDS.get(engine)) >= 0) {
            return Optional.empty();
        }
        return RDB_FORMATS.stream().filter(e -> e.getKey().engine == engine && compareTo(e.getKey()) >= 0)
                .map(Map.Entry::getValue).reduce((a, b) -> b);
    }

    /**
     * Why nodes running {@code next} cannot take over from nodes running {@code running}; empty when they can.
     * A roll attaches each new node as a replica of a running master, so the new server must load the
     * snapshot the running ones write: its RDB format must be the same or newer. A downgrade onto an
     * older format, and a mix the table cannot vouch for, are refused before anything starts.
     */
    public static Optional<String> rollRefusal(Collection<ServerVersion> running, ServerVersion next) {
        if (!next.supported()) {
            return next.unsupportedReason("the new nodes");
        }
        Optional<Integer> nextFormat = next.rdbFormat();
        if (nextFormat.isEmpty()) {
            return Optional.of("the snapshot (RDB) format of " + next.label() + " is not in redis-ha's table (known up to "
                    + tableEnds() + "), so it cannot be shown to load the running nodes' snapshots; roll onto a known version");
        }
        for (ServerVersion old : new java.util.TreeSet<>(running)) {
            Optional<Integer> oldFormat = old.rdbFormat();
            if (oldFormat.isEmpty()) {
                return Optional.of("the snapshot (RDB) format of the running " + old.label() + " is not in redis-ha's table, so "
                        + next.label() + " cannot be shown to load it");
            }
            if (oldFormat.get() > nextFormat.get()) {
                return Optional.of(next.label() + " cannot load the snapshots " + old.label() + " writes (RDB format "
                        + oldFormat.get() + " > " + nextFormat.get() + "): its new replicas could never sync from the running masters."
                        + " A downgrade is done by restoring a backup into a new cluster of the older version, not by a roll");
            }
        }
        return Optional.empty();
    }

    private static String tableEnds() {
        return "redis < " + RDB_TABLE_ENDS.get(Engine.REDIS).line() + ", valkey < " + RDB_TABLE_ENDS.get(Engine.VALKEY).line();
    }

    @Override
    public int compareTo(ServerVersion o) {
        return java.util.Comparator.comparing(ServerVersion::engine).thenComparingInt(ServerVersion::major)
                .thenComparingInt(ServerVersion::minor).thenComparingInt(ServerVersion::patch).compare(this, o);
    }

    @Override
    public String toString() {
        return label();
    }
}
