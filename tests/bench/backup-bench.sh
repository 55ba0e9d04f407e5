#!/usr/bin/env bash
# Backup and restore throughput against redis-cli --rdb and redis-cli --pipe on the same data, in one
# run, and the client p99 on a shard's master while it is backed up; prints medians and ratios.
# Usage (from the repo root): tests/bench/backup-bench.sh [keys, default 100000] [rounds, default 3] [value bytes, default 1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec timeout 1800 java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.BackupBenchmark "${1:-100000}" "${2:-3}" "${3:-1000}"
