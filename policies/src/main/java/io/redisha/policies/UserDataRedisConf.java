package io.redisha.policies;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redis.conf directives an instance's user data renders: lines of the form {@code directive value}
 * (a heredoc, as the component and the guide write redis.conf), {@code echo "directive value" >> ...}
 * lines, and {@code --directive value} arguments of a {@code redis-server} command. The last one
 * wins, as in Redis itself.
 */
public record UserDataRedisConf(Map<String, String> directives) {

    private static final Pattern LINE = Pattern.compile("^\\s*([a-z][a-z0-9-]*)\\s+(.+?)\\s*$");
    private static final Pattern ECHO = Pattern.compile("^\\s*(?:sudo\\s+)?(?:echo|printf)\\s+([\"'])(.*?)\\1\\s*(?:>>?|\\|)");
    private static final Pattern SERVER_FLAG = Pattern.compile("--([a-z][a-z0-9-]*)\\s+(\"[^\"]*\"|'[^']*'|[^\\s-][^\\s]*)");
    /**
     * User data that installs, starts or configures Redis (or Valkey) by hand: {@code redis-server}, a
     * {@code redis.conf}, a package install of the server (redis, redis6, ...; not redis-tools, a
     * client), or a systemd unit named redis.
     */
    private static final Pattern RUNS_REDIS = Pattern.compile("(?m)(?:redis|valkey)-server|(?:redis|valkey)\\.conf"
            + "|\\b(?:apt-get|apt|yum|dnf|apk|zypper|amazon-linux-extras)\\b[^\\n]*\\binstall\\b[^\\n]*\\b(?:redis|valkey)\\d*(?![\\w-])"
            + "|systemctl\\s+(?:start|enable|restart)\\b[^\\n]*\\b(?:redis|valkey)");
    private static final Pattern MEMORY = Pattern.compile("(?i)^(\\d+)\\s*(b|k|kb|m|mb|g|gb)?$");

    public UserDataRedisConf {
        directives = Map.copyOf(directives);
    }

    /** True when user data installs, starts or configures a Redis server. */
    public static boolean runsRedis(String userData) {
        return RUNS_REDIS.matcher(userData).find();
    }

    /** The user data of an instance ({@code userData}, or {@code userDataBase64} decoded); empty if unknown. */
    public static Optional<String> userData(ResourceView instance) {
        Optional<String> plain = instance.string("userData");
        if (plain.isPresent()) {
            return plain;
        }
        return instance.string("userDataBase64").map(b64 -> {
            try {
                return new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        });
    }

    public static UserDataRedisConf parse(String text) {
        Map<String, String> directives = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            Matcher echo = ECHO.matcher(line);
            String directiveLine = echo.find() ? echo.group(2) : line;
            Matcher m = LINE.matcher(directiveLine);
            if (m.matches()) {
                directives.put(m.group(1).toLowerCase(Locale.ROOT), stripQuotes(m.group(2)));
            }
            if (line.contains("redis-server")) {
                Matcher flag = SERVER_FLAG.matcher(line);
                while (flag.find()) {
                    directives.put(flag.group(1).toLowerCase(Locale.ROOT), stripQuotes(flag.group(2)));
                }
            }
        }
        return new UserDataRedisConf(directives);
    }

    public Optional<String> get(String directive) {
        return Optional.ofNullable(directives.get(directive));
    }

    /** {@code maxmemory} in bytes, with Redis' units (1k = 1000, 1kb = 1024); empty if unset or unparsable. */
    public Optional<Long> maxmemoryBytes() {
        return get("maxmemory").flatMap(UserDataRedisConf::bytes);
    }

    static Optional<Long> bytes(String value) {
        Matcher m = MEMORY.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "k" -> 1000L;
            case "kb" -> 1024L;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Optional.of(n * factor);
    }

    private static String stripQuotes(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
