package io.redisha.policies;

import io.redisha.topology.NodeTunings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's production checklist (THP never, overcommit_memory 1, somaxconn and nofile 65535) as
 * the user data of a hand-written Redis host applies it. The guide's commands ({@code sysctl ...},
 * {@code ulimit -n}, {@code echo never > ...}) last only until the next reboot; a setting counts
 * when it is persisted (a file in /etc/sysctl.d or sysctl.conf, a systemd {@code LimitNOFILE} or
 * limits.conf entry, a boot-time THP unit or kernel argument). The wanted values are
 * {@link NodeTunings}'s, the one list the node image bakes.
 */
final class BootTunings {
    private static final Pattern THP = Pattern.compile("never\\s*>\\s*/sys/kernel/mm/transparent_hugepage/enabled|transparent_hugepage=never");
    private static final Pattern THP_EVERY_BOOT = Pattern.compile("transparent_hugepage=never|ExecStart|bootcmd|rc\\.local|@reboot|tmpfiles\\.d");
    private static final Pattern OVERCOMMIT = Pattern.compile("vm\\.overcommit_memory\\s*[= ]\\s*(\\d+)");
    private static final Pattern SOMAXCONN = Pattern.compile("net\\.core\\.somaxconn\\s*[= ]\\s*(\\d+)");
    private static final Pattern SYSCTL_FILE = Pattern.compile("/etc/sysctl\\.(?:d/|conf)");
    private static final Pattern NOFILE_PERSISTENT = Pattern.compile("LimitNOFILE\\s*=\\s*(\\d+)|\\bnofile\\s+(\\d+)");
    private static final Pattern NOFILE_SHELL = Pattern.compile("ulimit\\s+(?:-\\S*n\\S*)\\s+(\\d+)");

    private BootTunings() {
    }

    /** What the user data leaves short of the checklist; empty when every item is set and persisted. */
    static List<String> shortfalls(String userData) {
        List<String> missing = new ArrayList<>();
        String thp = NodeTunings.value("thp");
        if (!THP.matcher(userData).find()) {
            missing.add("THP is not set to " + thp);
        } else if (!THP_EVERY_BOOT.matcher(userData).find()) {
            missing.add("THP " + thp + " is set only until reboot (no boot-time unit or kernel argument)");
        }
        boolean sysctlFile = SYSCTL_FILE.matcher(userData).find();
        sysctl(userData, OVERCOMMIT, "overcommit_memory", sysctlFile, missing);
        sysctl(userData, SOMAXCONN, "somaxconn", sysctlFile, missing);
        String nofile = NodeTunings.value("nofile");
        Optional<Long> persistent = last(NOFILE_PERSISTENT, userData);
        Optional<Long> shell = last(NOFILE_SHELL, userData);
        if (persistent.isPresent()) {
            if (persistent.get() < Long.parseLong(nofile)) {
                missing.add("nofile=" + persistent.get() + " (want >= " + nofile + ")");
            }
        } else if (shell.isPresent()) {
            missing.add("nofile is raised only by ulimit -n in the boot script (lost when systemd restarts Redis or the host reboots)");
        } else {
            missing.add("nofile is not raised to " + nofile);
        }
        return missing;
    }

    private static void sysctl(String userData, Pattern pattern, String key, boolean persisted, List<String> missing) {
        String wanted = NodeTunings.value(key);
        Optional<Long> value = last(pattern, userData);
        if (value.isEmpty()) {
            missing.add(key + " is not set (want " + wanted + ")");
        } else if (key.equals("overcommit_memory") ? value.get() != Long.parseLong(wanted) : value.get() < Long.parseLong(wanted)) {
            missing.add(key + "=" + value.get() + " (want " + (key.equals("overcommit_memory") ? "" : ">= ") + wanted + ")");
        } else if (!persisted) {
            missing.add(key + "=" + value.get() + " is set only until reboot (not written to /etc/sysctl.d)");
        }
    }

    private static Optional<Long> last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        Optional<Long> found = Optional.empty();
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    found = Optional.of(Long.parseLong(m.group(g)));
                }
            }
        }
        return found;
    }
}
