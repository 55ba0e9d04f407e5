#!/usr/bin/env bash
# Installs the redis-ha node tunings under a root directory.
#
#   install-tunings.sh [ROOT]      ROOT defaults to /
#
# With ROOT=/ (the Image Builder build phase) it also enables the units and applies the
# settings now, so the validate phase, which runs before any reboot, sees them in effect.
# With any other ROOT (a scratch directory in tests) it only lays the files out: nothing
# outside ROOT is touched.
set -euo pipefail

root="${1:-/}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ ! -d "$root" ]]; then
  echo "install-tunings: root directory '$root' does not exist; pass an existing directory (default /)" >&2
  exit 2
fi
root="$(cd "$root" && pwd)"
# Prefix for paths under the root; empty for the real root so paths read naturally in logs.
if [[ "$root" == "/" ]]; then prefix=""; else prefix="$root"; fi

put() { # put MODE SOURCE-NAME TARGET-PATH
  install -D -m "$1" "$src/$2" "$prefix$3"
  echo "install-tunings: installed $3 (mode $1)"
}

put 0644 99-redis-ha.conf      /etc/sysctl.d/99-redis-ha.conf
put 0644 redis-ha-thp.service  /etc/systemd/system/redis-ha-thp.service
put 0644 redis-ha-limits.conf  /etc/systemd/system/redis-server.service.d/redis-ha-limits.conf
put 0644 redis-ha-watchdog.service /etc/systemd/system/redis-ha-watchdog.service
put 0644 redis-ha-tunings.conf /etc/redis/redis-ha-tunings.conf
put 0755 check-tunings.sh      /usr/local/sbin/redis-ha-check-tunings

# The distro redis.conf does not read conf.d; include our snippet once (idempotent).
conf="$prefix/etc/redis/redis.conf"
include_line="include /etc/redis/redis-ha-tunings.conf"
if [[ -f "$conf" ]] && ! grep -qxF "$include_line" "$conf"; then
  printf '\n# redis-ha: kernel-dependent settings (tcp-backlog)\n%s\n' "$include_line" >> "$conf"
  echo "install-tunings: added '$include_line' to /etc/redis/redis.conf"
fi

if [[ -n "$prefix" ]]; then
  echo "install-tunings: scratch root $root: files laid out, units not enabled, nothing applied"
  exit 0
fi

systemctl daemon-reload
systemctl enable redis-ha-thp.service redis-server.service
systemctl start redis-ha-thp.service
sysctl --system > /dev/null
# Restart so the running Redis picks up LimitNOFILE and tcp-backlog before validation.
systemctl restart redis-server.service
echo "install-tunings: units enabled and settings applied on this host"
