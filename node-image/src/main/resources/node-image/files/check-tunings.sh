#!/usr/bin/env bash
# Verifies that the redis-ha node tunings are in effect. One line per check:
#   OK|FAIL <key>: found <value>, expected <value> (<where it was read>)
# Exit 0 when every check passes, 1 when any fails, 2 on bad usage.
#
#   check-tunings.sh [--root DIR]      or   ROOT=DIR check-tunings.sh
#
# DIR (default /) is where /sys, /proc and /etc are read, so tests can point the script at a
# fake tree. Only on the real root with systemd running is systemctl asked for the unit state;
# otherwise the unit files under DIR are read, which is what systemd would load.
# Expected values mirror io.redisha.image.NodeTunings; the module's tests fail if they drift.
set -uo pipefail

root="${ROOT:-/}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "check-tunings: unknown argument '$1'; usage: check-tunings.sh [--root DIR]" >&2; exit 2 ;;
  esac
done
if [[ ! -d "$root" ]]; then
  echo "check-tunings: root '$root' is not a directory; pass --root DIR or ROOT=DIR (default /)" >&2
  exit 2
fi
prefix="${root%/}"
live=false
if [[ -z "$prefix" && -d /run/systemd/system ]] && command -v systemctl > /dev/null; then
  live=true
fi

failures=0
checks=0
report() { # report OK|FAIL KEY FOUND EXPECTED WHERE
  checks=$((checks + 1))
  if [[ "$1" == FAIL ]]; then failures=$((failures + 1)); fi
  printf '%-4s %s: found %s, expected %s (%s)\n' "$1" "$2" "$3" "$4" "$5"
}
first_line() { # the first line of a readable file, whitespace trimmed; "<unreadable>" if none
  if [[ -r "$1" ]]; then head -n 1 "$1" | tr -d '[:space:]'; else echo "<unreadable>"; fi
}
is_number() { [[ "$1" =~ ^[0-9]+$ ]]; }

check_equal() { # check_equal KEY PATH EXPECTED
  local found; found="$(first_line "$prefix$2")"
  if [[ "$found" == "$3" ]]; then report OK "$1" "$found" "$3" "$2"; else report FAIL "$1" "$found" "$3" "$2"; fi
}
check_at_least() { # check_at_least KEY FOUND MINIMUM WHERE
  if is_number "$2" && (( $2 >= $3 )); then
    report OK "$1" "$2" ">= $3" "$4"
  else
    report FAIL "$1" "$2" ">= $3" "$4"
  fi
}
check_thp() { # check_thp KEY PATH: the active THP mode is the bracketed word, e.g. "always [never]"
  local path="$prefix$2" found
  if [[ -r "$path" ]]; then
    found="$(sed -n 's/.*\[\([a-z+]*\)\].*/\1/p' "$path" | head -n 1)"
    if [[ -z "$found" ]]; then found="<no [mode] in: $(head -n 1 "$path")>"; fi
  else
    found="<unreadable>"
  fi
  if [[ "$found" == never ]]; then report OK "$1" "$found" never "$2"; else report FAIL "$1" "$found" never "$2"; fi
}

# The effective LimitNOFILE of redis-server.service, soft part ("65535:65535" -> 65535).
redis_nofile() {
  local value="" where f
  if $live; then
    value="$(systemctl show -p LimitNOFILESoft --value redis-server.service 2> /dev/null)"
    where="systemctl show redis-server.service"
  else
    # Same precedence as systemd: vendor unit, admin unit, then drop-ins in name order.
    where="redis-server.service unit files"
    for f in "$prefix/lib/systemd/system/redis-server.service" \
             "$prefix/etc/systemd/system/redis-server.service" \
             "$prefix"/etc/systemd/system/redis-server.service.d/*.conf; do
      [[ -r "$f" ]] || continue
      local line; line="$(grep -E '^[[:space:]]*LimitNOFILE=' "$f" | tail -n 1)"
      if [[ -n "$line" ]]; then value="${line#*=}"; where="${f#"$prefix"}"; fi
    done
  fi
  value="${value%%:*}"
  [[ "$value" == infinity ]] && value=1048576
  echo "${value:-<not set>}|$where"
}

# 1-2. Transparent huge pages off (latency spikes, fork copy-on-write cost).
check_thp thp /sys/kernel/mm/transparent_hugepage/enabled
check_thp thp_defrag /sys/kernel/mm/transparent_hugepage/defrag
# 3. Fork for BGSAVE/AOF rewrite must not be refused.
check_equal overcommit_memory /proc/sys/vm/overcommit_memory 1
# 4-5. Accept and SYN queues large enough for Redis' tcp-backlog.
somaxconn="$(first_line "$prefix/proc/sys/net/core/somaxconn")"
check_at_least somaxconn "$somaxconn" 65535 /proc/sys/net/core/somaxconn
check_at_least tcp_max_syn_backlog "$(first_line "$prefix/proc/sys/net/ipv4/tcp_max_syn_backlog")" 65535 \
  /proc/sys/net/ipv4/tcp_max_syn_backlog
# 6. Descriptor limit of the Redis service itself (the guide's `ulimit -n`).
nofile="$(redis_nofile)"
check_at_least nofile "${nofile%%|*}" 65535 "LimitNOFILE in ${nofile#*|}"
# 7. Redis' own backlog matches the kernel's, and the kernel does not cap it lower.
conf=/etc/redis/redis-ha-tunings.conf
backlog="<not set>"
if [[ -r "$prefix$conf" ]]; then
  backlog="$(awk '$1 == "tcp-backlog" { v = $2 } END { print v }' "$prefix$conf")"
  backlog="${backlog:-<not set>}"
fi
if [[ "$backlog" == 65535 ]] && is_number "$somaxconn" && (( backlog <= somaxconn )); then
  report OK tcp_backlog "$backlog" "65535 and <= somaxconn ($somaxconn)" "$conf"
else
  report FAIL tcp_backlog "$backlog" "65535 and <= somaxconn ($somaxconn)" "$conf"
fi
# 8. The THP unit runs on every boot, not only on the build instance.
unit=redis-ha-thp.service
if $live; then
  state="$(systemctl is-enabled "$unit" 2> /dev/null || true)"
  where="systemctl is-enabled $unit"
else
  where="/etc/systemd/system/basic.target.wants/$unit"
  if [[ -e "$prefix$where" || -L "$prefix$where" ]]; then state=enabled; else state=disabled; fi
fi
if [[ "$state" == enabled ]]; then report OK thp_unit "$state" enabled "$where"; else report FAIL thp_unit "${state:-<unknown>}" enabled "$where"; fi

if (( failures > 0 )); then
  echo "check-tunings: $failures of $checks checks FAILED under root $root; see the FAIL lines above"
  exit 1
fi
echo "check-tunings: all $checks checks passed under root $root"
