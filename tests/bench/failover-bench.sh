#!/usr/bin/env bash
# Failover on certain death: drill kill and zone loss on fresh 'local up' 3x1 clusters at
# cluster-node-timeout 5000 and 15000, with the per-zone watchdogs and without (plain Redis), in one
# run; prints medians of time to recovery, failed writes, acknowledged writes lost, and the ratios.
# Usage (from the repo root): tests/bench/failover-bench.sh [rounds, default 3]   (about 6 min at 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec timeout 1800 java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.FailoverBenchmark "${1:-3}"
